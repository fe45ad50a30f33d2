package dev.paddock.zab;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A learner that has fallen behind the leader's diff window crashes at each step of its SNAP
 * sync; once restarted it must catch up, and no acknowledged write may be lost anywhere.
 */
class ZabSyncCrashTest {
  @TempDir Path dir;

  static Stream<Arguments> points() {
    return Stream.of(
        Arguments.of(CrashPoints.LEARNER_SNAP_RECEIVED, 3),
        Arguments.of(CrashPoints.LEARNER_SNAP_DURABLE, 3),
        Arguments.of(CrashPoints.LEARNER_BEFORE_NEWLEADER_ACK, 3),
        Arguments.of(CrashPoints.LEARNER_AFTER_NEWLEADER_ACK, 3),
        Arguments.of(CrashPoints.LEARNER_BEFORE_UPTODATE, 3),
        // With five voters the leader still has a quorum of two followers besides the learner
        // that keeps crashing, and two servers must be brought up to date by SNAP.
        Arguments.of(CrashPoints.LEARNER_SNAP_DURABLE, 5));
  }

  @ParameterizedTest(name = "crash at {0} with {1} servers")
  @MethodSource("points")
  void learnerCrashingDuringSnapSyncCatchesUpLater(String point, int servers) {
    try (Ensemble e = new Ensemble(dir, servers, 0, Map.of("paddock.diff-window", 5))) {
      e.startAll();
      int leader = e.awaitServing();
      int learner = leader == servers ? 1 : servers;
      AckedWrites writes = new AckedWrites();
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 10_000);
      writes.createMany(s, "/before-", 3);
      e.awaitConverged();

      e.kill(learner);
      // Far more than the diff window, so the learner can only be synced by SNAP.
      writes.createMany(s, "/while-down-", 20);
      // The leader trims its history at a commit, down to what its tree has applied: once the
      // others applied all of the above, one more commit leaves only the diff window, whatever
      // the applies lagged by before.
      e.awaitConverged();
      writes.createMany(s, "/trim-", 1);
      e.crashPoints(learner).arm(point);
      e.start(learner);
      e.awaitCrashed(learner);

      writes.createMany(s, "/after-crash-", 10);
      e.start(learner);
      e.awaitServing();
      writes.createMany(s, "/after-rejoin-", 3);
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }
}
