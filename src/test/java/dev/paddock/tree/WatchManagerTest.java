package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.EventType;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatcherType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.server.watch.WatcherMode;
import org.apache.zookeeper.server.watch.WatcherOrBitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Server-side watches with ZooKeeper's data/child tables and its three watch modes. */
class WatchManagerTest {
  private final WatchManager<String> wm = new WatchManager<>();

  private static WatchEvent ev(EventType type, String path) {
    return new WatchEvent(type, path, 42);
  }

  private List<String> fire(EventType type, String path) {
    return wm.trigger(ev(type, path)).stream().map(WatchManager.Delivery::watcher).sorted()
        .toList();
  }

  // ---- standard (one-shot) watches ----

  @Test
  void dataWatchFiresOnceForADataChange() {
    wm.addDataWatch("/a", "w");
    assertEquals(List.of("w"), fire(EventType.NODE_DATA_CHANGED, "/a"));
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/a"));
    assertEquals(0, wm.watchCount());
  }

  @Test
  void existsWatchOnAMissingNodeFiresOnceWhenItIsCreated() {
    wm.addDataWatch("/later", "w");
    assertEquals(List.of(), fire(EventType.NODE_CREATED, "/other"));
    assertEquals(List.of("w"), fire(EventType.NODE_CREATED, "/later"));
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/later"));
  }

  @Test
  void childWatchFiresOnceForAChildListChangeOnly() {
    wm.addChildWatch("/p", "w");
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/p"));
    assertEquals(List.of(), fire(EventType.NODE_CREATED, "/p"));
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/p/c"));
    assertEquals(List.of("w"), fire(EventType.NODE_CHILDREN_CHANGED, "/p"));
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/p"));
  }

  @Test
  void dataWatchIgnoresChildListChanges() {
    wm.addDataWatch("/p", "w");
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/p"));
    assertTrue(wm.contains("/p", "w", WatcherType.DATA));
  }

  @Test
  void deletionReachesDataAndChildWatchersOnceEachAndConsumesBoth() {
    wm.addDataWatch("/n", "both");
    wm.addChildWatch("/n", "both");
    wm.addDataWatch("/n", "data");
    wm.addChildWatch("/n", "child");
    List<WatchManager.Delivery<String>> d = wm.trigger(ev(EventType.NODE_DELETED, "/n"));
    assertEquals(List.of("both", "child", "data"),
        d.stream().map(WatchManager.Delivery::watcher).sorted().toList());
    d.forEach(x -> assertEquals(ev(EventType.NODE_DELETED, "/n"), x.event()));
    assertEquals(0, wm.watchCount());
    assertEquals(0, wm.pathCount());
    assertEquals(0, wm.watcherCount());
  }

  @Test
  void deliveriesCarryTheEventThatFiredThem() {
    wm.addDataWatch("/a", "w");
    WatchEvent e = new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", 0x5_0000_0007L);
    assertEquals(List.of(new WatchManager.Delivery<>("w", e)), wm.trigger(e));
  }

  // ---- persistent watches ----

  @Test
  void persistentWatchKeepsFiringForItsNodeAndItsChildList() {
    wm.addPersistentWatch("/p", "w", false);
    for (int i = 0; i < 3; i++) {
      assertEquals(List.of("w"), fire(EventType.NODE_DATA_CHANGED, "/p"));
      assertEquals(List.of("w"), fire(EventType.NODE_CHILDREN_CHANGED, "/p"));
      assertEquals(List.of("w"), fire(EventType.NODE_DELETED, "/p"));
      assertEquals(List.of("w"), fire(EventType.NODE_CREATED, "/p"));
    }
    assertEquals(List.of(), fire(EventType.NODE_CREATED, "/p/c"), "not recursive");
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/p/c"));
    assertEquals(2, wm.watchCount(), "one entry in each table");
  }

  @Test
  void standardWatchNextToAPersistentOneIsConsumedAloneAndDeliveredOnce() {
    wm.addPersistentWatch("/p", "w", false);
    wm.addDataWatch("/p", "w");
    assertEquals(List.of("w"), fire(EventType.NODE_DATA_CHANGED, "/p"));
    assertFalse(wm.contains("/p", "w", WatcherType.DATA));
    assertTrue(wm.contains("/p", "w", WatcherType.PERSISTENT));
  }

