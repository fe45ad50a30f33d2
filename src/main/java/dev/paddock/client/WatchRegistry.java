package dev.paddock.client;

import dev.paddock.api.Code;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The paths this client has watches on, mirroring the server's tables the way ZooKeeper's client
 * does, so the watches can be re-registered with setWatches after a re-attach: the server drops
 * them with the connection. One-shot watches are forgotten when their event arrives; persistent
 * ones stay until removed.
 */
final class WatchRegistry {
  private final Set<String> data = new LinkedHashSet<>();
  /** exists watches on nodes that did not exist: re-registered as "fire when created". */
  private final Set<String> exist = new LinkedHashSet<>();
  private final Set<String> child = new LinkedHashSet<>();
  private final Set<String> persistent = new LinkedHashSet<>();
  private final Set<String> recursive = new LinkedHashSet<>();

  /** Records the watch an answered op left on the server (if any). */
  void onReply(Op op, Result r) {
    if (op instanceof Op.GetData g && g.watch() && r.isOk()) {
      data.add(g.path());
    } else if (op instanceof Op.Exists e && e.watch()) {
      if (r.isOk()) {
        data.add(e.path());
      } else if (r.code() == Code.NO_NODE) {
        exist.add(e.path());
      }
    } else if (op instanceof Op.GetChildren g && g.watch() && r.isOk()) {
      child.add(g.path());
    } else if (op instanceof Op.AddWatch a && r.isOk()) {
      (a.mode() == WatchMode.PERSISTENT_RECURSIVE ? recursive : persistent).add(a.path());
    } else if (op instanceof Op.RemoveWatches rw && r.isOk()) {
      removed(rw);
    } else if (op instanceof Op.MultiRead m && r instanceof Result.Multi results) {
      for (int i = 0; i < m.ops().size() && i < results.results().size(); i++) {
        onReply(m.ops().get(i), results.results().get(i));
      }
    }
  }

  private void removed(Op.RemoveWatches rw) {
    String path = rw.path();
    switch (rw.type()) {
      case DATA -> {
        data.remove(path);
        exist.remove(path);
      }
      case CHILDREN -> child.remove(path);
      case PERSISTENT -> persistent.remove(path);
      case PERSISTENT_RECURSIVE -> recursive.remove(path);
      case ANY -> {
        data.remove(path);
        exist.remove(path);
        child.remove(path);
        persistent.remove(path);
        recursive.remove(path);
      }
    }
  }

  /** The server fires a one-shot watch once and forgets it; so does the client. */
  void onEvent(WatchEvent e) {
    String path = e.path();
    switch (e.type()) {
      case NODE_CREATED, NODE_DATA_CHANGED -> {
        data.remove(path);
        exist.remove(path);
      }
      case NODE_DELETED -> {
        data.remove(path);
        exist.remove(path);
        child.remove(path);
      }
      case NODE_CHILDREN_CHANGED -> child.remove(path);
      default -> { }
    }
  }

  boolean isEmpty() {
    return data.isEmpty() && exist.isEmpty() && child.isEmpty() && persistent.isEmpty()
        && recursive.isEmpty();
  }

  /** The re-registration op for a re-attached session, or null when nothing is watched. */
  Op.SetWatches toSetWatches(long relativeZxid) {
    if (isEmpty()) {
      return null;
    }
    return new Op.SetWatches(relativeZxid, copy(data), copy(exist), copy(child),
        copy(persistent), copy(recursive));
  }

  private static List<String> copy(Set<String> s) {
    return List.copyOf(new ArrayList<>(s));
  }
}
