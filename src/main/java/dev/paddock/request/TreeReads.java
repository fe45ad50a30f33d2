package dev.paddock.request;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.tree.Acls;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.WatchManager;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Serves read ops from the committed tree (ZooKeeper's FinalRequestProcessor for reads). A watch
 * is registered in the same call that reads, so no change can slip between the two. A read
 * whose reply would not fit in {@code maxReplyBytes} fails with MARSHALLING_ERROR (the code a
 * reply that cannot be marshalled gets) before anything is assembled or any watch is set.
 */
public final class TreeReads<W> {
  private final DataTree tree;
  private final WatchManager<W> watches;
  private final long maxReplyBytes;

  public TreeReads(DataTree tree, WatchManager<W> watches) {
    this(tree, watches, Long.MAX_VALUE);
  }

  /** @param maxReplyBytes the largest reply, length prefix and header included */
  public TreeReads(DataTree tree, WatchManager<W> watches, long maxReplyBytes) {
    this.tree = tree;
    this.watches = watches;
    this.maxReplyBytes = maxReplyBytes;
  }

  /**
   * @param fire receives events a setWatches call fires at once, before the reply is sent
   */
  public Result read(Op.Read op, W watcher, long sessionId, List<Id> authIds,
      Consumer<WatchEvent> fire) {
    if (op instanceof Op.GetData g) {
      return getData(g.path(), g.watch() ? watcher : null, authIds);
    } else if (op instanceof Op.Exists e) {
      return exists(e, watcher, authIds);
    } else if (op instanceof Op.GetChildren g) {
      return getChildren(g.path(), g.watch() ? watcher : null, authIds);
    } else if (op instanceof Op.GetAcl g) {
      return getAcl(g.path(), authIds);
    } else if (op instanceof Op.GetAllChildrenNumber g) {
      DataNode n = tree.get(g.path());
      if (n == null) {
        return Result.fail(Code.NO_NODE);
      }
      if (!Acls.permits(n.acl(), Perms.READ, authIds)) {
        return Result.fail(Code.NO_AUTH);
      }
      return new Result.Count(tree.allChildrenNumber(g.path()));
    } else if (op instanceof Op.GetEphemerals g) {
      return getEphemerals(g.path(), sessionId);
    } else if (op instanceof Op.MultiRead m) {
      return multiRead(m, watcher, sessionId, authIds, fire);
    } else if (op instanceof Op.AddWatch a) {
      if (a.mode() == null) {
        return Result.fail(Code.BAD_ARGUMENTS);
      }
      watches.addPersistentWatch(a.path(), watcher, a.mode() == WatchMode.PERSISTENT_RECURSIVE);
      return Result.DONE;
    } else if (op instanceof Op.RemoveWatches r) {
      if (r.type() == null) {
        return Result.fail(Code.BAD_ARGUMENTS);
      }
      return watches.remove(r.path(), watcher, r.type())
          ? Result.DONE : Result.fail(Code.NO_WATCHER);
    } else if (op instanceof Op.CheckWatches c) {
      if (c.type() == null) {
        return Result.fail(Code.BAD_ARGUMENTS);
      }
      return watches.contains(c.path(), watcher, c.type())
          ? Result.DONE : Result.fail(Code.NO_WATCHER);
    } else if (op instanceof Op.SetWatches s) {
      setWatches(s, watcher, fire);
      return Result.DONE;
    } else if (op instanceof Op.WhoAmI) {
      return new Result.Identities(List.copyOf(authIds));
    }
    return Result.fail(Code.UNIMPLEMENTED);
  }

  private Result getData(String path, W watcher, List<Id> authIds) {
    DataNode n = tree.get(path);
    if (n == null) {
      return Result.fail(Code.NO_NODE);
    }
    if (!Acls.permits(n.acl(), Perms.READ, authIds)) {
      return Result.fail(Code.NO_AUTH);
    }
    if (watcher != null) {
      watches.addDataWatch(path, watcher);
    }
    return new Result.Data(n.data(), n.stat());
  }

  /** exists needs READ on a node that exists (ZooKeeper 3.9); a missing node arms the watch. */
  private Result exists(Op.Exists e, W watcher, List<Id> authIds) {
    String path = e.path();
    if (path == null || path.indexOf('\0') >= 0) {
      return Result.fail(Code.BAD_ARGUMENTS);
    }
    DataNode n = tree.get(path);
    if (n != null && !Acls.permits(n.acl(), Perms.READ, authIds)) {
      return Result.fail(Code.NO_AUTH);
    }
    if (e.watch()) {
      watches.addDataWatch(path, watcher);
    }
    return n == null ? Result.fail(Code.NO_NODE) : new Result.StatOf(n.stat());
  }

  private Result getChildren(String path, W watcher, List<Id> authIds) {
    DataNode n = tree.get(path);
    if (n == null) {
      return Result.fail(Code.NO_NODE);
    }
    if (!Acls.permits(n.acl(), Perms.READ, authIds)) {
      return Result.fail(Code.NO_AUTH);
    }
    if (ReplySize.HEADER + ReplySize.children(n) > maxReplyBytes) {
      return Result.fail(Code.MARSHALLING_ERROR);
    }
    if (watcher != null) {
      watches.addChildWatch(path, watcher);
    }
    return new Result.Children(n.childNames(), n.stat());
  }

  /** Needs READ or ADMIN; without ADMIN, digest credentials are masked as ZooKeeper does. */
  private Result getAcl(String path, List<Id> authIds) {
    DataNode n = tree.get(path);
    if (n == null) {
      return Result.fail(Code.NO_NODE);
    }
    if (!Acls.permits(n.acl(), Perms.READ | Perms.ADMIN, authIds)) {
      return Result.fail(Code.NO_AUTH);
    }
    if (Acls.permits(n.acl(), Perms.ADMIN, authIds)) {
      return new Result.AclOf(n.acl(), n.stat());
    }
    List<Acl> masked = new ArrayList<>(n.acl().size());
    for (Acl a : n.acl()) {
      if (a.id().scheme().equals(Acls.DIGEST)) {
        masked.add(new Acl(a.perms(), new Id(Acls.DIGEST, a.id().id().replaceAll(":.*", ":x"))));
      } else {
        masked.add(a);
      }
    }
    return new Result.AclOf(masked, n.stat());
  }

  private Result getEphemerals(String prefix, long sessionId) {
    List<String> all = tree.ephemeralsOf(sessionId);
    List<String> out = all;
    if (prefix != null && !prefix.trim().isEmpty() && !prefix.trim().equals("/")) {
      out = new ArrayList<>();
      for (String p : all) {
        if (p.startsWith(prefix)) {
          out.add(p);
        }
      }
    }
    if (ReplySize.HEADER + ReplySize.paths(out) > maxReplyBytes) {
      return Result.fail(Code.MARSHALLING_ERROR);
    }
    return new Result.PathList(out);
  }

  private Result multiRead(Op.MultiRead m, W watcher, long sessionId, List<Id> authIds,
      Consumer<WatchEvent> fire) {
    if (multiReadSize(m) > maxReplyBytes) {
      return Result.fail(Code.MARSHALLING_ERROR);
    }
    List<Result> results = new ArrayList<>(m.ops().size());
    for (Op.Read op : m.ops()) {
      if (op instanceof Op.GetData || op instanceof Op.GetChildren) {
        results.add(read(op, watcher, sessionId, authIds, fire));
      } else {
        return Result.fail(Code.MARSHALLING_ERROR);
      }
    }
    return new Result.Multi(Code.OK, results);
  }

  /**
   * At most what the multiRead's reply takes: each op as if it succeeds (a failed op is
   * smaller), stopping as soon as the sum is over the limit, so a huge multi costs no more to
   * refuse than to start reading.
   */
  private long multiReadSize(Op.MultiRead m) {
    long size = ReplySize.HEADER + ReplySize.MULTI_HEADER;
    for (Op.Read op : m.ops()) {
      size += ReplySize.MULTI_HEADER;
      DataNode n = op instanceof Op.GetData g ? tree.get(g.path())
          : op instanceof Op.GetChildren g ? tree.get(g.path()) : null;
      if (n == null) {
        size += ReplySize.MULTI_ERROR;
      } else {
        size += op instanceof Op.GetData ? ReplySize.data(n) : ReplySize.children(n);
      }
      if (size > maxReplyBytes) {
        return size;
      }
    }
    return size;
  }

  /** Re-arms a reconnecting client's watches; fires at once those whose change it missed. */
  private void setWatches(Op.SetWatches s, W watcher, Consumer<WatchEvent> fire) {
    long rel = s.relativeZxid();
    for (String path : s.data()) {
      DataNode n = tree.get(path);
      if (n == null) {
        fire.accept(new WatchEvent(EventType.NODE_DELETED, path, -1));
      } else if (n.mzxid() > rel) {
        fire.accept(new WatchEvent(EventType.NODE_DATA_CHANGED, path, -1));
      } else {
        watches.addDataWatch(path, watcher);
      }
    }
    for (String path : s.exist()) {
      if (tree.get(path) != null) {
        fire.accept(new WatchEvent(EventType.NODE_CREATED, path, -1));
      } else {
        watches.addDataWatch(path, watcher);
      }
    }
    for (String path : s.child()) {
      DataNode n = tree.get(path);
      if (n == null) {
        fire.accept(new WatchEvent(EventType.NODE_DELETED, path, -1));
      } else if (n.pzxid() > rel) {
        fire.accept(new WatchEvent(EventType.NODE_CHILDREN_CHANGED, path, -1));
      } else {
        watches.addChildWatch(path, watcher);
      }
    }
    for (String path : s.persistent()) {
      watches.addPersistentWatch(path, watcher, false);
    }
    for (String path : s.persistentRecursive()) {
      watches.addPersistentWatch(path, watcher, true);
    }
  }

  /** The tree's newest zxid, for reply headers. */
  public long lastZxid() {
    return tree.lastZxid();
  }

  public DataTree tree() {
    return tree;
  }
}
