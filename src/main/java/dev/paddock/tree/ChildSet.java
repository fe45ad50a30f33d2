package dev.paddock.tree;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The children of one znode: an immutable sorted set of child paths, a persistent B+tree whose
 * changes copy only the path from the root to one leaf, so tree snapshots share it as they share
 * nodes. Every node's arrays are exactly as long as its entries, so a child costs about five
 * bytes beyond its path, where a hash trie of the same paths costs about twenty-six (sparse
 * nodes, a stored hash per entry). Children are kept in path order, which for the children of one
 * node is name order.
 */
public final class ChildSet implements Iterable<String> {
  /** Entries of a leaf, or children of an inner node, at most; a full one splits in halves. */
  static final int MAX = 64;
  /** Below this a node borrows from or merges with a sibling. */
  static final int MIN = MAX / 4;

  private static final ChildSet EMPTY = new ChildSet(new Leaf(new String[0]));

  private final Node root;

  private ChildSet(Node root) {
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
    if (distinct == 0) {
      return EMPTY;
    }
    List<Node> level = new ArrayList<>();
    for (int from = 0; from < distinct; from += MAX) {
      level.add(new Leaf(Arrays.copyOfRange(sorted, from, Math.min(distinct, from + MAX))));
    }
    while (level.size() > 1) {
      List<Node> up = new ArrayList<>();
      for (int from = 0; from < level.size(); from += MAX) {
        up.add(Inner.of(level.subList(from, Math.min(level.size(), from + MAX))
            .toArray(new Node[0])));
      }
      level = up;
    }
    return new ChildSet(level.get(0));
  }

  public int size() {
    return root.size();
  }

  public boolean isEmpty() {
    return root.size() == 0;
  }

  public boolean contains(String path) {
    Node n = root;
    while (n instanceof Inner in) {
      n = in.children[in.childFor(path)];
    }
    return Arrays.binarySearch(((Leaf) n).keys, path) >= 0;
  }

  /** This set with {@code path}; this very set if it holds it already. */
  public ChildSet incl(String path) {
    Node[] split = root.incl(path);
    if (split == null) {
      return this;
    }
    return new ChildSet(split.length == 1 ? split[0] : Inner.of(split));
  }

  /** This set without {@code path}; this very set if it does not hold it. */
  public ChildSet excl(String path) {
    Node changed = root.excl(path);
    if (changed == null) {
      return this;
    }
    while (changed instanceof Inner in && in.children.length == 1) {
      changed = in.children[0];
    }
    return changed.size() == 0 ? EMPTY : new ChildSet(changed);
  }

