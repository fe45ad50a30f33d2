package dev.paddock.sim.check;

import java.util.Arrays;

/**
 * The set of operations placed so far, with compact exact keys for the search's memo.
 *
 * <p>Operations whose outcome is known are numbered in invoke order; since any one of them must be
 * placed before everything invoked after it returns, the placed ones are nearly always a prefix
 * plus a short ragged edge. The key stores the prefix length and the edge only, so it stays a few
 * words long whatever the history's length. Indeterminate operations, which may stay unplaced for
 * ever, have their own numbering and key.
 */
final class LinearizedSet {
  private final long[] known;
  private final long[] lost;
  private int low; // every known operation numbered below this is placed
  private int placedKnown;

  LinearizedSet(int knownCount, int lostCount) {
    known = new long[(knownCount + 63) >>> 6];
    lost = new long[(lostCount + 63) >>> 6];
  }

  int placedKnown() {
    return placedKnown;
  }

  void addKnown(int i) {
    known[i >>> 6] |= 1L << i;
    placedKnown++;
    if (i == low) {
      int w = low >>> 6;
      long word = ~known[w] & (-1L << low);
      while (word == 0 && ++w < known.length) {
        word = ~known[w];
      }
      low = w < known.length ? (w << 6) + Long.numberOfTrailingZeros(word) : known.length << 6;
    }
  }

  void removeKnown(int i) {
    known[i >>> 6] &= ~(1L << i);
    placedKnown--;
    low = Math.min(low, i);
  }

  void addLost(int i) {
    lost[i >>> 6] |= 1L << i;
  }

  void removeLost(int i) {
    lost[i >>> 6] &= ~(1L << i);
  }

  /** An exact encoding of the known-outcome operations placed, a few words long. */
  long[] knownKey() {
    int from = low >>> 6;
    int to = lastNonZero(known, from);
    long[] key = new long[1 + to - from];
    key[0] = low;
    System.arraycopy(known, from, key, 1, to - from);
    return key;
  }

  /** The indeterminate operations placed, without trailing zero words. */
  long[] lostKey() {
    return Arrays.copyOf(lost, lastNonZero(lost, 0));
  }

  private static int lastNonZero(long[] words, int from) {
    int to = words.length;
    while (to > from && words[to - 1] == 0) {
      to--;
    }
    return to;
  }
}