  // ---- persistent recursive watches ----

  @Test
  void recursiveWatchSeesDescendantsCreatesDeletesAndDataChanges() {
    wm.addPersistentWatch("/a", "r", true);
    for (String p : List.of("/a", "/a/b", "/a/b/c/d")) {
      assertEquals(List.of("r"), fire(EventType.NODE_CREATED, p));
      assertEquals(List.of("r"), fire(EventType.NODE_DATA_CHANGED, p));
      assertEquals(List.of("r"), fire(EventType.NODE_DELETED, p));
    }
    assertTrue(wm.contains("/a", "r", WatcherType.PERSISTENT_RECURSIVE));
  }

  @Test
  void recursiveWatchNeverSeesChildListChanges() {
    wm.addPersistentWatch("/a", "r", true);
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/a"));
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/a/b"));
  }

  @Test
  void recursiveWatchIgnoresSiblingsThatShareItsPrefix() {
    wm.addPersistentWatch("/a", "r", true);
    assertEquals(List.of(), fire(EventType.NODE_CREATED, "/ab"));
    assertEquals(List.of(), fire(EventType.NODE_CREATED, "/"));
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/b/a"));
  }

  @Test
  void recursiveWatchOnRootSeesEverything() {
    wm.addPersistentWatch("/", "r", true);
    assertEquals(List.of("r"), fire(EventType.NODE_DATA_CHANGED, "/"));
    assertEquals(List.of("r"), fire(EventType.NODE_CREATED, "/x/y"));
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/"));
  }

  @Test
  void aWatcherMatchingSeveralWaysIsNotifiedOnce() {
    wm.addPersistentWatch("/", "w", true);
    wm.addPersistentWatch("/a", "w", true);
    wm.addPersistentWatch("/a/b", "w", false);
    wm.addDataWatch("/a/b", "w");
    wm.addChildWatch("/a/b", "w");
    assertEquals(List.of("w"), fire(EventType.NODE_DELETED, "/a/b"));
    assertFalse(wm.contains("/a/b", "w", WatcherType.DATA));
    assertFalse(wm.contains("/a/b", "w", WatcherType.CHILDREN));
    assertTrue(wm.contains("/a/b", "w", WatcherType.PERSISTENT));
  }

  @Test
  void ancestorsStandardAndPersistentWatchesDoNotFireForDescendants() {
    wm.addDataWatch("/a", "std");
    wm.addPersistentWatch("/a", "per", false);
    wm.addChildWatch("/a", "child");
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/a/b"));
    wm.addPersistentWatch("/x", "unrelated", true);
    assertEquals(List.of(), fire(EventType.NODE_DELETED, "/a/b"),
        "walking ancestors for recursive watches must not pick up other modes");
  }

  // ---- remove / contains / counts ----

  @Test
  void removeAndContainsAddressOneKindOfWatchEach() {
    wm.addDataWatch("/p", "w");
    wm.addChildWatch("/p", "w");
    wm.addPersistentWatch("/p", "w", false);
    wm.addPersistentWatch("/p", "w", true);
    for (WatcherType t : WatcherType.values()) {
      assertTrue(wm.contains("/p", "w", t), t::name);
      assertFalse(wm.contains("/p", "other", t), t::name);
      assertFalse(wm.contains("/q", "w", t), t::name);
    }
    assertTrue(wm.remove("/p", "w", WatcherType.DATA));
    assertFalse(wm.remove("/p", "w", WatcherType.DATA));
    assertFalse(wm.contains("/p", "w", WatcherType.DATA));
    assertTrue(wm.contains("/p", "w", WatcherType.CHILDREN));
    assertTrue(wm.remove("/p", "w", WatcherType.CHILDREN));
    assertFalse(wm.contains("/p", "w", WatcherType.CHILDREN));
    assertTrue(wm.remove("/p", "w", WatcherType.PERSISTENT));
    assertFalse(wm.contains("/p", "w", WatcherType.PERSISTENT));
    assertEquals(List.of(), fire(EventType.NODE_CHILDREN_CHANGED, "/p"),
        "removing a persistent watch clears it from the child table too");
    assertTrue(wm.contains("/p", "w", WatcherType.PERSISTENT_RECURSIVE));
    assertTrue(wm.contains("/p", "w", WatcherType.ANY));
    assertTrue(wm.remove("/p", "w", WatcherType.PERSISTENT_RECURSIVE));
    assertFalse(wm.contains("/p", "w", WatcherType.ANY));
    assertFalse(wm.remove("/p", "w", WatcherType.ANY));
    assertEquals(0, wm.watchCount());
  }

