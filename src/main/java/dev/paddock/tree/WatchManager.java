package dev.paddock.tree;

import dev.paddock.api.EventType;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatcherType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Server-side watches, keyed by watcher (one per connected session). Follows ZooKeeper's model:
 * a data table (getData/exists watches) and a child table (getChildren watches); standard watches
 * fire once, persistent ones stay, and persistent-recursive ones (data table only) also fire for
 * creates, deletes and data changes anywhere below their path — but never for child-list changes.
 */
public final class WatchManager<W> {
  static final int STANDARD = 1;
  static final int PERSISTENT = 2;
  static final int RECURSIVE = 4;

  /** What a watcher should receive. */
  public record Delivery<W>(W watcher, WatchEvent event) {}

  private final Table dataTable = new Table();
  private final Table childTable = new Table();
  private int recursiveCount;

  public void addDataWatch(String path, W watcher) {
    dataTable.add(path, watcher, STANDARD);
  }

  public void addChildWatch(String path, W watcher) {
    childTable.add(path, watcher, STANDARD);
  }

  /** addWatch: PERSISTENT goes to both tables, PERSISTENT_RECURSIVE to the data table only. */
  public void addPersistentWatch(String path, W watcher, boolean recursive) {
    if (recursive) {
      if (dataTable.add(path, watcher, RECURSIVE)) {
        recursiveCount++;
      }
    } else {
      dataTable.add(path, watcher, PERSISTENT);
      childTable.add(path, watcher, PERSISTENT);
    }
  }

  /** Everyone to notify for a change, each watcher at most once, in registration order. */
  public List<Delivery<W>> trigger(WatchEvent event) {
    Set<W> notified = new HashSet<>();
    List<Delivery<W>> out = new ArrayList<>();
    EventType type = event.type();
    if (type != EventType.NODE_CHILDREN_CHANGED) {
      collect(dataTable, event, notified, out, true);
    }
    if (type == EventType.NODE_CHILDREN_CHANGED || type == EventType.NODE_DELETED) {
      collect(childTable, event, notified, out, false);
    }
    return out;
  }

  private void collect(Table table, WatchEvent event, Set<W> notified, List<Delivery<W>> out,
      boolean withAncestors) {
    String path = event.path();
    Map<W, Integer> exact = table.byPath.get(path);
    if (exact != null) {
      for (W w : new ArrayList<>(exact.keySet())) {
        if (notified.add(w)) {
          out.add(new Delivery<>(w, event));
        }
        table.removeModes(path, w, STANDARD);
      }
    }
    if (withAncestors && recursiveCount > 0 && !path.equals("/")) {
      String p = path;
      do {
        p = Paths.parent(p);
        Map<W, Integer> above = table.byPath.get(p);
        if (above != null) {
          for (Map.Entry<W, Integer> e : above.entrySet()) {
            if ((e.getValue() & RECURSIVE) != 0 && notified.add(e.getKey())) {
              out.add(new Delivery<>(e.getKey(), event));
            }
          }
        }
      } while (!p.equals("/"));
    }
  }

  /** removeWatches; false when the watcher had no such watch (ZooKeeper's NoWatcher). */
  public boolean remove(String path, W watcher, WatcherType type) {
    return switch (type) {
      case CHILDREN -> childTable.removeModes(path, watcher, STANDARD);
      case DATA -> dataTable.removeModes(path, watcher, STANDARD);
      case PERSISTENT -> childTable.removeModes(path, watcher, PERSISTENT)
          | dataTable.removeModes(path, watcher, PERSISTENT);
      case PERSISTENT_RECURSIVE -> removeRecursive(path, watcher);
      case ANY -> {
        boolean hadRecursive = (dataTable.modes(path, watcher) & RECURSIVE) != 0;
        boolean removed = childTable.removeModes(path, watcher, STANDARD | PERSISTENT | RECURSIVE)
            | dataTable.removeModes(path, watcher, STANDARD | PERSISTENT | RECURSIVE);
        if (hadRecursive) {
          recursiveCount--;
        }
        yield removed;
      }
    };
  }

