package dev.paddock.zab;

import static dev.paddock.zab.HistoryTest.entry;
import static dev.paddock.zab.HistoryTest.zxids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paddock.txn.Zxid;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyncPlanTest {
  private static final long BASE = Zxid.of(1, 10);

  /** Base 1/10, then 1/11..1/13, then epoch 3 (epoch 2's proposals never committed). */
  private static History history() {
    History h = new History(BASE, 100, Long.MAX_VALUE);
    for (long z : List.of(Zxid.of(1, 11), Zxid.of(1, 12), Zxid.of(1, 13), Zxid.of(3, 1),
        Zxid.of(3, 2))) {
      h.append(entry(z));
    }
    return h;
  }

  @Test
  void learnerUpToDateGetsAnEmptyDiff() {
    SyncPlan p = SyncPlan.plan(history(), Zxid.of(3, 2), Zxid.of(3, 1));
    assertEquals(Packet.SyncMode.DIFF, p.mode());
    assertEquals(List.of(), p.entries());
  }

  @Test
  void learnerWithAPrefixGetsTheRestByDiff() {
    SyncPlan p = SyncPlan.plan(history(), Zxid.of(1, 12), Zxid.of(3, 2));
    assertEquals(Packet.SyncMode.DIFF, p.mode());
    assertEquals(Zxid.of(1, 12), p.truncateTo());
    assertEquals(List.of(Zxid.of(1, 13), Zxid.of(3, 1), Zxid.of(3, 2)), zxids(p.entries()));
  }

  @Test
  void learnerAtTheBaseGetsEverythingByDiff() {
    SyncPlan p = SyncPlan.plan(history(), BASE, Zxid.of(3, 2));
    assertEquals(Packet.SyncMode.DIFF, p.mode());
    assertEquals(5, p.entries().size());
    assertEquals(Zxid.of(1, 11), p.entries().get(0).zxid());
  }

  @Test
  void learnerAheadIsTruncatedToTheLeadersEnd() {
    SyncPlan p = SyncPlan.plan(history(), Zxid.of(3, 5), Zxid.of(3, 2));
    assertEquals(Packet.SyncMode.TRUNC, p.mode());
    assertEquals(Zxid.of(3, 2), p.truncateTo());
    assertEquals(List.of(), p.entries());
  }

  @Test
  void learnerWithADivergentOldEpochTailIsTruncatedThenDiffed() {
    // 2/4 was proposed in epoch 2 and never committed; the common prefix ends at 1/13.
    SyncPlan p = SyncPlan.plan(history(), Zxid.of(2, 4), Zxid.of(3, 2));
    assertEquals(Packet.SyncMode.TRUNC, p.mode());
    assertEquals(Zxid.of(1, 13), p.truncateTo());
    assertEquals(List.of(Zxid.of(3, 1), Zxid.of(3, 2)), zxids(p.entries()));
  }

  @Test
  void learnerWithALongerTailOfAnEarlierEpochIsTruncated() {
    SyncPlan p = SyncPlan.plan(history(), Zxid.of(1, 15), Zxid.of(3, 2));
    assertEquals(Packet.SyncMode.TRUNC, p.mode());
    assertEquals(Zxid.of(1, 13), p.truncateTo());
    assertEquals(List.of(Zxid.of(3, 1), Zxid.of(3, 2)), zxids(p.entries()));
  }

  @Test
  void learnerBehindTheBaseGetsASnapshotAndWhatFollowsIt() {
    SyncPlan p = SyncPlan.plan(history(), Zxid.of(1, 4), Zxid.of(1, 13));
    assertEquals(Packet.SyncMode.SNAP, p.mode());
    assertEquals(Zxid.of(1, 13), p.truncateTo(), "the snapshot's zxid");
    assertEquals(List.of(Zxid.of(3, 1), Zxid.of(3, 2)), zxids(p.entries()));
  }

  @Test
  void emptyLearnerGetsASnapshot() {
    SyncPlan p = SyncPlan.plan(history(), 0, Zxid.of(3, 2));
    assertEquals(Packet.SyncMode.SNAP, p.mode());
    assertEquals(List.of(), p.entries());
  }

  /** After a restart the log above the snapshot may be longer than the diff window. */
  @Test
  void aSnapshotIsTheTreeAndEveryTxnAfterIt() {
    History h = new History(Zxid.of(1, 0), 10, Long.MAX_VALUE);
    for (int i = 1; i <= 50; i++) {
      h.append(entry(Zxid.of(1, i)));
    }
    h.trim(Zxid.of(1, 0));
    SyncPlan p = SyncPlan.plan(h, 0, Zxid.of(1, 0));
    assertEquals(Packet.SyncMode.SNAP, p.mode());
    assertEquals(50, p.entries().size());
    assertEquals(Zxid.of(1, 1), p.entries().get(0).zxid());
  }

  @Test
  void aTreeBehindTheHistoryIsRefusedRatherThanSentWithAHole() {
    History h = new History(Zxid.of(1, 0), 2, Long.MAX_VALUE);
    for (int i = 1; i <= 5; i++) {
      h.append(entry(Zxid.of(1, i)));
    }
    h.trim(Zxid.of(1, 5));
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> SyncPlan.plan(h, 0, Zxid.of(1, 1)));
  }
}
