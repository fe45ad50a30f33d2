package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionOutput;
import dev.paddock.txn.Zxid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session whose client goes silent while the leader dies expires under the next leader (which
 * gives every session a fresh full timeout): its ephemeral node disappears everywhere and a
 * watcher on another server hears of it, after re-attaching as a real client would.
 */
class ZabSessionExpiryTest {
  private static final String EPHEMERAL = "/lock";
  private static final int OWNER_TIMEOUT_MS = 3_000;

  @TempDir Path dir;

  @Test
  void ephemeralOfASilentSessionVanishesAfterLeaderChange() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int ownerServer = leader == 1 ? 2 : 1;
      int watcherServer = 6 - leader - ownerServer;
      AckedWrites writes = new AckedWrites();

      TestSession watcher = TestSession.open(e.kit(watcherServer), e.status(watcherServer),
          30_000);
      writes.create(watcher, "/app");
      TestSession owner = TestSession.open(e.kit(ownerServer), e.status(ownerServer),
          OWNER_TIMEOUT_MS);
      assertInstanceOf(Result.Created.class, owner.call(new Op.Create(EPHEMERAL,
          AckedWrites.data(EPHEMERAL), Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL)));
      watcher.call(new Op.Sync("/"));
      assertInstanceOf(Result.Data.class, watcher.call(new Op.GetData(EPHEMERAL, true)));
      assertInstanceOf(Result.StatOf.class, watcher.call(new Op.Exists(EPHEMERAL, true)));
      long oldEpoch = Zxid.epoch(watcher.lastZxid());

      // The owner is heard from just before the leader dies, and never again.
      owner.ping();
      e.kill(leader);

      Set<Integer> survivors = Set.of(ownerServer, watcherServer);
      int next = e.awaitServing(survivors, Ensemble.WAIT);
      SessionOutput.Event deleted = awaitDeletion(e, watcher, watcherServer);
      assertEquals(EventType.NODE_DELETED, deleted.event().type());
      assertEquals(EPHEMERAL, deleted.event().path());

      e.kit(next).createTestProbe().awaitAssert(Ensemble.WAIT, Duration.ofMillis(50), () -> {
        for (int id : survivors) {
          assertNull(e.info(id).snapshot().node(EPHEMERAL), "server " + id + " still has it");
        }
        return null;
      });
      long closedAt = e.info(next).lastZxid();
      assertTrue(Zxid.epoch(closedAt) > oldEpoch,
          "the session must expire under the new leader, not the old one");
      assertNotNull(e.info(next).snapshot().node("/app"));

      e.start(leader);
      e.awaitServing();
      e.awaitConverged();
      AckedWrites.assertAbsent(e, EPHEMERAL);
      writes.assertPresent(e);
    }
  }

  /**
   * Waits for NODE_DELETED on the watcher; when a role change on its server ends the session,
   * re-attaches there (or elsewhere) and re-registers the watch with SetWatches.
   */
  private static SessionOutput.Event awaitDeletion(Ensemble e, TestSession watcher,
      int server) {
    TestSession current = watcher;
    long deadline = System.nanoTime() + Ensemble.WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!current.events().isEmpty()) {
        return current.events().remove(0);
      }
      SessionOutput out = current.door().receiveMessage(
          Duration.ofNanos(deadline - System.nanoTime()));
      if (out instanceof SessionOutput.Event ev) {
        return ev;
      }
      SessionOutput.Closed closed = assertInstanceOf(SessionOutput.Closed.class, out);
      assertEquals(SessionOutput.Reason.UNAVAILABLE, closed.reason(),
          "the watcher's own session must survive");
      e.awaitServing(List.of(server), Ensemble.WAIT);
      current = TestSession.attach(e.kit(server), e.status(server), 30_000, watcher.id(),
          watcher.password(), watcher.lastZxid());
      Result r = current.call(new Op.SetWatches(watcher.lastZxid(), List.of(EPHEMERAL),
          List.of(), List.of(), List.of(), List.of()));
      assertEquals(Result.DONE, r);
    }
    throw new AssertionError("no NODE_DELETED for " + EPHEMERAL);
  }
}