  @Test
  void removeAnyDropsEveryModeOnThePathOnly() {
    wm.addDataWatch("/p", "w");
    wm.addPersistentWatch("/p", "w", true);
    wm.addChildWatch("/q", "w");
    assertTrue(wm.remove("/p", "w", WatcherType.ANY));
    assertEquals(List.of(), fire(EventType.NODE_CREATED, "/p/c"));
    assertTrue(wm.contains("/q", "w", WatcherType.CHILDREN));
    assertEquals(1, wm.watchCount());
  }

  @Test
  void removeWatcherCleansEveryTableAndLeavesOthersIntact() {
    wm.addDataWatch("/a", "gone");
    wm.addChildWatch("/a", "gone");
    wm.addPersistentWatch("/b", "gone", false);
    wm.addPersistentWatch("/", "gone", true);
    wm.addDataWatch("/a/x", "stays");
    assertEquals(6, wm.watchCount());
    assertEquals(4, wm.pathCount());
    assertEquals(2, wm.watcherCount());
    wm.removeWatcher("gone");
    assertEquals(1, wm.watchCount());
    assertEquals(1, wm.pathCount());
    assertEquals(1, wm.watcherCount());
    assertEquals(Map.of("stays", Set.of("/a/x")), wm.pathsByWatcher());
    assertEquals(List.of("stays"), fire(EventType.NODE_DATA_CHANGED, "/a/x"));
    wm.removeWatcher("gone");
    wm.removeWatcher("never-added");
    assertEquals(0, wm.watchCount());
  }

  @Test
  void addingTheSameWatchTwiceCountsOnce() {
    wm.addDataWatch("/a", "w");
    wm.addDataWatch("/a", "w");
    wm.addPersistentWatch("/a", "w", true);
    wm.addPersistentWatch("/a", "w", true);
    assertEquals(1, wm.watchCount());
    assertTrue(wm.remove("/a", "w", WatcherType.PERSISTENT_RECURSIVE));
    assertFalse(wm.contains("/a", "w", WatcherType.PERSISTENT_RECURSIVE));
    assertEquals(List.of(), fire(EventType.NODE_DATA_CHANGED, "/a/b"));
    assertEquals(List.of("w"), fire(EventType.NODE_DATA_CHANGED, "/a"));
  }

  @Test
  void pathsByWatcherListsBothTables() {
    wm.addDataWatch("/a", "w");
    wm.addChildWatch("/b", "w");
    wm.addPersistentWatch("/c", "v", true);
    assertEquals(Map.of("w", Set.of("/a", "/b"), "v", Set.of("/c")), wm.pathsByWatcher());
  }

  // ---- differential: ZooKeeper's own WatchManager, wired the way its DataTree wires two ----