  private boolean removeRecursive(String path, W watcher) {
    boolean removed = dataTable.removeModes(path, watcher, RECURSIVE);
    if (removed) {
      recursiveCount--;
    }
    return removed;
  }

  /** checkWatches. */
  public boolean contains(String path, W watcher, WatcherType type) {
    return switch (type) {
      case CHILDREN -> (childTable.modes(path, watcher) & STANDARD) != 0;
      case DATA -> (dataTable.modes(path, watcher) & STANDARD) != 0;
      case PERSISTENT -> (dataTable.modes(path, watcher) & PERSISTENT) != 0;
      case PERSISTENT_RECURSIVE -> (dataTable.modes(path, watcher) & RECURSIVE) != 0;
      case ANY -> childTable.modes(path, watcher) != 0 || dataTable.modes(path, watcher) != 0;
    };
  }

  /** Drops every watch of a watcher that went away (its connection closed). */
  public void removeWatcher(W watcher) {
    Set<String> paths = dataTable.byWatcher.get(watcher);
    if (paths != null) {
      for (String p : new ArrayList<>(paths)) {
        if ((dataTable.modes(p, watcher) & RECURSIVE) != 0) {
          recursiveCount--;
        }
        dataTable.removeModes(p, watcher, STANDARD | PERSISTENT | RECURSIVE);
      }
    }
    Set<String> childPaths = childTable.byWatcher.get(watcher);
    if (childPaths != null) {
      for (String p : new ArrayList<>(childPaths)) {
        childTable.removeModes(p, watcher, STANDARD | PERSISTENT | RECURSIVE);
      }
    }
  }

  public int watchCount() {
    return dataTable.count() + childTable.count();
  }

  public int pathCount() {
    Set<String> all = new HashSet<>(dataTable.byPath.keySet());
    all.addAll(childTable.byPath.keySet());
    return all.size();
  }

  public int watcherCount() {
    Set<W> all = new HashSet<>(dataTable.byWatcher.keySet());
    all.addAll(childTable.byWatcher.keySet());
    return all.size();
  }

  /** Paths watched per watcher (four-letter word wchc/wchs style reporting). */
  public Map<W, Set<String>> pathsByWatcher() {
    Map<W, Set<String>> out = new LinkedHashMap<>();
    dataTable.byWatcher.forEach((w, ps) -> out.computeIfAbsent(w, k -> new HashSet<>()).addAll(ps));
    childTable.byWatcher.forEach((w, ps) -> out.computeIfAbsent(w, k -> new HashSet<>()).addAll(ps));
    return out;
  }

  private final class Table {
    final Map<String, Map<W, Integer>> byPath = new HashMap<>();
    final Map<W, Set<String>> byWatcher = new HashMap<>();

    /** Returns true when the mode was not yet set. */
    boolean add(String path, W watcher, int mode) {
      Map<W, Integer> ws = byPath.computeIfAbsent(path, k -> new LinkedHashMap<>(4));
      int old = ws.getOrDefault(watcher, 0);
      ws.put(watcher, old | mode);
      byWatcher.computeIfAbsent(watcher, k -> new HashSet<>()).add(path);
      return (old & mode) == 0;
    }

    int modes(String path, W watcher) {
      Map<W, Integer> ws = byPath.get(path);
      return ws == null ? 0 : ws.getOrDefault(watcher, 0);
    }

    /** Clears the given modes; returns true when any of them was set. */
    boolean removeModes(String path, W watcher, int modes) {
      Map<W, Integer> ws = byPath.get(path);
      if (ws == null) {
        return false;
      }
      Integer old = ws.get(watcher);
      if (old == null || (old & modes) == 0) {
        return false;
      }
      int rest = old & ~modes;
      if (rest == 0) {
        ws.remove(watcher);
        if (ws.isEmpty()) {
          byPath.remove(path);
        }
        Set<String> ps = byWatcher.get(watcher);
        if (ps != null) {
          ps.remove(path);
          if (ps.isEmpty()) {
            byWatcher.remove(watcher);
          }
        }
      } else {
        ws.put(watcher, rest);
      }
      return true;
    }

    int count() {
      int n = 0;
      for (Map<W, Integer> ws : byPath.values()) {
        n += ws.size();
      }
      return n;
    }
  }
}
