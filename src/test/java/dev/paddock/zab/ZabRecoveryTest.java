package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.node.QuorumPeer;
import dev.paddock.request.Op;
import dev.paddock.txnlog.TxnLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Crash recovery of a three-server ensemble: every scenario ends with equal replicas. */
class ZabRecoveryTest {
  @TempDir Path dir;

  private static int otherThan(Ensemble e, int... not) {
    outer:
    for (int id : e.ids()) {
      for (int n : not) {
        if (id == n) {
          continue outer;
        }
      }
      return id;
    }
    throw new AssertionError("no other server");
  }

  private static long lastLogged(Ensemble e, int id) {
    TestProbe<TxnLog.Snapshot> probe = e.kit(id).createTestProbe();
    e.kit(id).system().unsafeUpcast().tell(new QuorumPeer.GetLogState(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10)).lastZxid();
  }

  @Test
  void proposalAckedByQuorumCommitsAfterLeaderDiesBeforeCommit() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int follower = otherThan(e, leader);
      AckedWrites writes = new AckedWrites();
      TestSession s = TestSession.open(e.kit(follower), e.status(follower), 10_000);
      writes.create(s, "/base");
      e.crashPoints(leader).arm(CrashPoints.LEADER_BEFORE_COMMIT);
      s.submit(new Op.Create("/x", AckedWrites.data("/x"), Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT));
      e.awaitCrashed(leader);
      int next = e.awaitServing();
      assertNotEquals(leader, next);
      e.awaitConverged();
      for (int id : e.ids()) {
        if (e.running(id)) {
          assertNotNull(e.info(id).snapshot().node("/x"), "server " + id + " lacks /x");
        }
      }
      e.start(leader);
      e.awaitServing();
      e.awaitConverged();
      assertNotNull(e.info(leader).snapshot().node("/x"));
      writes.assertPresent(e);
    }
  }

  @Test
  void uncommittedProposalOfOldEpochIsTruncated() {
    oldEpochTail(false);
  }

  @Test
  void crashInTheMiddleOfTruncRecovers() {
    oldEpochTail(true);
  }

  /** The leader logs a proposal no one else sees, dies, and returns after a new epoch began. */
  private void oldEpochTail(boolean crashInTrunc) {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      AckedWrites writes = new AckedWrites();
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 10_000);
      writes.create(s, "/base");
      long before = lastLogged(e, leader);
      for (int id : e.ids()) {
        if (id != leader) {
          e.cut(leader, id);
        }
      }
      s.submit(new Op.Create("/p", AckedWrites.data("/p"), Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT));
      e.kit(leader).createTestProbe().awaitAssert(Duration.ofSeconds(10),
          () -> {
            assertTrue(lastLogged(e, leader) > before, "proposal not logged yet");
            return null;
          });
      e.kill(leader);
      e.healAll();
      e.awaitServing();
      int survivor = otherThan(e, leader);
      TestSession t = TestSession.open(e.kit(survivor), e.status(survivor), 10_000);
      writes.createMany(t, "/after-", 20);
      if (crashInTrunc) {
        e.crashPoints(leader).arm(CrashPoints.LEARNER_IN_TRUNC);
        e.start(leader);
        e.awaitCrashed(leader);
      }
      e.start(leader);
      e.awaitServing();
      e.awaitConverged();
      AckedWrites.assertAbsent(e, "/p");
      writes.assertPresent(e);
    }
  }

  @Test
  void serverWithTheHighestZxidJoiningLateLeadsAndLosesNothing() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int f1 = otherThan(e, leader);
      int f2 = otherThan(e, leader, f1);
      AckedWrites writes = new AckedWrites();
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 10_000);
      writes.create(s, "/w1");
      e.kill(f2);
      writes.createMany(s, "/w2-", 10);
      e.kill(leader);
      e.kill(f1);
      e.start(f2);
      assertTrue(!e.status(f2).serving(), "a single voter of three must not serve");
      e.start(f1);
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);
      e.start(leader);
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }

  @Test
  void wholeEnsembleKilledAtOnceRestartsWithEveryAcknowledgedWrite() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of("paddock.snap-count", 50))) {
      e.startAll();
      int leader = e.awaitServing();
      int follower = otherThan(e, leader);
      AckedWrites writes = new AckedWrites();
      TestSession a = TestSession.open(e.kit(leader), e.status(leader), 10_000);
      TestSession b = TestSession.open(e.kit(follower), e.status(follower), 10_000);
      writes.createMany(a, "/a-", 150);
      writes.createMany(b, "/b-", 150);
      for (int id : e.ids()) {
        e.kill(id);
      }
      e.startAll();
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }
}
