package dev.paddock.sim.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;

/**
 * The configurations the search has left without finding a linearization. A configuration is
 * known-outcome calls placed, indeterminate calls placed (or dropped), and the state. One fails
 * for certain if another with the same known calls and state and a subset of its indeterminate
 * calls failed: that one had every option this one has, and more, since an unplaced
 * indeterminate call may still be placed or left out.
 *
 * <p>Only finished configurations count, not those still being explored up the current path:
 * dropping an indeterminate call leads to a configuration that its own parent would subsume, and
 * pruning it there would cut the one path the parent has past that call's deadline.
 */
final class Memo {
  /**
   * How many indeterminate sets per (known calls, state) are compared for inclusion; past that,
   * only for equality, so that a search with many lost calls does not go quadratic here.
   */
  private static final int SCANNED = 32;

  private final HashMap<Key, Sets> byKnown = new HashMap<>();

  private record Key(long[] known, Object state, int hash) {
    Key(long[] known, Object state) {
      this(known, state, 31 * Arrays.hashCode(known) + state.hashCode());
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && k.hash == hash && Arrays.equals(k.known, known)
          && k.state.equals(state);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private record Words(long[] words) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Words w && Arrays.equals(w.words, words);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(words);
    }
  }

  private static final class Sets {
    final List<long[]> scanned = new ArrayList<>(1);
    HashSet<Words> more;
  }

  /** Whether this configuration, or one like it with fewer indeterminate calls placed, failed. */
  boolean failed(long[] known, long[] lost, Object state) {
    Sets sets = byKnown.get(new Key(known, state));
    if (sets == null) {
      return false;
    }
    for (long[] m : sets.scanned) {
      if (subset(m, lost)) {
        return true;
      }
    }
    return sets.more != null && sets.more.contains(new Words(lost));
  }

  void fail(long[] known, long[] lost, Object state) {
    Sets sets = byKnown.computeIfAbsent(new Key(known, state), k -> new Sets());
    if (sets.scanned.size() < SCANNED) {
      sets.scanned.add(lost);
    } else {
      if (sets.more == null) {
        sets.more = new HashSet<>();
      }
      sets.more.add(new Words(lost));
    }
  }

  private static boolean subset(long[] a, long[] b) {
    if (a.length > b.length) {
      return false;
    }
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & ~b[i]) != 0) {
        return false;
      }
    }
    return true;
  }
}
