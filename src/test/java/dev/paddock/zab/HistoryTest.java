package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.TxnSize;
import dev.paddock.txn.Zxid;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

  static TxnEntry entry(long zxid) {
    return new TxnEntry(zxid, 7, 1, 1000, new Txn.SetData("/a", new byte[100], 1));
  }

  static List<Long> zxids(List<TxnEntry> entries) {
    return entries.stream().map(TxnEntry::zxid).toList();
  }

  /** Epoch 1 counters 1..3, then epoch 3 counters 1..2 (epoch 2 never committed anything). */
  private static History twoEpochs() {
    History h = new History(0, 100, Long.MAX_VALUE);
    for (long z : List.of(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(3, 1),
        Zxid.of(3, 2))) {
      h.append(entry(z));
    }
    return h;
  }

  @Test
  void emptyHistoryIsItsBase() {
    History h = new History(Zxid.of(2, 5), 10, 1 << 20);
    assertEquals(0, h.size());
    assertEquals(Zxid.of(2, 5), h.base());
    assertEquals(Zxid.of(2, 5), h.last());
    assertTrue(h.contains(Zxid.of(2, 5)));
    assertFalse(h.contains(Zxid.of(2, 6)));
    assertEquals(Zxid.of(2, 5), h.floor(Zxid.of(9, 9)));
    assertEquals(List.of(), h.after(Zxid.of(2, 5)));
  }

  @Test
  void containsTheBaseAndTheEntriesOnly() {
    History h = twoEpochs();
    assertTrue(h.contains(0));
    assertTrue(h.contains(Zxid.of(1, 3)));
    assertTrue(h.contains(Zxid.of(3, 1)));
    assertFalse(h.contains(Zxid.of(1, 4)));
    assertFalse(h.contains(Zxid.of(2, 1)));
    assertFalse(h.contains(Zxid.of(3, 3)));
    assertEquals(Zxid.of(3, 2), h.last());
  }

  @Test
  void floorFindsTheLastCommonZxid() {
    History h = twoEpochs();
    assertEquals(Zxid.of(1, 2), h.floor(Zxid.of(1, 2)));
    assertEquals(Zxid.of(1, 3), h.floor(Zxid.of(1, 7)), "old-epoch tail beyond the history");
    assertEquals(Zxid.of(1, 3), h.floor(Zxid.of(2, 9)), "an epoch that never committed");
    assertEquals(Zxid.of(3, 2), h.floor(Zxid.of(4, 1)));
    assertEquals(0, h.floor(Zxid.of(0, 5)));
  }

  @Test
  void afterReturnsTheStrictlyNewerEntriesInOrder() {
    History h = twoEpochs();
    assertEquals(List.of(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(3, 1),
        Zxid.of(3, 2)), zxids(h.after(0)));
    assertEquals(List.of(Zxid.of(3, 1), Zxid.of(3, 2)), zxids(h.after(Zxid.of(1, 3))));
    assertEquals(List.of(Zxid.of(3, 1), Zxid.of(3, 2)), zxids(h.after(Zxid.of(2, 4))));
    assertEquals(List.of(), h.after(Zxid.of(3, 2)));
  }

  @Test
  void trimmingByCountMovesTheBase() {
    History h = new History(0, 3, Long.MAX_VALUE);
    for (int i = 1; i <= 5; i++) {
      h.append(entry(Zxid.of(1, i)));
    }
    assertEquals(5, h.size(), "nothing is dropped until the tree holds it");
    h.trim(Zxid.of(1, 5));
    assertEquals(3, h.size());
    assertEquals(Zxid.of(1, 2), h.base());
    assertTrue(h.contains(Zxid.of(1, 2)), "the base is part of every synced history");
    assertFalse(h.contains(Zxid.of(1, 1)));
    assertEquals(List.of(Zxid.of(1, 3), Zxid.of(1, 4), Zxid.of(1, 5)), zxids(h.after(0)));
    assertEquals(List.of(Zxid.of(1, 4), Zxid.of(1, 5)), zxids(h.after(Zxid.of(1, 3))));
    assertEquals(Zxid.of(1, 2), h.floor(Zxid.of(1, 1)), "never below the base");
  }

  @Test
  void trimmingByBytesMovesTheBase() {
    long size = TxnSize.of(entry(1));
    History h = new History(0, 1000, 2 * size + size / 2);
    for (int i = 1; i <= 4; i++) {
      h.append(entry(Zxid.of(1, i)));
    }
    h.trim(Zxid.of(1, 4));
    assertEquals(2, h.size());
    assertEquals(Zxid.of(1, 2), h.base());
    assertEquals(List.of(Zxid.of(1, 3), Zxid.of(1, 4)), zxids(h.after(0)));
  }

  @Test
  void anOversizedEntryAboveTheTreeIsStillKept() {
    History h = new History(0, 1000, 10);
    h.append(entry(Zxid.of(1, 1)));
    h.trim(0);
    assertEquals(1, h.size());
    assertEquals(0, h.base());
    h.append(entry(Zxid.of(1, 2)));
    h.trim(Zxid.of(1, 1));
    assertEquals(1, h.size());
    assertEquals(Zxid.of(1, 1), h.base());
    assertEquals(Zxid.of(1, 2), h.last());
  }

  @Test
  void staysCorrectAcrossInternalCompaction() {
    History h = new History(0, 10, Long.MAX_VALUE);
    for (int i = 1; i <= 20_000; i++) {
      h.append(entry(Zxid.of(1, i)));
      h.trim(Zxid.of(1, i));
    }
    assertEquals(10, h.size());
    assertEquals(Zxid.of(1, 19_990), h.base());
    assertEquals(Zxid.of(1, 20_000), h.last());
    assertTrue(h.contains(Zxid.of(1, 19_995)));
    assertFalse(h.contains(Zxid.of(1, 19_989)));
    assertEquals(Zxid.of(1, 19_995), h.floor(Zxid.of(1, 19_995)));
    assertEquals(List.of(Zxid.of(1, 19_999), Zxid.of(1, 20_000)),
        zxids(h.after(Zxid.of(1, 19_998))));
    assertEquals(10, h.after(5).size());
  }

  @Test
  void neverDropsWhatTheTreeDoesNotHold() {
    History h = new History(Zxid.of(1, 0), 10, Long.MAX_VALUE);
    for (int i = 1; i <= 50; i++) {
      h.append(entry(Zxid.of(1, i)));
    }
    h.trim(Zxid.of(1, 5));
    assertEquals(Zxid.of(1, 5), h.base(), "the base stops at the tree");
    assertEquals(45, h.size());
    assertEquals(Zxid.of(1, 6), h.after(Zxid.of(1, 5)).get(0).zxid());
  }
}
