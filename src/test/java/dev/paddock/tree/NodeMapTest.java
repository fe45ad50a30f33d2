package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.paddock.api.Acl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The persistent B+tree of nodes by path, against {@link HashMap} as the model. */
class NodeMapTest {
  private static final List<Acl> OPEN = Acls.intern(Acl.OPEN_ACL_UNSAFE);

  /**
   * Paths from a small pool in which many share a hash: "Aa" and "BB" hash alike, so every
   * mix of them in the same places gives the same hash.
   */
  private static String path(int i) {
    StringBuilder b = new StringBuilder("/p");
    for (int bit = 0; bit < 4; bit++) {
      b.append((i >> bit & 1) == 0 ? "Aa" : "BB");
    }
    return b.append('/').append(i >> 4).toString();
  }

  private static DataNode node(long zxid) {
    return DataNode.create(new byte[] {(byte) zxid}, OPEN, zxid, 1000 + zxid, 0);
  }

  private static Map<String, DataNode> contents(NodeMap map) {
    Map<String, DataNode> out = new HashMap<>();
    map.forEachNode((path, node) -> assertNull(out.put(path, node), path + " listed twice"));
    return out;
  }

  private static void assertSameAs(Map<String, DataNode> model, NodeMap map) {
    map.root().check(true);
    assertEquals(model.size(), map.size());
    assertEquals(model, contents(map));
    int n = 0;
    for (DataNode v : map.values()) {
      n++;
    }
    assertEquals(model.size(), n);
  }

  @Test
  void randomPutsAndRemovesMatchAHashMapAndLeaveOldVersionsAlone() {
    SplittableRandom random = new SplittableRandom(20261207);
    for (int round = 0; round < 20; round++) {
      int range = 1 + random.nextInt(4 * BTree.MAX * BTree.MAX);
      Map<String, DataNode> model = new HashMap<>();
      NodeMap map = NodeMap.empty();
      List<NodeMap> versions = new ArrayList<>();
      List<Map<String, DataNode>> contents = new ArrayList<>();
      for (int op = 0; op < 6000; op++) {
        String p = path(random.nextInt(range));
        boolean put = random.nextInt(100) < ((op / 1500) % 2 == 0 ? 80 : 20);
        if (put) {
          DataNode n = node(op);
          map = map.updated(new String(p), n);
          model.put(p, n);
        } else {
          NodeMap next = map.removed(p);
          if (model.remove(p) == null) {
            assertSame(map, next, "removing a missing path returns the same map");
          }
          map = next;
        }
        assertEquals(model.get(p), map.get(p));
        if (op % 97 == 0) {
          assertSameAs(model, map);
          versions.add(map);
          contents.add(new HashMap<>(model));
        }
      }
      assertSameAs(model, map);
      for (int i = 0; i < versions.size(); i++) {
        assertEquals(contents.get(i), contents(versions.get(i)), "version " + i + " unchanged");
      }
    }
  }

  @Test
  void aPathKeepsTheKeyItWasAddedWith() {
    byte[] first = PathKey.of("/a/b");
    NodeMap map = NodeMap.empty().updated("/a/b", first, node(1))
        .updated(new String("/a/b"), PathKey.of("/a/b"), node(2));
    map.forEachKey((key, node) -> assertSame(first, key));
    assertEquals(node(2).czxid(), map.get("/a/b").czxid());
  }

  @Test
  void emptyingAMapLeavesTheEmptyMap() {
    NodeMap map = NodeMap.empty();
    int n = BTree.MAX * BTree.MAX + 5;
    for (int i = 0; i < n; i++) {
      map = map.updated("/n" + i, node(i));
    }
    assertEquals(3, BTree.depth(map.root()));
    for (int i = 0; i < n; i += 2) {
      map = map.removed("/n" + i);
      map.root().check(true);
    }
    for (int i = 1; i < n; i += 2) {
      map = map.removed("/n" + i);
      map.root().check(true);
    }
    assertSame(NodeMap.empty(), map);
    assertFalse(map.iterator().hasNext());
  }

  @Test
  void builtAtOnceEqualsBuiltOneByOneAndTheLastOfTwinsWins() {
    SplittableRandom random = new SplittableRandom(7);
    NodeMap.Builder builder = NodeMap.builder();
    NodeMap oneByOne = NodeMap.empty();
    for (int i = 0; i < 5000; i++) {
      String p = path(random.nextInt(3000));
      DataNode n = node(i);
      builder.put(p, n);
      oneByOne = oneByOne.updated(p, n);
    }
    NodeMap atOnce = builder.result();
    atOnce.root().check(true);
    assertEquals(contents(oneByOne), contents(atOnce));
    assertEquals(oneByOne, atOnce);
    assertEquals(oneByOne.hashCode(), atOnce.hashCode());
    String some = atOnce.iterator().next().getKey();
    assertNotEquals(oneByOne, atOnce.removed(some));
    assertSame(NodeMap.empty(), NodeMap.builder().result());
  }
}
