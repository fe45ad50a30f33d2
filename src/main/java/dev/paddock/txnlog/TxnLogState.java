package dev.paddock.txnlog;

import dev.paddock.txn.TxnEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;

/**
 * The transaction log's state, folded from its journal events: epochs, the last logged zxid,
 * and the txns not yet covered by the newest tree snapshot. Pure and mutable, owned by one
 * {@link TxnLog} (or a test's simulated disk, which replays the same events); replies carry
 * copies.
 */
public final class TxnLogState {
  private long acceptedEpoch;
  private long currentEpoch;
  private long lastZxid;
  private long baseZxid;
  private final ArrayList<TxnEntry> entries = new ArrayList<>();
  /** (journal sequence number, highest zxid in that event) of each batch still journaled. */
  private final ArrayDeque<long[]> batchMarks = new ArrayDeque<>();

  public long lastZxid() {
    return lastZxid;
  }

  /** Zxid below which the log holds nothing (snapshot restored, or journal purged). */
  public long baseZxid() {
    return baseZxid;
  }

  public TxnLog.Snapshot copy() {
    return new TxnLog.Snapshot(acceptedEpoch, currentEpoch, lastZxid, baseZxid,
        java.util.List.copyOf(entries));
  }

  /** Folds one journal event, stored under sequence number {@code seqNr}. */
  public void apply(TxnLog.Event event, long seqNr) {
    if (event instanceof TxnLog.Batch b) {
      for (TxnEntry t : b.entries()) {
        if (t.zxid() > lastZxid) {
          entries.add(t);
          lastZxid = t.zxid();
        }
      }
      batchMarks.addLast(new long[] {seqNr, lastZxid});
    } else if (event instanceof TxnLog.EpochAccepted e) {
      acceptedEpoch = Math.max(acceptedEpoch, e.epoch());
    } else if (event instanceof TxnLog.EpochCurrent e) {
      currentEpoch = Math.max(currentEpoch, e.epoch());
      acceptedEpoch = Math.max(acceptedEpoch, e.epoch());
    } else if (event instanceof TxnLog.Truncated t) {
      int keep = entries.size();
      while (keep > 0 && entries.get(keep - 1).zxid() > t.zxid()) {
        keep--;
      }
      entries.subList(keep, entries.size()).clear();
      lastZxid = Math.min(lastZxid, t.zxid());
    } else if (event instanceof TxnLog.Restored r) {
      entries.clear();
      lastZxid = r.zxid();
      baseZxid = r.zxid();
    } else if (event instanceof TxnLog.Purged p) {
      trimMemory(p.zxid());
    } else if (event instanceof TxnLog.Checkpoint c) {
      acceptedEpoch = Math.max(acceptedEpoch, c.acceptedEpoch());
      currentEpoch = Math.max(currentEpoch, c.currentEpoch());
      if (entries.isEmpty() && c.lastZxid() > lastZxid) {
        lastZxid = c.lastZxid();
        baseZxid = Math.max(baseZxid, c.lastZxid());
      }
    }
  }

  /** Txns at or below a durable tree snapshot are no longer needed in memory. */
  public void trimMemory(long zxid) {
    if (zxid <= baseZxid) {
      return;
    }
    int drop = 0;
    while (drop < entries.size() && entries.get(drop).zxid() <= zxid) {
      drop++;
    }
    entries.subList(0, drop).clear();
    baseZxid = zxid;
  }

  /**
   * What may be deleted while the oldest snapshot kept is at {@code oldestKeptZxid}: the
   * highest journal sequence number whose batches all lie within that snapshot, and the highest
   * zxid among them; null if nothing.
   */
  public long[] purgePoint(long oldestKeptZxid) {
    long[] point = null;
    for (long[] mark : batchMarks) {
      if (mark[1] <= oldestKeptZxid) {
        point = mark.clone();
      } else {
        break;
      }
    }
    return point;
  }

  /** Written before a prefix of the journal is deleted, so the epochs and end survive it. */
  public TxnLog.Checkpoint checkpoint() {
    return new TxnLog.Checkpoint(acceptedEpoch, currentEpoch, lastZxid);
  }

  public void forgetBatchesUpTo(long seqNr) {
    while (!batchMarks.isEmpty() && batchMarks.peekFirst()[0] <= seqNr) {
      batchMarks.pollFirst();
    }
  }
}
