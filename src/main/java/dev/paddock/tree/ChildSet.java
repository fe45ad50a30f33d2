package dev.paddock.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

/**
 * The children of one znode: an immutable sorted set of child paths, kept as the very
 * {@link PathKey}s the tree's {@link NodeMap} holds, in a persistent B+tree
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
  public static ChildSet ofPaths(Collection<String> paths) {
    List<byte[]> keys = new ArrayList<>(paths.size());
    for (String p : paths) {
      keys.add(PathKey.of(p));
    }
    return ofKeys(keys);
  }

  /** The set of these keys, the instances the tree's map holds for the same paths. */
  static ChildSet ofKeys(Collection<byte[]> keys) {
    byte[][] sorted = keys.toArray(new byte[0][]);
    Arrays.sort(sorted, PathKey::compare);
    int distinct = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (distinct == 0 || !Arrays.equals(sorted[distinct - 1], sorted[i])) {
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
    return incl(path, null);
  }

  /** As {@link #incl(String)}, holding {@code key} (the tree's, for the same path) if new. */
  ChildSet incl(String path, byte[] key) {
    BTree.Node[] split = root.put(0, path, key, null);
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

  /** The paths in order, as strings made for the caller. */
  @Override
  public Iterator<String> iterator() {
    return new BTree.Cursor<>(root) {
      @Override
      String at(BTree.Leaf leaf, int i) {
        return PathKey.path(leaf.keys()[i]);
      }
    };
  }

  /** The keys in order, the instances the tree's map holds. */
  Iterator<byte[]> keys() {
    return new BTree.Cursor<>(root) {
      @Override
      byte[] at(BTree.Leaf leaf, int i) {
        return leaf.keys()[i];
      }
    };
  }

  /** The children's names, in order. */
  public List<String> names() {
    List<String> out = new ArrayList<>(size());
    for (Iterator<byte[]> k = keys(); k.hasNext(); ) {
      out.add(PathKey.name(k.next()));
    }
    return out;
  }

  /** Bytes of every child's name in UTF-8, each with a 4-byte length before it. */
  public long namesWireSize() {
    long size = 0;
    for (Iterator<byte[]> k = keys(); k.hasNext(); ) {
      size += 4 + PathKey.nameLength(k.next());
    }
    return size;
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
        && sameKeys(keys(), other.keys()));
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (Iterator<byte[]> k = keys(); k.hasNext(); ) {
      h = 31 * h + PathKey.hash(k.next());
    }
    return h;
  }

  @Override
  public String toString() {
    return toList().toString();
  }

  private static boolean sameKeys(Iterator<byte[]> a, Iterator<byte[]> b) {
    while (a.hasNext()) {
      if (!Arrays.equals(a.next(), b.next())) {
        return false;
      }
    }
    return true;
  }
}
