package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.Settings;
import dev.paddock.node.TestNodes;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.storage.JournalFaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server whose journal cannot write (a full or failing disk) stops serving, never acknowledges
 * what it did not persist, and serves again once its disk works.
 */
class ZabStorageFaultTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final List<Path> failing = new ArrayList<>();

  @AfterEach
  void clearFaults() {
    failing.forEach(p -> JournalFaults.failWrites(p, false));
  }

  private void failWrites(Path journal, boolean fail) {
    JournalFaults.failWrites(journal, fail);
    if (fail) {
      failing.add(journal);
    }
  }

  private static Op create(String path) {
    return new Op.Create(path, AckedWrites.data(path), Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
  }

  private static void assertRefused(ActorTestKit kit, QuorumPeer.Status status) {
    // A server without a leader holds a connect for a third of its timeout before it
    // turns it away; a short one keeps the test quick.
    SessionOutput out = TestSession.tryOpen(kit, status, 1_000);
    SessionOutput.Closed c = assertInstanceOf(SessionOutput.Closed.class, out,
        "a server that cannot write must refuse sessions");
    assertEquals(SessionOutput.Reason.UNAVAILABLE, c.reason());
  }

  @Test
  void followersThatCannotWriteNeverAckAndRejoinOnceTheyCan() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int f1 = leader == 1 ? 2 : 1;
      int f2 = 6 - leader - f1;
      AckedWrites writes = new AckedWrites();
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      TestSession viaF1 = TestSession.open(e.kit(f1), e.status(f1), 30_000);
      writes.createMany(viaLeader, "/before-", 5);

      failWrites(e.journalDir(f1), true);
      // The leader and the other follower still make a quorum of durable copies.
      writes.createMany(viaLeader, "/one-broken-", 10);
      e.awaitNotServing(f1);
      assertEquals(SessionOutput.Reason.UNAVAILABLE, viaF1.awaitClosed(CLOSE_WAIT).reason());
      assertRefused(e.kit(f1), e.status(f1));

      // With both followers unable to write, only the leader holds the next txn durably: it
      // must never be acknowledged. The leader loses its quorum and ends the session instead.
      failWrites(e.journalDir(f2), true);
      viaLeader.submit(create("/unacknowledged"));
      viaLeader.awaitClosed(CLOSE_WAIT);
      for (int id : e.ids()) {
        e.awaitNotServing(id);
      }

      JournalFaults.failWrites(e.journalDir(f1), false);
      JournalFaults.failWrites(e.journalDir(f2), false);
      int next = e.awaitServing();
      TestSession after = TestSession.open(e.kit(next), e.status(next), 30_000);
      writes.createMany(after, "/healed-", 5);
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }

  @Test
  void leaderThatCannotWriteStepsDownAndRejoinsOnceItCan() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      AckedWrites writes = new AckedWrites();
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      writes.createMany(viaLeader, "/before-", 5);

      failWrites(e.journalDir(leader), true);
      int cxid = viaLeader.submit(create("/maybe"));
      // The followers may still make it durable and commit it; the leader's own log failed, so
      // the leader stops leading whatever happens and the session ends.
      SessionOutput out = viaLeader.door().receiveMessage(CLOSE_WAIT);
      if (out instanceof SessionOutput.Reply r) {
        assertEquals(cxid, r.cxid());
        assertInstanceOf(Result.Created.class, r.result());
        out = viaLeader.awaitClosed(CLOSE_WAIT);
      }
      assertInstanceOf(SessionOutput.Closed.class, out);

      Set<Integer> others = Set.of(leader == 1 ? 2 : 1, 6 - leader - (leader == 1 ? 2 : 1));
      int next = e.awaitServing(others, Ensemble.WAIT);
      assertNotEquals(leader, next);
      TestSession viaNext = TestSession.open(e.kit(next), e.status(next), 30_000);
      writes.createMany(viaNext, "/new-leader-", 10);
      assertFalse(e.status(leader).serving(), "a server that cannot write must not serve");
      assertRefused(e.kit(leader), e.status(leader));

      JournalFaults.failWrites(e.journalDir(leader), false);
      e.awaitServing();
      writes.createMany(viaNext, "/healed-", 5);
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }

  /**
   * A server whose disk broke while it was idle has the best vote once the leader dies. It may
   * win that one election (nothing told it yet that it cannot write), but after its log failed
   * it must not come back to elections it would win again and again without ever leading: the
   * healthy majority has to elect one of its own.
   */
  @Test
  void serverThatCannotWriteDoesNotKeepWinningElections() {
    try (Ensemble e = new Ensemble(dir, 5, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int best = leader == 5 ? 4 : 5;
      AckedWrites writes = new AckedWrites();
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      writes.createMany(viaLeader, "/before-", 5);
      e.awaitConverged();

      failWrites(e.journalDir(best), true);
      e.kill(leader);
      List<Integer> healthy = new ArrayList<>(e.ids());
      healthy.removeAll(List.of(leader, best));
      int next = e.awaitServing(healthy, Ensemble.WAIT);
      TestSession viaNext = TestSession.open(e.kit(next), e.status(next), 30_000);
      writes.createMany(viaNext, "/healthy-majority-", 10);
      assertFalse(e.status(best).serving(), "a server that cannot write must not serve");

      JournalFaults.failWrites(e.journalDir(best), false);
      e.start(leader);
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }

  @Test
  void standaloneServerThatCannotWriteRefusesAndRecovers() {
    Config config = TestNodes.standaloneConfig(dir, Map.of("paddock.tick-time", "100ms",
        "paddock.max-session-timeout", "60s"));
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    Path journal = dir.resolve("log");
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit, system, true, Ensemble.WAIT);
      TestSession s = TestSession.open(kit, status, 30_000);
      assertInstanceOf(Result.Created.class, s.call(create("/a")));

      failWrites(journal, true);
      s.submit(create("/lost"));
      assertEquals(SessionOutput.Reason.UNAVAILABLE, s.awaitClosed(CLOSE_WAIT).reason());
      TestNodes.awaitServing(kit, system, false, Ensemble.WAIT);
      assertRefused(kit, status);

      JournalFaults.failWrites(journal, false);
      status = TestNodes.awaitServing(kit, system, true, Ensemble.WAIT);
      TestSession again = TestSession.open(kit, status, 30_000);
      assertInstanceOf(Result.Created.class, again.call(create("/b")));
      assertInstanceOf(Result.Data.class, again.call(new Op.GetData("/a", false)));
      TestProbe<DataTreeActor.Info> info = kit.createTestProbe();
      status.tree().tell(new DataTreeActor.GetInfo(info.ref()));
      assertNull(info.receiveMessage().snapshot().node("/lost"),
          "a write the journal refused must not be applied");
    } finally {
      kit.shutdownTestKit();
    }
  }
}
