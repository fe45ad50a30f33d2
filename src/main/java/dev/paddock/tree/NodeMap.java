package dev.paddock.tree;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Every znode of a tree by path: an immutable map, a persistent B+tree ordered by the path's
 * hash (then the path), whose changes copy only the path from the root to one leaf, so tree
 * snapshots share it. Its leaves hold paths, hashes and nodes in parallel arrays exactly as long
 * as their entries: a znode costs about 14 bytes here, where a hash trie costs about 45 (an
 * object and two arrays per sparse node, most of them near the bottom). Lookups compare hashes
 * (strings only when two paths share a hash), so they stay about as fast as a hash map's.
 */
public final class NodeMap implements Iterable<Map.Entry<String, DataNode>> {
  /** Entries of a leaf, or children of an inner node, at most; a full one splits in halves. */
  static final int MAX = 32;
  /** Below this a node borrows from or merges with a sibling. */
  static final int MIN = MAX / 4;

  private static final NodeMap EMPTY =
      new NodeMap(new Leaf(new String[0], new int[0], new DataNode[0]));

  private final Node root;

  private NodeMap(Node root) {
    this.root = root;
  }

  public static NodeMap empty() {
    return EMPTY;
  }

  /** Collects nodes and builds the map bottom-up; a path given twice keeps its last node. */
  public static Builder builder() {
    return new Builder();
  }

  public int size() {
    return root.size();
  }

  /** The node at {@code path}, or null. */
  public DataNode get(String path) {
    int h = hash(path);
    Node n = root;
    while (n instanceof Inner in) {
      n = in.children[in.childFor(h, path)];
    }
    Leaf leaf = (Leaf) n;
    int i = leaf.indexOf(h, path);
    return i >= 0 ? leaf.values[i] : null;
  }

  /**
   * This map with {@code node} at {@code path}. A path already present keeps the string it was
   * added with, which its parent's {@link ChildSet} shares.
   */
  public NodeMap updated(String path, DataNode node) {
    Objects.requireNonNull(node);
    Node[] split = root.put(hash(path), path, node);
    return new NodeMap(split.length == 1 ? split[0] : Inner.of(split));
  }

  /** This map without {@code path}; this very map if it has no such node. */
  public NodeMap removed(String path) {
    Node changed = root.remove(hash(path), path);
    if (changed == null) {
      return this;
    }
    while (changed instanceof Inner in && in.children.length == 1) {
      changed = in.children[0];
    }
    return changed.size() == 0 ? EMPTY : new NodeMap(changed);
  }

  public void forEachNode(BiConsumer<String, DataNode> action) {
    forEach(root, action);
  }

  private static void forEach(Node n, BiConsumer<String, DataNode> action) {
    if (n instanceof Leaf leaf) {
      for (int i = 0; i < leaf.keys.length; i++) {
        action.accept(leaf.keys[i], leaf.values[i]);
      }
    } else {
      for (Node child : ((Inner) n).children) {
        forEach(child, action);
      }
    }
  }

  /** Every node, in the map's order. */
  public Iterable<DataNode> values() {
    return () -> new Cursor<>(root) {
      @Override
      DataNode at(Leaf leaf, int i) {
        return leaf.values[i];
      }
    };
  }

  /** Every (path, node), in the map's order. */
  @Override
  public Iterator<Map.Entry<String, DataNode>> iterator() {
    return new Cursor<>(root) {
      @Override
      Map.Entry<String, DataNode> at(Leaf leaf, int i) {
        return new AbstractMap.SimpleImmutableEntry<>(leaf.keys[i], leaf.values[i]);
      }
    };
  }

  /** Depth of the tree, one for a single leaf: for tests of its shape. */
  int depth() {
    int d = 1;
    for (Node n = root; n instanceof Inner in; n = in.children[0]) {
      d++;
    }
    return d;
  }