  static LongStream seeds() {
    return LongStream.rangeClosed(1, 20);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void behavesLikeZooKeepersWatchTables(long seed) {
    Random rnd = new Random(seed);
    ZkWatches zk = new ZkWatches();
    List<String> paths = List.of("/", "/a", "/a/b", "/a/b/c", "/a/bc", "/b", "/b/a");
    int watchers = 4;
    for (int step = 0; step < 3000; step++) {
      String path = paths.get(rnd.nextInt(paths.size()));
      int w = rnd.nextInt(watchers);
      String name = "w" + w;
      int op = rnd.nextInt(100);
      String what = "step " + step + " op " + op + " " + path + " " + name;
      if (op < 14) {
        wm.addDataWatch(path, name);
        zk.data.addWatch(path, zk.watcher(w), WatcherMode.STANDARD);
      } else if (op < 26) {
        wm.addChildWatch(path, name);
        zk.child.addWatch(path, zk.watcher(w), WatcherMode.STANDARD);
      } else if (op < 32) {
        wm.addPersistentWatch(path, name, false);
        zk.data.addWatch(path, zk.watcher(w), WatcherMode.PERSISTENT);
        zk.child.addWatch(path, zk.watcher(w), WatcherMode.PERSISTENT);
      } else if (op < 37) {
        wm.addPersistentWatch(path, name, true);
        zk.data.addWatch(path, zk.watcher(w), WatcherMode.PERSISTENT_RECURSIVE);
      } else if (op < 47) {
        WatcherType t = WatcherType.values()[rnd.nextInt(WatcherType.values().length)];
        assertEquals(zk.remove(path, w, t), wm.remove(path, name, t), what + " remove " + t);
      } else if (op < 57) {
        WatcherType t = WatcherType.values()[rnd.nextInt(WatcherType.values().length)];
        assertEquals(zk.contains(path, w, t), wm.contains(path, name, t), what + " check " + t);
      } else if (op < 59) {
        wm.removeWatcher(name);
        zk.data.removeWatcher(zk.watcher(w));
        zk.child.removeWatcher(zk.watcher(w));
      } else {
        EventType type = List.of(EventType.NODE_CREATED, EventType.NODE_DELETED,
            EventType.NODE_DATA_CHANGED, EventType.NODE_CHILDREN_CHANGED).get(rnd.nextInt(4));
        List<String> ours = wm.trigger(new WatchEvent(type, path, step)).stream()
            .map(d -> d.watcher().substring(1)).sorted().toList();
        assertEquals(zk.trigger(type, path), ours, what + " " + type);
      }
      assertEquals(zk.data.size() + zk.child.size(), wm.watchCount(), what);
    }
  }

  /**
   * Two of ZooKeeper's WatchManagers as its DataTree uses them. The mapping of watcher types to
   * tables follows DataTree.removeWatch / containsWatcher and the trigger calls in createNode,
   * deleteNode and setData.
   */
  private static final class ZkWatches {
    final org.apache.zookeeper.server.watch.WatchManager data =
        new org.apache.zookeeper.server.watch.WatchManager();
    final org.apache.zookeeper.server.watch.WatchManager child =
        new org.apache.zookeeper.server.watch.WatchManager();
    final List<Watcher> watchers = new ArrayList<>();
    final List<String> delivered = new ArrayList<>();

    Watcher watcher(int i) {
      while (watchers.size() <= i) {
        String id = String.valueOf(watchers.size());
        watchers.add((WatchedEvent e) -> delivered.add(id));
      }
      return watchers.get(i);
    }

    boolean remove(String path, int w, WatcherType type) {
      Watcher x = watcher(w);
      return switch (type) {
        case CHILDREN -> child.removeWatcher(path, x, WatcherMode.STANDARD);
        case DATA -> data.removeWatcher(path, x, WatcherMode.STANDARD);
        case PERSISTENT -> child.removeWatcher(path, x, WatcherMode.PERSISTENT)
            | data.removeWatcher(path, x, WatcherMode.PERSISTENT);
        case PERSISTENT_RECURSIVE -> data.removeWatcher(path, x, WatcherMode.PERSISTENT_RECURSIVE);
        case ANY -> child.removeWatcher(path, x) | data.removeWatcher(path, x);
      };
    }

    boolean contains(String path, int w, WatcherType type) {
      Watcher x = watcher(w);
      return switch (type) {
        case CHILDREN -> child.containsWatcher(path, x, WatcherMode.STANDARD);
        case DATA -> data.containsWatcher(path, x, WatcherMode.STANDARD);
        case PERSISTENT -> data.containsWatcher(path, x, WatcherMode.PERSISTENT);
        case PERSISTENT_RECURSIVE ->
            data.containsWatcher(path, x, WatcherMode.PERSISTENT_RECURSIVE);
        case ANY -> child.containsWatcher(path, x, null) || data.containsWatcher(path, x, null);
      };
    }

    List<String> trigger(EventType type, String path) {
      delivered.clear();
      Watcher.Event.EventType t = Watcher.Event.EventType.fromInt(type.value());
      switch (type) {
        case NODE_CHILDREN_CHANGED -> child.triggerWatch(path, t, 0, List.of());
        case NODE_DELETED -> {
          WatcherOrBitSet seen = data.triggerWatch(path, t, 0, List.of());
          child.triggerWatch(path, t, 0, List.of(), seen);
        }
        default -> data.triggerWatch(path, t, 0, List.of());
      }
      return delivered.stream().sorted().toList();
    }
  }
}
