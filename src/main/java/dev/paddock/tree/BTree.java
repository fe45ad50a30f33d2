package dev.paddock.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The persistent B+tree under {@link NodeMap} and {@link ChildSet}: immutable nodes, and a change
 * copies only the nodes from the root to one leaf. Entries are ordered by (hash, path); a tree
 * without hashes (a {@code ChildSet}) orders by path alone. Paths are kept as {@link PathKey}s
 * and looked up by their strings. A leaf keeps paths, hashes and
 * values in parallel arrays exactly as long as its entries, so an entry costs its references and
 * a share of one small object per leaf, and a set leaves out the arrays it does not need.
 */
final class BTree {
  /** Entries of a leaf, or children of an inner node, at most. */
  static final int MAX = 32;
  /** Below this a node joins with a sibling. */
  static final int MIN = MAX / 4;

  static final Leaf EMPTY_MAP = new Leaf(new byte[0][], new int[0], new DataNode[0]);
  static final Leaf EMPTY_SET = new Leaf(new byte[0][], null, null);

  private BTree() {}

  /**
   * Sign of the stored entry (h1, k1) against the entry looked for (h2, probe): the probe is the
   * path's string, or its key when the caller has one (a create, whose key compares as bytes).
   */
  static int compare(int h1, byte[] k1, int h2, Object probe) {
    if (h1 != h2) {
      return Integer.compare(h1, h2);
    }
    return probe instanceof byte[] b ? PathKey.compare(k1, b) : PathKey.compare(k1, (String) probe);
  }

  static int compare(int h1, byte[] k1, int h2, byte[] k2) {
    return h1 != h2 ? Integer.compare(h1, h2) : PathKey.compare(k1, k2);
  }

  /** The leaf whose range holds the entry. */
  static Leaf leafFor(Node root, int hash, Object key) {
    Node n = root;
    while (n instanceof Inner in) {
      n = in.children[in.childFor(hash, key)];
    }
    return (Leaf) n;
  }

  /** The root after a change that split it in two, or left one node. */
  static Node rootOf(Node[] split) {
    return split.length == 1 ? split[0] : Inner.of(split);
  }

  /** The root after a removal: inner nodes with a single child give way to it. */
  static Node shrink(Node changed) {
    while (changed instanceof Inner in && in.children.length == 1) {
      changed = in.children[0];
    }
    return changed;
  }

  /** Depth of the tree, one for a single leaf: for tests of its shape. */
  static int depth(Node root) {
    int d = 1;
    for (Node n = root; n instanceof Inner in; n = in.children[0]) {
      d++;
    }
    return d;
  }

  /** A tree of sorted, distinct entries, packed into full leaves; {@code empty} if none. */
  static Node build(byte[][] keys, int[] hashes, DataNode[] values, Leaf empty) {
    if (keys.length == 0) {
      return empty;
    }
    List<Node> level = new ArrayList<>();
    for (int from = 0; from < keys.length; from += MAX) {
      level.add(Leaf.slice(keys, hashes, values, from, Math.min(keys.length, from + MAX)));
    }
    while (level.size() > 1) {
      List<Node> up = new ArrayList<>();
      for (int from = 0; from < level.size(); from += MAX) {
        up.add(Inner.of(level.subList(from, Math.min(level.size(), from + MAX))
            .toArray(new Node[0])));
      }
      level = up;
    }
    return level.get(0);
  }

  sealed interface Node permits Leaf, Inner {
    int size();

    int firstHash();

    byte[] firstKey();

    /**
     * The node with the entry: one node, or two halves of a full one; null if the path was
     * there already and there is no value to replace (a set). A new entry keeps {@code stored}
     * as its key (the path's {@link PathKey}, shared with the other tree that lists the path),
     * or the path's key made here if that is null; an entry already there keeps its own.
     */
    Node[] put(int hash, String key, byte[] stored, DataNode value);

    /** The node without the entry, possibly under-full; null if it had none. */
    Node remove(int hash, String key);

    /** Checks shape, order and counts; for tests. */
    void check(boolean isRoot);
  }

  /** Entries in order; {@code hashes} and {@code values} are null in a set. */
  record Leaf(byte[][] keys, int[] hashes, DataNode[] values) implements Node {
    @Override
    public int size() {
      return keys.length;
    }

    int hashAt(int i) {
      return hashes == null ? 0 : hashes[i];
    }

    @Override
    public int firstHash() {
      return hashAt(0);
    }

    @Override
    public byte[] firstKey() {
      return keys[0];
    }