  /** The paths in order. */
  @Override
  public Iterator<String> iterator() {
    return new Iterator<>() {
      private final ArrayList<Inner> inners = new ArrayList<>();
      private final ArrayList<Integer> next = new ArrayList<>();
      private String[] keys;
      private int at;

      {
        descend(root);
      }

      private void descend(Node n) {
        while (n instanceof Inner in) {
          inners.add(in);
          next.add(1);
          n = in.children[0];
        }
        keys = ((Leaf) n).keys;
        at = 0;
      }

      @Override
      public boolean hasNext() {
        while (at == keys.length) {
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
      public String next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return keys[at++];
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

  /** Depth of the tree, one for a single leaf: for tests of its shape. */
  int depth() {
    int d = 1;
    for (Node n = root; n instanceof Inner in; n = in.children[0]) {
      d++;
    }
    return d;
  }

  /** Checks the tree's shape and order; for tests. */
  void checkShape() {
    root.check(null, null, true);
  }

  @Override
  public boolean equals(Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof ChildSet other) || other.size() != size()) {
      return false;
    }
    Iterator<String> a = iterator();
    Iterator<String> b = other.iterator();
    while (a.hasNext()) {
      if (!a.next().equals(b.next())) {
        return false;
      }
    }
    return true;
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

  private sealed interface Node permits Leaf, Inner {
    int size();

    String first();

    /** The node with {@code key}: one node, or two halves of a full one; null if it was there. */
    Node[] incl(String key);

    /** The node without {@code key}, possibly under-full; null if it was not there. */
    Node excl(String key);

    void check(String low, String high, boolean isRoot);
  }

  private record Leaf(String[] keys) implements Node {
    @Override
    public int size() {
      return keys.length;
    }

    @Override
    public String first() {
      return keys[0];
    }

    @Override
    public Node[] incl(String key) {
      int i = Arrays.binarySearch(keys, key);
      if (i >= 0) {
        return null;
      }
      int at = -i - 1;
      String[] grown = new String[keys.length + 1];
      System.arraycopy(keys, 0, grown, 0, at);
      grown[at] = key;
      System.arraycopy(keys, at, grown, at + 1, keys.length - at);
      if (grown.length <= MAX) {
        return new Node[] {new Leaf(grown)};
      }
      // Children are mostly added in name order (sequential nodes): a split at the end leaves
      // a full leaf behind and a short one to grow, instead of two half-empty ones.
      int cut = at == keys.length ? MAX : grown.length / 2;
      return new Node[] {
        new Leaf(Arrays.copyOfRange(grown, 0, cut)),
        new Leaf(Arrays.copyOfRange(grown, cut, grown.length))
      };
    }

    @Override
    public Node excl(String key) {
      int i = Arrays.binarySearch(keys, key);
      if (i < 0) {
        return null;
      }
      String[] shrunk = new String[keys.length - 1];
      System.arraycopy(keys, 0, shrunk, 0, i);
      System.arraycopy(keys, i + 1, shrunk, i, keys.length - i - 1);
      return new Leaf(shrunk);
    }

    @Override
    public void check(String low, String high, boolean isRoot) {
      if (keys.length > MAX || (!isRoot && keys.length == 0)) {
        throw new IllegalStateException("leaf of " + keys.length);
      }
      for (int i = 0; i < keys.length; i++) {
        if ((i > 0 && keys[i - 1].compareTo(keys[i]) >= 0)
            || (low != null && keys[i].compareTo(low) < 0)
            || (high != null && keys[i].compareTo(high) >= 0)) {
          throw new IllegalStateException("leaf out of order at " + keys[i]);
        }
      }
    }
  }

  /** Children in order; {@code firsts[i]} is the least key under {@code children[i]}. */
  private record Inner(Node[] children, String[] firsts, int size) implements Node {
    static Inner of(Node[] children) {
      String[] firsts = new String[children.length];
      int size = 0;
      for (int i = 0; i < children.length; i++) {
        firsts[i] = children[i].first();
        size += children[i].size();
      }
      return new Inner(children, firsts, size);
    }

    @Override
    public String first() {
      return firsts[0];
    }

    /** The child whose range holds {@code key}: the last whose first key is not above it. */
    int childFor(String key) {
      int i = Arrays.binarySearch(firsts, key);
      return i >= 0 ? i : Math.max(0, -i - 2);
    }

    @Override
    public Node[] incl(String key) {
      int c = childFor(key);
      Node[] changed = children[c].incl(key);
      if (changed == null) {
        return null;
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
    public Node excl(String key) {
      int c = childFor(key);
      Node changed = children[c].excl(key);
      if (changed == null) {
        return null;
      }
      Node[] next = children.clone();
      next[c] = changed;
      if (changed.size() == 0 || width(changed) < MIN) {
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
      Node[] joined = join(nodes[left], nodes[left + 1]);
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

    private static Node[] join(Node a, Node b) {
      if (a instanceof Leaf x && b instanceof Leaf y) {
        String[] all = new String[x.keys.length + y.keys.length];
        System.arraycopy(x.keys, 0, all, 0, x.keys.length);
        System.arraycopy(y.keys, 0, all, x.keys.length, y.keys.length);
        if (all.length <= MAX) {
          return new Node[] {new Leaf(all)};
        }
        int cut = all.length / 2;
        return new Node[] {
          new Leaf(Arrays.copyOfRange(all, 0, cut)),
          new Leaf(Arrays.copyOfRange(all, cut, all.length))
        };
      }
      Inner x = (Inner) a;
      Inner y = (Inner) b;
      Node[] all = new Node[x.children.length + y.children.length];
      System.arraycopy(x.children, 0, all, 0, x.children.length);
      System.arraycopy(y.children, 0, all, x.children.length, y.children.length);
      if (all.length <= MAX) {
        return new Node[] {of(all)};
      }
      int cut = all.length / 2;
      return new Node[] {
        of(Arrays.copyOfRange(all, 0, cut)), of(Arrays.copyOfRange(all, cut, all.length))
      };
    }

    @Override
    public void check(String low, String high, boolean isRoot) {
      if (children.length > MAX || children.length < (isRoot ? 2 : 1)) {
        throw new IllegalStateException("inner node of " + children.length);
      }
      int total = 0;
      Class<?> kind = children[0].getClass();
      for (int i = 0; i < children.length; i++) {
        if (children[i].getClass() != kind || !firsts[i].equals(children[i].first())) {
          throw new IllegalStateException("inner node's child " + i + " is inconsistent");
        }
        children[i].check(i == 0 ? low : firsts[i], i + 1 < children.length ? firsts[i + 1]
            : high, false);
        total += children[i].size();
      }
      if (total != size) {
        throw new IllegalStateException("inner node counts " + size + ", holds " + total);
      }
    }
  }
}
