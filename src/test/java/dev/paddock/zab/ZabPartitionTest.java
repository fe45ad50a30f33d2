package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.session.SessionOutput;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A minority cut off from the rest serves no writes; the majority keeps (or elects) a leader and
 * goes on; once the network heals the minority catches up and nothing acknowledged is lost.
 */
class ZabPartitionTest {
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;

  private static Op create(String path) {
    return new Op.Create(path, AckedWrites.data(path), Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
  }

  @Test
  void isolatedFollowerOfThreeServesNothingAndCatchesUp() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int isolated = leader == 1 ? 2 : 1;
      AckedWrites writes = new AckedWrites();
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      TestSession viaIsolated = TestSession.open(e.kit(isolated), e.status(isolated), 30_000);
      writes.createMany(viaLeader, "/before-", 5);

      e.partition(Set.of(isolated));
      viaIsolated.submit(create("/from-minority"));
      assertEquals(SessionOutput.Reason.UNAVAILABLE,
          viaIsolated.awaitClosed(CLOSE_WAIT).reason());
      assertMinorityRefuses(e, List.of(isolated));

      List<Integer> majority = others(e, List.of(isolated));
      assertEquals(leader, e.awaitServing(majority, Ensemble.WAIT),
          "a leader that keeps its quorum keeps leading");
      writes.createMany(viaLeader, "/during-", 20);

      e.healAll();
      e.awaitServing();
      writes.createMany(viaLeader, "/after-", 5);
      e.awaitConverged();
      writes.assertPresent(e);
      AckedWrites.assertAbsent(e, "/from-minority");
    }
  }

  @Test
  void isolatedLeaderAndFollowerOfFiveStepDownAndRejoin() {
    try (Ensemble e = new Ensemble(dir, 5, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int follower = leader == 1 ? 2 : 1;
      List<Integer> minority = List.of(leader, follower);
      List<Integer> majority = others(e, minority);
      AckedWrites writes = new AckedWrites();
      TestSession viaLeader = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      TestSession viaFollower = TestSession.open(e.kit(follower), e.status(follower), 30_000);
      writes.createMany(viaLeader, "/before-", 5);

      e.partition(minority);
      // The old leader may still propose these, and its follower may log them, but two copies
      // of five are no quorum: neither may ever be acknowledged.
      viaLeader.submit(create("/minority-leader"));
      viaFollower.submit(create("/minority-follower"));
      assertEquals(SessionOutput.Reason.UNAVAILABLE, viaLeader.awaitClosed(CLOSE_WAIT).reason());
      assertEquals(SessionOutput.Reason.UNAVAILABLE,
          viaFollower.awaitClosed(CLOSE_WAIT).reason());
      assertMinorityRefuses(e, minority);

      int next = e.awaitServing(majority, Ensemble.WAIT);
      assertTrue(majority.contains(next));
      TestSession viaNext = TestSession.open(e.kit(next), e.status(next), 30_000);
      writes.createMany(viaNext, "/majority-", 20);
      assertMinorityRefuses(e, minority);

      e.healAll();
      e.awaitServing();
      writes.createMany(viaNext, "/after-", 5);
      e.awaitConverged();
      writes.assertPresent(e);
      AckedWrites.assertAbsent(e, "/minority-leader");
      AckedWrites.assertAbsent(e, "/minority-follower");
    }
  }

  private static List<Integer> others(Ensemble e, List<Integer> not) {
    List<Integer> rest = new ArrayList<>(e.ids());
    rest.removeAll(not);
    return rest;
  }

  /** Every server of the minority ends up not serving and refuses new sessions. */
  private static void assertMinorityRefuses(Ensemble e, List<Integer> minority) {
    for (int id : minority) {
      e.awaitNotServing(id);
      // A server without a leader holds a connect for a third of its timeout before it
      // turns it away; a short one keeps the test quick.
      SessionOutput out = TestSession.tryOpen(e.kit(id), e.status(id), 1_000);
      assertEquals(SessionOutput.Reason.UNAVAILABLE,
          assertInstanceOf(SessionOutput.Closed.class, out).reason(), "server " + id);
    }
  }
}