  /** Checks the tree's shape, order and counts; for tests. */
  void checkShape() {
    root.check(true);
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
    Iterator<Map.Entry<String, DataNode>> a = iterator();
    Iterator<Map.Entry<String, DataNode>> b = other.iterator();
    while (a.hasNext()) {
      if (!a.next().equals(b.next())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (Map.Entry<String, DataNode> e : this) {
      h += e.hashCode();
    }
    return h;
  }

  @Override
  public String toString() {
    return "NodeMap[" + size() + " nodes]";
  }

  /**
   * The path's own string hash, unmixed on purpose: siblings created one after another (n001,
   * n002, ...) have nearly consecutive hashes, so they land in few leaves. A snapshot being
   * written or kept still holds the tree as it was, and shares every leaf the changes since
   * did not touch; spread over all leaves, the same changes copied about every one of them.
   * Leaves appended to at their end split unevenly (see {@link Leaf#put}) and stay full.
   */
  static int hash(String path) {
    return path.hashCode();
  }

  private static int compare(int h1, String k1, int h2, String k2) {
    return h1 != h2 ? Integer.compare(h1, h2) : k1.compareTo(k2);
  }

  /** Nodes collected in any order, then sorted and packed into full leaves at once. */
  public static final class Builder {
    private final List<String> keys = new ArrayList<>();
    private final List<DataNode> values = new ArrayList<>();

    private Builder() {}

    public Builder put(String path, DataNode node) {
      keys.add(Objects.requireNonNull(path));
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
        hashes[i] = hash(keys.get(i));
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
        Integer[] run = new Integer[to - from];
        for (int i = from; i < to; i++) {
          run[i - from] = (int) order[i];
        }
        if (run.length > 1) {
          // Paths sharing a hash, by path; stable, so a path put twice keeps its last node.
          Arrays.sort(run, (x, y) -> keys.get(x).compareTo(keys.get(y)));
        }
        for (int e : run) {
          if (count > 0 && hashes[kept[count - 1]] == hashes[e]
              && keys.get(kept[count - 1]).equals(keys.get(e))) {
            kept[count - 1] = e;
          } else {
            kept[count++] = e;
          }
        }
        from = to;
      }
      if (count == 0) {
        return EMPTY;
      }
      List<Node> level = new ArrayList<>();
      for (int from = 0; from < count; from += MAX) {
        int to = Math.min(count, from + MAX);
        String[] k = new String[to - from];
        int[] h = new int[to - from];
        DataNode[] v = new DataNode[to - from];
        for (int i = from; i < to; i++) {
          k[i - from] = keys.get(kept[i]);
          h[i - from] = hashes[kept[i]];
          v[i - from] = values.get(kept[i]);
        }
        level.add(new Leaf(k, h, v));
      }
      while (level.size() > 1) {
        List<Node> up = new ArrayList<>();
        for (int from = 0; from < level.size(); from += MAX) {
          up.add(Inner.of(level.subList(from, Math.min(level.size(), from + MAX))
              .toArray(new Node[0])));
        }
        level = up;
      }
      return new NodeMap(level.get(0));
    }
  }

  /** Walks the leaves in order. */
  private abstract static class Cursor<T> implements Iterator<T> {
    private final ArrayList<Inner> inners = new ArrayList<>();
    private final ArrayList<Integer> next = new ArrayList<>();
    private Leaf leaf;
    private int at;

    Cursor(Node root) {
      descend(root);
    }

    abstract T at(Leaf leaf, int i);

    private void descend(Node n) {
      while (n instanceof Inner in) {
        inners.add(in);
        next.add(1);
        n = in.children[0];
      }
      leaf = (Leaf) n;
      at = 0;
    }

    @Override
    public boolean hasNext() {
      while (at == leaf.keys.length) {
        int depth = inners.size() - 1;
        while (depth >= 0 && next.get(depth) == inners.get(depth).children.length) {
          inners.remove(depth);
          next.remove(depth);
          depth--;
        }
        if (depth < 0) {
          return false;
        }
        int i = next.get(depth);
        next.set(depth, i + 1);
        descend(inners.get(depth).children[i]);
      }
      return true;
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return at(leaf, at++);
    }
  }

  private sealed interface Node permits Leaf, Inner {
    int size();

    int firstHash();

    String firstKey();

    /** The node with the entry: one node, or two halves of a full one. */
    Node[] put(int hash, String key, DataNode value);

    /** The node without the entry, possibly under-full; null if it had none. */
    Node remove(int hash, String key);

    void check(boolean isRoot);
  }

  private record Leaf(String[] keys, int[] hashes, DataNode[] values) implements Node {
    @Override
    public int size() {
      return keys.length;
    }

    @Override
    public int firstHash() {
      return hashes[0];
    }

    @Override
    public String firstKey() {
      return keys[0];
    }

    /** Index of the entry, or -(insertion point) - 1. */
    int indexOf(int hash, String key) {
      int lo = 0;
      int hi = keys.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = compare(hashes[mid], keys[mid], hash, key);
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      return -(lo + 1);
    }

    @Override
    public Node[] put(int hash, String key, DataNode value) {
      int i = indexOf(hash, key);
      if (i >= 0) {
        DataNode[] v = values.clone();
        v[i] = value;
        return new Node[] {new Leaf(keys, hashes, v)};
      }
      int at = -i - 1;
      int n = keys.length;
      String[] k = new String[n + 1];
      int[] h = new int[n + 1];
      DataNode[] v = new DataNode[n + 1];
      System.arraycopy(keys, 0, k, 0, at);
      System.arraycopy(hashes, 0, h, 0, at);
      System.arraycopy(values, 0, v, 0, at);
      k[at] = key;
      h[at] = hash;
      v[at] = value;
      System.arraycopy(keys, at, k, at + 1, n - at);
      System.arraycopy(hashes, at, h, at + 1, n - at);
      System.arraycopy(values, at, v, at + 1, n - at);
      if (n + 1 <= MAX) {
        return new Node[] {new Leaf(k, h, v)};
      }
      // Added after every entry: more are likely to follow in order (see hash), so the full
      // leaf stays full and a short one takes them.
      int cut = at == n ? MAX : (n + 1) / 2;
      return new Node[] {slice(k, h, v, 0, cut), slice(k, h, v, cut, n + 1)};
    }

    @Override
    public Node remove(int hash, String key) {
      int i = indexOf(hash, key);
      if (i < 0) {
        return null;
      }
      int n = keys.length;
      String[] k = new String[n - 1];
      int[] h = new int[n - 1];
      DataNode[] v = new DataNode[n - 1];
      System.arraycopy(keys, 0, k, 0, i);
      System.arraycopy(hashes, 0, h, 0, i);
      System.arraycopy(values, 0, v, 0, i);
      System.arraycopy(keys, i + 1, k, i, n - i - 1);
      System.arraycopy(hashes, i + 1, h, i, n - i - 1);
      System.arraycopy(values, i + 1, v, i, n - i - 1);
      return new Leaf(k, h, v);
    }

    static Leaf slice(String[] k, int[] h, DataNode[] v, int from, int to) {
      return new Leaf(Arrays.copyOfRange(k, from, to), Arrays.copyOfRange(h, from, to),
          Arrays.copyOfRange(v, from, to));
    }

    static Node[] join(Leaf a, Leaf b) {
      int n = a.keys.length + b.keys.length;
      String[] k = new String[n];
      int[] h = new int[n];
      DataNode[] v = new DataNode[n];
      System.arraycopy(a.keys, 0, k, 0, a.keys.length);
      System.arraycopy(a.hashes, 0, h, 0, a.keys.length);
      System.arraycopy(a.values, 0, v, 0, a.keys.length);
      System.arraycopy(b.keys, 0, k, a.keys.length, b.keys.length);
      System.arraycopy(b.hashes, 0, h, a.keys.length, b.keys.length);
      System.arraycopy(b.values, 0, v, a.keys.length, b.keys.length);
      if (n <= MAX) {
        return new Node[] {new Leaf(k, h, v)};
      }
      return new Node[] {slice(k, h, v, 0, n / 2), slice(k, h, v, n / 2, n)};
    }

    @Override
    public void check(boolean isRoot) {
      if (keys.length > MAX || (!isRoot && keys.length == 0)
          || hashes.length != keys.length || values.length != keys.length) {
        throw new IllegalStateException("leaf of " + keys.length);
      }
      for (int i = 0; i < keys.length; i++) {
        if (hashes[i] != hash(keys[i]) || values[i] == null
            || (i > 0 && compare(hashes[i - 1], keys[i - 1], hashes[i], keys[i]) >= 0)) {
          throw new IllegalStateException("leaf out of order at " + keys[i]);
        }
      }
    }
  }

  /** Children in order, with the least hash and path under each. */
  private record Inner(Node[] children, int[] firstHashes, String[] firstKeys, int size)
      implements Node {
    static Inner of(Node[] children) {
      int[] h = new int[children.length];
      String[] k = new String[children.length];
      int size = 0;
      for (int i = 0; i < children.length; i++) {
        h[i] = children[i].firstHash();
        k[i] = children[i].firstKey();
        size += children[i].size();
      }
      return new Inner(children, h, k, size);
    }

    @Override
    public int firstHash() {
      return firstHashes[0];
    }

    @Override
    public String firstKey() {
      return firstKeys[0];
    }

    /** The child whose range holds the entry: the last whose first entry is not above it. */
    int childFor(int hash, String key) {
      int lo = 1;
      int hi = children.length - 1;
      int found = 0;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        if (compare(firstHashes[mid], firstKeys[mid], hash, key) <= 0) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      return found;
    }

    @Override
    public Node[] put(int hash, String key, DataNode value) {
      int c = childFor(hash, key);
      Node[] changed = children[c].put(hash, key, value);
      Node[] next = new Node[children.length + changed.length - 1];
      System.arraycopy(children, 0, next, 0, c);
      System.arraycopy(changed, 0, next, c, changed.length);
      System.arraycopy(children, c + 1, next, c + changed.length, children.length - c - 1);
      if (next.length <= MAX) {
        return new Node[] {of(next)};
      }
      int cut = c == children.length - 1 ? MAX : next.length / 2;
      return new Node[] {
        of(Arrays.copyOfRange(next, 0, cut)), of(Arrays.copyOfRange(next, cut, next.length))
      };
    }

    @Override
    public Node remove(int hash, String key) {
      int c = childFor(hash, key);
      Node changed = children[c].remove(hash, key);
      if (changed == null) {
        return null;
      }
      Node[] next = children.clone();
      next[c] = changed;
      if (width(changed) < MIN) {
        next = rebalance(next, c);
      }
      return of(next);
    }

    /** Joins the under-full child {@code c} with a sibling: one node, or two evened out. */
    private static Node[] rebalance(Node[] nodes, int c) {
      if (width(nodes[c]) == 0) {
        Node[] fewer = new Node[nodes.length - 1];
        System.arraycopy(nodes, 0, fewer, 0, c);
        System.arraycopy(nodes, c + 1, fewer, c, nodes.length - c - 1);
        return fewer;
      }
      if (nodes.length == 1) {
        return nodes;
      }
      int left = c == nodes.length - 1 ? c - 1 : c;
      Node[] joined = nodes[left] instanceof Leaf a
          ? Leaf.join(a, (Leaf) nodes[left + 1])
          : join((Inner) nodes[left], (Inner) nodes[left + 1]);
      Node[] next = new Node[nodes.length - 2 + joined.length];
      System.arraycopy(nodes, 0, next, 0, left);
      System.arraycopy(joined, 0, next, left, joined.length);
      System.arraycopy(nodes, left + 2, next, left + joined.length, nodes.length - left - 2);
      return next;
    }

    /** Entries (of a leaf) or children (of an inner node). */
    private static int width(Node n) {
      return n instanceof Leaf l ? l.keys.length : ((Inner) n).children.length;
    }

    private static Node[] join(Inner a, Inner b) {
      Node[] all = new Node[a.children.length + b.children.length];
      System.arraycopy(a.children, 0, all, 0, a.children.length);
      System.arraycopy(b.children, 0, all, a.children.length, b.children.length);
      if (all.length <= MAX) {
        return new Node[] {of(all)};
      }
      return new Node[] {
        of(Arrays.copyOfRange(all, 0, all.length / 2)),
        of(Arrays.copyOfRange(all, all.length / 2, all.length))
      };
    }

    @Override
    public void check(boolean isRoot) {
      if (children.length > MAX || children.length < (isRoot ? 2 : 1)) {
        throw new IllegalStateException("inner node of " + children.length);
      }
      int total = 0;
      Class<?> kind = children[0].getClass();
      for (int i = 0; i < children.length; i++) {
        Node child = children[i];
        if (child.getClass() != kind || firstHashes[i] != child.firstHash()
            || !firstKeys[i].equals(child.firstKey())) {
          throw new IllegalStateException("inner node's child " + i + " is inconsistent");
        }
        if (i > 0 && compare(firstHashes[i - 1], firstKeys[i - 1], firstHashes[i],
            firstKeys[i]) >= 0) {
          throw new IllegalStateException("inner node's children out of order at " + i);
        }
        if (i + 1 < children.length) {
          lastAtMost(child, firstHashes[i + 1], firstKeys[i + 1]);
        }
        child.check(false);
        total += child.size();
      }
      if (total != size) {
        throw new IllegalStateException("inner node counts " + size + ", holds " + total);
      }
    }

    /** Every entry under {@code n} sorts below the next sibling's first. */
    private static void lastAtMost(Node n, int hash, String key) {
      while (n instanceof Inner in) {
        n = in.children[in.children.length - 1];
      }
      Leaf leaf = (Leaf) n;
      int last = leaf.keys.length - 1;
      if (compare(leaf.hashes[last], leaf.keys[last], hash, key) >= 0) {
        throw new IllegalStateException("entries overlap at " + key);
      }
    }
  }
}
