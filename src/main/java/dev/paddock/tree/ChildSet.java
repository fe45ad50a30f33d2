package dev.paddock.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * The children of one znode: an immutable sorted set of child paths, a persistent B+tree
 * ({@link BTree}) whose changes copy only the nodes from the root to one leaf, so tree snapshots
 * share it as they share znodes. A child costs about five bytes beyond its path, where a hash
 * trie of the same paths costs about twenty-six (sparse nodes, a stored hash per entry).
 * Children are kept in path order, which for the children of one znode is name order.
 */
public final class ChildSet implements Iterable<String> {
  private static final ChildSet EMPTY = new ChildSet(BTree.EMPTY_SET);

  private final BTree.Node root;

  private ChildSet(BTree.Node root) {
    this.root = root;
  }

  public static ChildSet empty() {
    return EMPTY;
  }

  /** The set of {@code paths}, built bottom-up rather than by one copying insert per path. */
  public static ChildSet of(Collection<String> paths) {
    String[] sorted = paths.toArray(new String[0]);
    Arrays.sort(sorted);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (distinct == 0 || !sorted[distinct - 1].equals(sorted[i])) {
        sorted[distinct++] = sorted[i];
      }
    }
    return distinct == 0 ? EMPTY : new ChildSet(
        BTree.build(Arrays.copyOf(sorted, distinct), null, null, BTree.EMPTY_SET));
  }

  public int size() {
    return root.size();
  }

  public boolean isEmpty() {
    return root.size() == 0;
  }

  public boolean contains(String path) {
    return BTree.leafFor(root, 0, path).indexOf(0, path) >= 0;
  }

  /** This set with {@code path}; this very set if it holds it already. */
  public ChildSet incl(String path) {
    BTree.Node[] split = root.put(0, path, null);
    return split == null ? this : new ChildSet(BTree.rootOf(split));
  }

  /** This set without {@code path}; this very set if it does not hold it. */
  public ChildSet excl(String path) {
    BTree.Node changed = root.remove(0, path);
    if (changed == null) {
      return this;
    }
    changed = BTree.shrink(changed);
    return changed.size() == 0 ? EMPTY : new ChildSet(changed);
  }

  /** The paths in order. */
  @Override
  public Iterator<String> iterator() {
    return new BTree.Cursor<>(root) {
      @Override
      String at(BTree.Leaf leaf, int i) {
        return leaf.keys()[i];
      }
    };
  }

  public List<String> toList() {
    List<String> out = new ArrayList<>(size());
    for (String p : this) {
      out.add(p);
    }
    return out;
  }

  /** The tree, for tests of its shape. */
  BTree.Node root() {
    return root;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof ChildSet other && other.size() == size()
        && BTree.sameInOrder(iterator(), other.iterator()));
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (String p : this) {
      h = 31 * h + p.hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
