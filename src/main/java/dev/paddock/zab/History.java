package dev.paddock.zab;

import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.TxnSize;
import java.util.ArrayList;
import java.util.List;

/**
 * The leader's recent history: the txns after {@code base} (a committed zxid, so every replica
 * that is not behind it shares it), committed or still proposed, kept so that a learner close
 * behind can be sent the difference. Bounded: past its limits the oldest txns are dropped and the
 * base moves up, but only txns the leader's tree already holds, so that a SNAP (that tree, then
 * the txns after it) never leaves a hole; a learner behind the base gets such a snapshot.
 */
public final class History {
  private final int maxEntries;
  private final long maxBytes;
  private final ArrayList<TxnEntry> entries = new ArrayList<>();
  private int head;
  private long base;
  private long bytes;

  public History(long base, int maxEntries, long maxBytes) {
    this.base = base;
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  public void append(TxnEntry e) {
    entries.add(e);
    bytes += TxnSize.of(e);
  }

  /** Drops the oldest txns while over the limits, but none above {@code applied}. */
  public void trim(long applied) {
    while (size() > 0 && (size() > maxEntries || bytes > maxBytes)
        && entries.get(head).zxid() <= applied) {
      TxnEntry dropped = entries.get(head);
      entries.set(head, null);
      head++;
      bytes -= TxnSize.of(dropped);
      base = dropped.zxid();
    }
    if (head > 4096 && head > entries.size() / 2) {
      entries.subList(0, head).clear();
      head = 0;
    }
  }

  public int size() {
    return entries.size() - head;
  }

  /** Zxid below which this history has nothing; it is itself part of every synced history. */
  public long base() {
    return base;
  }

  public long last() {
    return size() == 0 ? base : entries.get(entries.size() - 1).zxid();
  }

  /** True when {@code zxid} is the base or one of the entries. */
  public boolean contains(long zxid) {
    return zxid == base || indexOf(zxid) >= 0;
  }

  /** The largest zxid of this history that is at most {@code zxid} (the base at least). */
  public long floor(long zxid) {
    int lo = head;
    int hi = entries.size() - 1;
    long best = base;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long z = entries.get(mid).zxid();
      if (z <= zxid) {
        best = z;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return best;
  }

  /** Entries with zxid strictly above {@code zxid}, oldest first. */
  public List<TxnEntry> after(long zxid) {
    int i = Math.max(head, upperBound(zxid));
    return new ArrayList<>(entries.subList(i, entries.size()));
  }

  private int indexOf(long zxid) {
    int i = upperBound(zxid) - 1;
    return i >= head && entries.get(i).zxid() == zxid ? i : -1;
  }

  /** First index whose zxid is greater than {@code zxid}. */
  private int upperBound(long zxid) {
    int lo = head;
    int hi = entries.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (entries.get(mid).zxid() <= zxid) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
