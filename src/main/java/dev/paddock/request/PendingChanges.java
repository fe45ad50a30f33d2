package dev.paddock.request;

import dev.paddock.tree.DataNode;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.NodeStore;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The leader's view of the tree including writes it has prepared but that are not yet applied
 * (ZooKeeper's outstanding changes): the committed snapshot plus, per path, the newest in-flight
 * change. A change is dropped once the committed snapshot has reached its zxid, so lookups stay
 * O(1) and the view never goes stale. Supports an undo scope so a failed multi leaves no trace.
 */
final class PendingChanges implements NodeStore {
  private record Change(long zxid, DataNode node) {}

  private record Undo(String path, Change previous) {}

  private record Stamp(long zxid, String path) {}

  private record SessionChange(long zxid, boolean open) {}

  private TreeSnapshot base;
  private final Map<String, Change> byPath = new HashMap<>();
  private final ArrayDeque<Stamp> order = new ArrayDeque<>();
  private final Map<Long, SessionChange> sessions = new HashMap<>();
  private final ArrayDeque<Long> sessionOrder = new ArrayDeque<>();
  private long zxid;
  private List<Undo> undo;

  PendingChanges(TreeSnapshot base) {
    this.base = base;
  }

  /** Moves onto a newer committed snapshot and forgets changes it already contains. */
  void rebase(TreeSnapshot committed) {
    base = committed;
    long upTo = committed.zxid();
    while (!order.isEmpty() && order.peekFirst().zxid() <= upTo) {
      Stamp s = order.pollFirst();
      Change c = byPath.get(s.path());
      if (c != null && c.zxid() <= upTo) {
        byPath.remove(s.path());
      }
    }
    while (!sessionOrder.isEmpty()) {
      Long id = sessionOrder.peekFirst();
      SessionChange c = sessions.get(id);
      if (c != null && c.zxid() > upTo) {
        break;
      }
      sessionOrder.pollFirst();
      if (c != null) {
        sessions.remove(id);
      }
    }
  }

  TreeSnapshot base() {
    return base;
  }

  int size() {
    return byPath.size();
  }

  /** Subsequent changes are stamped with this zxid. */
  void at(long zxid) {
    this.zxid = zxid;
  }

  void beginUndoScope() {
    undo = new ArrayList<>();
  }

  void commitUndoScope() {
    undo = null;
  }

  void rollbackUndoScope() {
    for (int i = undo.size() - 1; i >= 0; i--) {
      Undo u = undo.get(i);
      if (u.previous() == null) {
        byPath.remove(u.path());
      } else {
        byPath.put(u.path(), u.previous());
      }
    }
    undo = null;
  }

  @Override
  public DataNode get(String path) {
    Change c = byPath.get(path);
    if (c != null && c.zxid() > base.zxid()) {
      return c.node();
    }
    return base.node(path);
  }

  @Override
  public void put(String path, DataNode node) {
    record(path, new Change(zxid, node));
  }

  @Override
  public void remove(String path) {
    record(path, new Change(zxid, null));
  }

  private void record(String path, Change change) {
    Change prev = byPath.put(path, change);
    if (undo != null) {
      undo.add(new Undo(path, prev));
    }
    order.addLast(new Stamp(change.zxid(), path));
  }

  boolean sessionOpen(long sessionId) {
    SessionChange c = sessions.get(sessionId);
    if (c != null && c.zxid() > base.zxid()) {
      return c.open();
    }
    return PersistentColls.get(base.sessions(), sessionId) != null;
  }

  void openSession(long sessionId) {
    sessions.put(sessionId, new SessionChange(zxid, true));
    sessionOrder.addLast(sessionId);
  }

  void closeSession(long sessionId) {
    sessions.put(sessionId, new SessionChange(zxid, false));
    sessionOrder.addLast(sessionId);
  }

  /** Ephemerals the session owns in this view: committed ones plus in-flight changes. */
  List<String> ephemeralsOf(long sessionId) {
    Set<String> out = new HashSet<>();
    var committed = PersistentColls.get(base.ephemerals(), sessionId);
    if (committed != null) {
      out.addAll(PersistentColls.toList(committed));
    }
    for (Map.Entry<String, Change> e : byPath.entrySet()) {
      if (e.getValue().zxid() > base.zxid()) {
        DataNode n = e.getValue().node();
        if (n == null) {
          out.remove(e.getKey());
        } else if (n.ephemeralOwner() == sessionId && NodeKind.of(sessionId) == NodeKind.EPHEMERAL) {
          out.add(e.getKey());
        }
      }
    }
    // A committed ephemeral may have been deleted and re-created by another session in flight:
    // only nodes this session owns in the view are its own (ZooKeeper replays outstanding
    // changes in order, so such a path ends up owned by the other session).
    out.removeIf(p -> {
      DataNode n = get(p);
      return n == null || n.ephemeralOwner() != sessionId;
    });
    return new ArrayList<>(out);
  }
}
