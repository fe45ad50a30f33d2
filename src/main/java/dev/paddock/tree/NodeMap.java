package dev.paddock.tree;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Every znode of a tree by path: an immutable map, a persistent B+tree ({@link BTree}) ordered
 * by the path's hash (then the path), whose changes copy only the nodes from the root to one
 * leaf, so tree snapshots share it. Paths are kept as {@link PathKey}s and handed out as
 * strings made when asked for. A znode costs about 17 bytes here, where a hash trie costs
 * about 45 (an object and two arrays per sparse trie node, most of them near the bottom).
 * Lookups compare hashes, and a path with its key only where the hashes are equal: about as
 * fast as a hash map.
 */
public final class NodeMap implements Iterable<Map.Entry<String, DataNode>> {
  private static final NodeMap EMPTY = new NodeMap(BTree.EMPTY_MAP);

  private final BTree.Node root;

  private NodeMap(BTree.Node root) {
    this.root = root;
  }

  public static NodeMap empty() {
    return EMPTY;
  }

  /** Collects nodes and builds the map bottom-up; a path given twice keeps its last node. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * The path's own string hash, unmixed on purpose: siblings created one after another (n001,
   * n002, ...) have nearly consecutive hashes, so they land in few leaves. A snapshot being
   * written or kept still holds the tree as it was, and shares every leaf the changes since
   * did not touch; spread over all leaves, the same changes copied about every one of them.
   */
  static int hash(String path) {
    return path.hashCode();
  }

  public int size() {
    return root.size();
  }

  /** The node at {@code path}, or null. */
  public DataNode get(String path) {
    int h = hash(path);
    BTree.Leaf leaf = BTree.leafFor(root, h, path);
    int i = leaf.indexOf(h, path);
    return i >= 0 ? leaf.values()[i] : null;
  }

  /**
   * This map with {@code node} at {@code path}. A path already present keeps the key it was
   * added with, which its parent's {@link ChildSet} shares.
   */
  public NodeMap updated(String path, DataNode node) {
    return updated(path, null, node);
  }

  /** As {@link #updated(String, DataNode)}; a new path takes {@code key} (its parent's). */
  NodeMap updated(String path, byte[] key, DataNode node) {
    return new NodeMap(
        BTree.rootOf(root.put(hash(path), path, key, Objects.requireNonNull(node))));
  }

  /** This map without {@code path}; this very map if it has no such node. */
  public NodeMap removed(String path) {
    BTree.Node changed = root.remove(hash(path), path);
    if (changed == null) {
      return this;
    }
    changed = BTree.shrink(changed);
    return changed.size() == 0 ? EMPTY : new NodeMap(changed);
  }

  /** Every (path, node); the path strings are made for the call. */
  public void forEachNode(BiConsumer<String, DataNode> action) {
    forEachKey((key, node) -> action.accept(PathKey.path(key), node));
  }

  /** Every (key, node), without making path strings. */
  void forEachKey(BiConsumer<byte[], DataNode> action) {
    forEach(root, action);
  }

  private static void forEach(BTree.Node n, BiConsumer<byte[], DataNode> action) {
    if (n instanceof BTree.Leaf leaf) {
      for (int i = 0; i < leaf.keys().length; i++) {
        action.accept(leaf.keys()[i], leaf.values()[i]);
      }
    } else {
      for (BTree.Node child : ((BTree.Inner) n).children()) {
        forEach(child, action);
      }
    }
  }

  /** Every node, in the map's order. */
  public Iterable<DataNode> values() {
    return () -> new BTree.Cursor<>(root) {
      @Override
      DataNode at(BTree.Leaf leaf, int i) {
        return leaf.values()[i];
      }
    };
  }

  /** Every (path, node), in the map's order. */
  @Override
  public Iterator<Map.Entry<String, DataNode>> iterator() {
    return new BTree.Cursor<>(root) {
      @Override
      Map.Entry<String, DataNode> at(BTree.Leaf leaf, int i) {
        return new AbstractMap.SimpleImmutableEntry<>(
            PathKey.path(leaf.keys()[i]), leaf.values()[i]);
      }
    };
  }

