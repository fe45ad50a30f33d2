package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The persistent B+tree of child paths, against {@link TreeSet} as the model. */
class ChildSetTest {

  private static String path(int i) {
    return String.format("/parent/n%07d", i);
  }

  private static void assertSameAs(TreeSet<String> model, ChildSet set) {
    set.root().check(true);
    assertEquals(model.size(), set.size());
    assertEquals(new ArrayList<>(model), set.toList());
    assertEquals(model.isEmpty(), set.isEmpty());
  }

  @Test
  void randomAddsAndRemovesMatchASortedSetAndLeaveOldVersionsAlone() {
    SplittableRandom random = new SplittableRandom(20261207);
    for (int round = 0; round < 20; round++) {
      int range = 1 + random.nextInt(3 * BTree.MAX * BTree.MAX);
      TreeSet<String> model = new TreeSet<>();
      ChildSet set = ChildSet.empty();
      List<ChildSet> versions = new ArrayList<>();
      List<List<String>> contents = new ArrayList<>();
      for (int op = 0; op < 6000; op++) {
        String p = path(random.nextInt(range));
        // Phases that mostly add and mostly remove, so the tree grows deep and empties again.
        boolean add = random.nextInt(100) < ((op / 1500) % 2 == 0 ? 80 : 20);
        ChildSet next = add ? set.incl(p) : set.excl(p);
        boolean changed = add ? model.add(p) : model.remove(p);
        if (!changed) {
          assertSame(set, next, "a no-op change returns the same set");
        }
        set = next;
        assertEquals(model.contains(p), set.contains(p));
        if (op % 97 == 0) {
          assertSameAs(model, set);
          versions.add(set);
          contents.add(new ArrayList<>(model));
        }
      }
      assertSameAs(model, set);
      for (int i = 0; i < versions.size(); i++) {
        assertEquals(contents.get(i), versions.get(i).toList(), "version " + i + " unchanged");
      }
    }
  }

  @Test
  void emptyingASetLeavesTheEmptySet() {
    ChildSet set = ChildSet.empty();
    int n = BTree.MAX * BTree.MAX + 5;
    for (int i = 0; i < n; i++) {
      set = set.incl(path(i));
    }
    assertEquals(3, BTree.depth(set.root()));
    for (int i = n - 1; i >= 0; i -= 2) {
      set = set.excl(path(i));
      set.root().check(true);
    }
    for (int i = n - 2; i >= 0; i -= 2) {
      set = set.excl(path(i));
      set.root().check(true);
    }
    assertSame(ChildSet.empty(), set);
    assertFalse(set.iterator().hasNext());
  }

  @Test
  void childrenAddedInOrderFillTheirLeaves() {
    ChildSet set = ChildSet.empty();
    int n = 10 * BTree.MAX;
    for (int i = 0; i < n; i++) {
      set = set.incl(path(i));
    }
    set.root().check(true);
    assertEquals(2, BTree.depth(set.root()));
    assertEquals(ChildSet.ofPaths(set.toList()), set);
  }

  @Test
  void builtAtOnceEqualsBuiltOneByOne() {
    SplittableRandom random = new SplittableRandom(7);
    List<String> paths = new ArrayList<>();
    ChildSet oneByOne = ChildSet.empty();
    for (int i = 0; i < 5000; i++) {
      String p = path(random.nextInt(4000));
      paths.add(p);
      oneByOne = oneByOne.incl(p);
    }
    ChildSet atOnce = ChildSet.ofPaths(paths);
    atOnce.root().check(true);
    assertEquals(oneByOne.toList(), atOnce.toList());
    assertEquals(oneByOne, atOnce);
    assertEquals(oneByOne.hashCode(), atOnce.hashCode());
    assertNotEquals(oneByOne, atOnce.excl(paths.get(0)));
    assertSame(ChildSet.empty(), ChildSet.ofPaths(List.of()));
  }

  @Test
  void theIteratorEndsWhenTheSetDoes() {
    ChildSet set = ChildSet.ofPaths(List.of("/a/y", "/a/x"));
    Iterator<String> it = set.iterator();
    assertEquals("/a/x", it.next());
    assertEquals("/a/y", it.next());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertTrue(set.contains("/a/x"));
    assertFalse(set.contains("/a/z"));
  }
}
