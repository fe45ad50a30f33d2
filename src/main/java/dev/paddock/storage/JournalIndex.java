package dev.paddock.storage;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * In-memory index from (persistenceId, sequenceNr) to the frame that stores the event, plus the
 * highest and deleted-to sequence numbers per persistenceId.
 *
 * <p>Entries are kept in log order in primitive arrays (16 bytes per event) because Paddock
 * stores millions of events under a single persistenceId; a map of boxed entries would cost
 * several times as much. Sequence numbers of one persistenceId normally arrive strictly
 * increasing, which allows binary search; if a second writer ever interleaves lower numbers the
 * pid falls back to a linear scan, preserving log order for Pekko's replay filter.
 *
 * <p>The writer updates the index only after a batch is durable, so a replay never sees data
 * that could still vanish in a crash. All methods are synchronized; each call is short.
 */
final class JournalIndex {
  static final int OFFSET_BITS = 36;
  static final long MAX_OFFSET = (1L << OFFSET_BITS) - 1;

  private final Map<String, PidEntries> pids = new HashMap<>();

  static long location(long segment, long offset) {
    if (offset > MAX_OFFSET) {
      throw new IllegalStateException("segment offset " + offset + " exceeds index capacity");
    }
    return (segment << OFFSET_BITS) | offset;
  }

  static long segmentOf(long location) {
    return location >>> OFFSET_BITS;
  }

  static long offsetOf(long location) {
    return location & MAX_OFFSET;
  }

  /** A batch of index entries in log order. */
  record Chunk(long[] seqNrs, long[] locations, int size, boolean mayHaveMore) {}

  synchronized void addEvents(String pid, long[] seqNrs, long location) {
    PidEntries e = pids.computeIfAbsent(pid, k -> new PidEntries());
    for (long seqNr : seqNrs) {
      e.add(seqNr, location);
    }
  }

  synchronized void markDeleted(String pid, long deletedTo, long highestSeqNr) {
    PidEntries e = pids.computeIfAbsent(pid, k -> new PidEntries());
    e.highest = Math.max(e.highest, highestSeqNr);
    if (deletedTo > e.deletedTo) {
      e.deletedTo = deletedTo;
      e.dropDeleted();
    }
  }

  synchronized long highestSeqNr(String pid) {
    PidEntries e = pids.get(pid);
    return e == null ? 0L : e.highest;
  }

  synchronized long deletedTo(String pid) {
    PidEntries e = pids.get(pid);
    return e == null ? 0L : e.deletedTo;
  }

  /**
   * Returns up to {@code limit} live entries with seqNr in [from, to], at most {@code max}.
   * For unordered pids all matches are returned at once, since no seqNr cursor can resume them.
   */
  synchronized Chunk select(String pid, long from, long to, long max, int limit) {
    PidEntries e = pids.get(pid);
    if (e == null || max <= 0 || from > to) {
      return new Chunk(new long[0], new long[0], 0, false);
    }
    return e.select(from, to, max, limit);
  }

  private static final class PidEntries {
    long highest;
    long deletedTo;
    long[] seqNrs = new long[8];
    long[] locations = new long[8];
    int head;
    int tail;
    boolean ordered = true;

    void add(long seqNr, long location) {
      highest = Math.max(highest, seqNr);
      if (seqNr <= deletedTo) {
        return;
      }
      if (tail > head && seqNr <= seqNrs[tail - 1]) {
        ordered = false;
      }
      if (tail == seqNrs.length) {
        compactOrGrow();
      }
      seqNrs[tail] = seqNr;
      locations[tail] = location;
      tail++;
    }

    void dropDeleted() {
      if (ordered) {
        head = lowerBound(deletedTo + 1);
      } else {
        int w = head;
        for (int r = head; r < tail; r++) {
          if (seqNrs[r] > deletedTo) {
            seqNrs[w] = seqNrs[r];
            locations[w] = locations[r];
            w++;
          }
        }
        tail = w;
      }
      if (head == tail) {
        head = tail = 0;
        seqNrs = new long[8];
        locations = new long[8];
        ordered = true;
      } else if (head > (tail - head)) {
        compactOrGrow();
      }
    }

    /** Moves live entries to the front of arrays sized at twice their count. */
    private void compactOrGrow() {
      int live = tail - head;
      int capacity = Math.max(8, live * 2);
      long[] s = new long[capacity];
      long[] l = new long[capacity];
      System.arraycopy(seqNrs, head, s, 0, live);
      System.arraycopy(locations, head, l, 0, live);
      seqNrs = s;
      locations = l;
      head = 0;
      tail = live;
    }

    private int lowerBound(long seqNr) {
      int i = Arrays.binarySearch(seqNrs, head, tail, seqNr);
      return i >= 0 ? i : -i - 1;
    }

    Chunk select(long from, long to, long max, int limit) {
      long lower = Math.max(from, deletedTo + 1);
      int want = ordered ? (int) Math.min(max, limit) : (int) Math.min(max, Integer.MAX_VALUE);
      int cap = Math.min(want, tail - head);
      long[] s = new long[cap];
      long[] l = new long[cap];
      int n = 0;
      int start = ordered ? lowerBound(lower) : head;
      for (int i = start; i < tail && n < cap; i++) {
        long seqNr = seqNrs[i];
        if (seqNr > to) {
          if (ordered) {
            break;
          }
          continue;
        }
        if (seqNr >= lower) {
          s[n] = seqNr;
          l[n] = locations[i];
          n++;
        }
      }
      return new Chunk(s, l, n, ordered && n > 0 && n == want && n < max);
    }
  }
}