  /** Every (key, node), in the map's order. */
  Iterator<Map.Entry<byte[], DataNode>> keyIterator() {
    return new BTree.Cursor<>(root) {
      @Override
      Map.Entry<byte[], DataNode> at(BTree.Leaf leaf, int i) {
        return new AbstractMap.SimpleImmutableEntry<>(leaf.keys()[i], leaf.values()[i]);
      }
    };
  }

  /** The tree, for tests of its shape. */
  BTree.Node root() {
    return root;
  }

  /** Equal when both hold the same paths with equal nodes; both iterate in the same order. */
  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof NodeMap other) || other.size() != size()) {
      return false;
    }
    Iterator<Map.Entry<byte[], DataNode>> a = keyIterator();
    Iterator<Map.Entry<byte[], DataNode>> b = other.keyIterator();
    while (a.hasNext()) {
      Map.Entry<byte[], DataNode> x = a.next();
      Map.Entry<byte[], DataNode> y = b.next();
      if (!Arrays.equals(x.getKey(), y.getKey()) || !x.getValue().equals(y.getValue())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Iterator<Map.Entry<byte[], DataNode>> i = keyIterator(); i.hasNext(); ) {
      Map.Entry<byte[], DataNode> e = i.next();
      h += PathKey.hash(e.getKey()) ^ e.getValue().hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return "NodeMap[" + size() + " nodes]";
  }

  /** Nodes collected in any order, then sorted and packed into full leaves at once. */
  public static final class Builder {
    private final List<byte[]> keys = new ArrayList<>();
    private final List<DataNode> values = new ArrayList<>();

    private Builder() {}

    public Builder put(String path, DataNode node) {
      return put(PathKey.of(path), node);
    }

    /** A node under its key, which the children sets given to its parent share. */
    Builder put(byte[] key, DataNode node) {
      keys.add(Objects.requireNonNull(key));
      values.add(Objects.requireNonNull(node));
      return this;
    }

    public NodeMap result() {
      int n = keys.size();
      int[] hashes = new int[n];
      // Sorted as (hash, position) in one primitive array: a sort of boxed indexes with a
      // comparator took several times as long for a tree of half a million nodes.
      long[] order = new long[n];
      for (int i = 0; i < n; i++) {
        hashes[i] = PathKey.hash(keys.get(i));
        order[i] = ((long) hashes[i] << 32) | i;
      }
      Arrays.sort(order);
      int[] kept = new int[n];
      int count = 0;
      for (int from = 0; from < n; ) {
        int to = from + 1;
        while (to < n && (int) (order[to] >> 32) == (int) (order[from] >> 32)) {
          to++;
        }
        if (to - from > 1) {
          sortByPath(order, from, to);
        }
        for (int i = from; i < to; i++) {
          int e = (int) order[i];
          if (count > 0 && hashes[kept[count - 1]] == hashes[e]
              && Arrays.equals(keys.get(kept[count - 1]), keys.get(e))) {
            kept[count - 1] = e;
          } else {
            kept[count++] = e;
          }
        }
        from = to;
      }
      byte[][] k = new byte[count][];
      int[] h = new int[count];
      DataNode[] v = new DataNode[count];
      for (int i = 0; i < count; i++) {
        k[i] = keys.get(kept[i]);
        h[i] = hashes[kept[i]];
        v[i] = values.get(kept[i]);
      }
      BTree.Node root = BTree.build(k, h, v, BTree.EMPTY_MAP);
      return root == BTree.EMPTY_MAP ? EMPTY : new NodeMap(root);
    }

    /**
     * Orders {@code order[from, to)}, entries of paths sharing one hash, by path; stable, so of
     * a path put twice the node put last comes last.
     */
    private void sortByPath(long[] order, int from, int to) {
      Long[] run = new Long[to - from];
      for (int i = from; i < to; i++) {
        run[i - from] = order[i];
      }
      Arrays.sort(run,
          (x, y) -> PathKey.compare(keys.get((int) (long) x), keys.get((int) (long) y)));
      for (int i = from; i < to; i++) {
        order[i] = run[i - from];
      }
    }
  }
}
