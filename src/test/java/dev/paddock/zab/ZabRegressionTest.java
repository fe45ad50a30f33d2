package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scenarios from the Zab defects the simulator was built to pin down, on real servers: each
 * failed before its fix.
 */
class ZabRegressionTest {
  @TempDir Path dir;

  private static Op.Create create(String path, String data) {
    return new Op.Create(path, data.getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT);
  }

  /**
   * With ZooKeeper's default clocks a leader cut off from its followers kept serving for
   * sync-limit ticks (10 s) while the majority elected a new leader and moved on; a sync()
   * through it then answered from the old state.
   */
  @Test
  void aPartitionedLeaderNeverAnswersASyncWithTheOldValue() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of("paddock.tick-time", "2000ms",
        "paddock.sync-limit", 5, "paddock.init-limit", 10))) {
      e.startAll();
      int leader = e.awaitServing();
      TestSession old = TestSession.open(e.kit(leader), e.status(leader), 60_000);
      assertTrue(old.call(create("/v", "old")).isOk());

      e.partition(Set.of(leader));
      List<Integer> majority = new ArrayList<>(e.ids());
      majority.remove(Integer.valueOf(leader));
      int next = e.awaitServing(majority, Ensemble.WAIT);
      TestSession fresh = TestSession.open(e.kit(next), e.status(next), 60_000);
      assertTrue(fresh.call(new Op.SetData("/v", "new".getBytes(StandardCharsets.UTF_8), -1))
          .isOk());

      old.submit(new Op.Sync("/v"));
      old.submit(new Op.GetData("/v", false));
      // Either the old leader already stepped down or it does now: it answers neither.
      old.awaitClosed(Duration.ofSeconds(20));
    }
  }

  /**
   * After a restart the log above the last snapshot (50 txns) is longer than the diff window
   * (10): a server that missed them must get the tree and every txn after it, not a tree
   * followed by a tail with a hole.
   */
  @Test
  void aServerThatMissedMoreThanTheWindowGetsEveryTxnAfterARestart() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of("paddock.diff-window", 10,
        "paddock.snap-count", 100_000))) {
      e.startAll();
      int leader = e.awaitServing();
      int down = leader == 3 ? 2 : 3;
      int up = 6 - leader - down;
      e.kill(down);
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 60_000);
      for (int i = 1; i <= 50; i++) {
        assertTrue(s.call(create("/n" + i, "v")).isOk());
      }
      for (int id : e.ids()) {
        if (e.running(id)) {
          e.kill(id);
        }
      }
      e.start(up);
      e.start(down);
      e.awaitServing(List.of(up, down), Ensemble.WAIT);
      e.awaitConverged();
      for (int i = 1; i <= 50; i++) {
        assertNotNull(e.info(down).snapshot().node("/n" + i), "server " + down + " lacks /n" + i);
      }
      TestSession after = TestSession.open(e.kit(down), e.status(down), 60_000);
      Result r = after.call(new Op.GetData("/n50", false));
      assertTrue(r.isOk(), r.toString());
      assertEquals(2, e.ids().stream().filter(e::running).count());
    }
  }

  /**
   * A tree many times larger than what may be in flight (4 KiB chunks, two unacknowledged)
   * reaches a learner that crashes half-way through the first SNAP and is synced again.
   */
  @Test
  void aSnapLargerThanTheWindowArrivesPacedEvenAcrossACrash() {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of("paddock.diff-window", 5,
        "paddock.snap-chunk-size", "4k", "paddock.snap-window", 2))) {
      e.startAll();
      int leader = e.awaitServing();
      int learner = leader == 3 ? 2 : 3;
      e.kill(learner);
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 60_000);
      String kilobyte = "x".repeat(1000);
      for (int i = 1; i <= 200; i++) {
        assertTrue(s.call(create("/big" + i, kilobyte)).isOk());
      }
      e.crashPoints(learner).arm(CrashPoints.LEARNER_SNAP_PARTIAL);
      e.start(learner);
      e.awaitCrashed(learner);
      e.start(learner);
      e.awaitServing();
      e.awaitConverged();
      assertNotNull(e.info(learner).snapshot().node("/big200"));
    }
  }
}