    /** Index of the entry, or -(insertion point) - 1. */
    int indexOf(int hash, Object key) {
      int lo = 0;
      int hi = keys.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = compare(hashAt(mid), keys[mid], hash, key);
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
    public Node[] put(int hash, String key, byte[] stored, DataNode value) {
      int i = indexOf(hash, stored != null ? stored : key);
      if (i >= 0) {
        if (values == null) {
          return null;
        }
        // The path keeps the key it was added with, which its parent's ChildSet shares.
        DataNode[] v = values.clone();
        v[i] = value;
        return new Node[] {new Leaf(keys, hashes, v)};
      }
      int at = -i - 1;
      int n = keys.length;
      byte[][] k = insert(keys, new byte[n + 1][], at, stored != null ? stored : PathKey.of(key));
      int[] h = hashes == null ? null : new int[n + 1];
      if (h != null) {
        System.arraycopy(hashes, 0, h, 0, at);
        h[at] = hash;
        System.arraycopy(hashes, at, h, at + 1, n - at);
      }
      DataNode[] v = values == null ? null : insert(values, new DataNode[n + 1], at, value);
      if (n + 1 <= MAX) {
        return new Node[] {new Leaf(k, h, v)};
      }
      // Added after every entry: more are likely to follow in order (siblings created one
      // after another), so the full leaf stays full and a short one takes them.
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
      int[] h = null;
      if (hashes != null) {
        h = new int[n - 1];
        System.arraycopy(hashes, 0, h, 0, i);
        System.arraycopy(hashes, i + 1, h, i, n - i - 1);
      }
      return new Leaf(delete(keys, new byte[n - 1][], i), h,
          values == null ? null : delete(values, new DataNode[n - 1], i));
    }

    static Leaf slice(byte[][] k, int[] h, DataNode[] v, int from, int to) {
      return new Leaf(Arrays.copyOfRange(k, from, to),
          h == null ? null : Arrays.copyOfRange(h, from, to),
          v == null ? null : Arrays.copyOfRange(v, from, to));
    }

    static Node[] join(Leaf a, Leaf b) {
      int n = a.keys.length + b.keys.length;
      byte[][] k = concat(a.keys, b.keys, new byte[n][]);
      int[] h = null;
      if (a.hashes != null) {
        h = new int[n];
        System.arraycopy(a.hashes, 0, h, 0, a.keys.length);
        System.arraycopy(b.hashes, 0, h, a.keys.length, b.keys.length);
      }
      DataNode[] v = a.values == null ? null : concat(a.values, b.values, new DataNode[n]);
      if (n <= MAX) {
        return new Node[] {new Leaf(k, h, v)};
      }
      return new Node[] {slice(k, h, v, 0, n / 2), slice(k, h, v, n / 2, n)};
    }

    @Override
    public void check(boolean isRoot) {
      int n = keys.length;
      if (n > MAX || (!isRoot && n == 0) || (hashes != null && hashes.length != n)
          || (values != null && values.length != n)) {
        throw new IllegalStateException("leaf of " + n);
      }
      for (int i = 0; i < n; i++) {
        if ((hashes != null && hashes[i] != NodeMap.hash(PathKey.path(keys[i])))
            || (values != null && values[i] == null)
            || (i > 0 && compare(hashAt(i - 1), keys[i - 1], hashAt(i), keys[i]) >= 0)) {
          throw new IllegalStateException("leaf out of order at " + PathKey.path(keys[i]));
        }
      }
    }
  }

  /** Children in order, with the least entry under each. */
  record Inner(Node[] children, int[] firstHashes, byte[][] firstKeys, int size)
      implements Node {
    static Inner of(Node[] children) {
      int[] h = new int[children.length];
      byte[][] k = new byte[children.length][];
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
    public byte[] firstKey() {
      return firstKeys[0];
    }

    /** The child whose range holds the entry: the last whose first entry is not above it. */
    int childFor(int hash, Object key) {
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
    public Node[] put(int hash, String key, byte[] stored, DataNode value) {
      int c = childFor(hash, stored != null ? stored : key);
      Node[] changed = children[c].put(hash, key, stored, value);
      if (changed == null) {
        return null;
      }
      if (changed.length == 1) {
        return new Node[] {replaced(c, changed[0])};
      }
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
      if (width(changed) >= MIN) {
        return replaced(c, changed);
      }
      Node[] next = children.clone();
      next[c] = changed;
      return of(rebalance(next, c));
    }

    /**
     * This node with child {@code c} replaced: the common change, which copies the arrays and
     * updates one slot rather than asking every child for its first entry again. A child whose
     * first entry stayed (a changed value, an entry added or removed further in) leaves them
     * shared.
     */
    private Inner replaced(int c, Node child) {
      Node[] next = children.clone();
      next[c] = child;
      int newSize = size + child.size() - children[c].size();
      int h = child.firstHash();
      byte[] k = child.firstKey();
      if (h == firstHashes[c] && k == firstKeys[c]) {
        return new Inner(next, firstHashes, firstKeys, newSize);
      }
      int[] hashes = firstHashes.clone();
      byte[][] keys = firstKeys.clone();
      hashes[c] = h;
      keys[c] = k;
      return new Inner(next, hashes, keys, newSize);
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
      Node[] all = concat(a.children, b.children, new Node[a.children.length + b.children.length]);
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
            || firstKeys[i] != child.firstKey()) {
          throw new IllegalStateException("inner node's child " + i + " is inconsistent");
        }
        if (i + 1 < children.length) {
          Node last = child;
          while (last instanceof Inner in) {
            last = in.children[in.children.length - 1];
          }
          Leaf leaf = (Leaf) last;
          int j = leaf.keys.length - 1;
          if (compare(leaf.hashAt(j), leaf.keys[j], firstHashes[i + 1], firstKeys[i + 1]) >= 0) {
            throw new IllegalStateException(
                "children overlap at " + PathKey.path(firstKeys[i + 1]));
          }
        }
        child.check(false);
        total += child.size();
      }
      if (total != size) {
        throw new IllegalStateException("inner node counts " + size + ", holds " + total);
      }
    }
  }

  /** Walks the leaves in order, yielding what {@link #at} makes of each entry. */
  abstract static class Cursor<T> implements Iterator<T> {
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

  private static <T> T[] insert(T[] from, T[] to, int at, T item) {
    System.arraycopy(from, 0, to, 0, at);
    to[at] = item;
    System.arraycopy(from, at, to, at + 1, from.length - at);
    return to;
  }

  private static <T> T[] delete(T[] from, T[] to, int at) {
    System.arraycopy(from, 0, to, 0, at);
    System.arraycopy(from, at + 1, to, at, from.length - at - 1);
    return to;
  }

  private static <T> T[] concat(T[] a, T[] b, T[] to) {
    System.arraycopy(a, 0, to, 0, a.length);
    System.arraycopy(b, 0, to, a.length, b.length);
    return to;
  }
}
