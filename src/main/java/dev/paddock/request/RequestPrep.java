package dev.paddock.request;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.tree.Acls;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.NodeChanges;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.Paths;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a write request into a txn on the leader (ZooKeeper's PrepRequestProcessor): validation,
 * ACL and version checks against the committed tree plus the changes still in flight, so that
 * pipelined writes see each other. A refused request becomes an error txn, which is logged and
 * answered in order like any other. Checks run in ZooKeeper's order so clients see the same
 * error for the same request.
 */
public final class RequestPrep {
  private final PendingChanges view;
  private final int maxDataBytes;

  public RequestPrep(TreeSnapshot committed, int maxDataBytes) {
    this.view = new PendingChanges(committed);
    this.maxDataBytes = maxDataBytes;
  }

  /** Tells the preparer how far the committed tree has come. */
  public void committed(TreeSnapshot snapshot) {
    if (snapshot.zxid() >= view.base().zxid()) {
      view.rebase(snapshot);
    }
  }

  public int inFlightChanges() {
    return view.size();
  }

  public TxnEntry prepare(WriteRequest req, long zxid, long time) {
    view.at(zxid);
    Txn txn;
    if (req.op() instanceof Op.Multi m) {
      txn = prepareMulti(req, m, zxid, time);
    } else {
      try {
        txn = prepareOne(req, req.op(), zxid, time);
      } catch (PrepFailure f) {
        txn = new Txn.Error(f.code);
      }
    }
    return new TxnEntry(zxid, req.sessionId(), req.cxid(), time, txn);
  }

  private Txn prepareMulti(WriteRequest req, Op.Multi multi, long zxid, long time) {
    List<Txn> ops = new ArrayList<>(multi.ops().size());
    view.beginUndoScope();
    int failedAt = -1;
    Code failure = null;
    for (int i = 0; i < multi.ops().size(); i++) {
      Op.Write op = multi.ops().get(i);
      try {
        if (op instanceof Op.Multi || op instanceof Op.CreateSession
            || op instanceof Op.CloseSession || op instanceof Op.SetAcl) {
          throw new PrepFailure(Code.BAD_ARGUMENTS);
        }
        ops.add(prepareOne(req, op, zxid, time));
      } catch (PrepFailure f) {
        failedAt = i;
        failure = f.code;
        break;
      }
    }
    if (failure == null) {
      view.commitUndoScope();
      return new Txn.Multi(ops);
    }
    view.rollbackUndoScope();
    List<Txn> errors = new ArrayList<>(multi.ops().size());
    for (int i = 0; i < multi.ops().size(); i++) {
      Code c = i < failedAt ? Code.OK : i == failedAt ? failure : Code.RUNTIME_INCONSISTENCY;
      errors.add(new Txn.Error(c));
    }
    return new Txn.Multi(errors);
  }

  private Txn prepareOne(WriteRequest req, Op.Write op, long zxid, long time)
      throws PrepFailure {
    if (op instanceof Op.Create c) {
      return create(req, c, zxid, time);
    } else if (op instanceof Op.Delete d) {
      return delete(req, d, zxid);
    } else if (op instanceof Op.SetData s) {
      return setData(req, s, zxid, time);
    } else if (op instanceof Op.SetAcl s) {
      return setAcl(req, s);
    } else if (op instanceof Op.Check c) {
      return check(req, c);
    } else if (op instanceof Op.DeleteContainer d) {
      return deleteContainer(d, zxid);
    } else if (op instanceof Op.CreateSession s) {
      view.openSession(req.sessionId());
      return new Txn.CreateSession(s.timeoutMs());
    } else if (op instanceof Op.CloseSession) {
      for (String p : view.ephemeralsOf(req.sessionId())) {
        NodeChanges.delete(view, p, zxid);
      }
      view.closeSession(req.sessionId());
      return new Txn.CloseSession();
    }
    throw new PrepFailure(Code.UNIMPLEMENTED);
  }

  private Txn create(WriteRequest req, Op.Create c, long zxid, long time) throws PrepFailure {
    CreateMode mode = c.mode();
    if (mode == null) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
    if (mode.isTtl() ? !NodeKind.validTtl(c.ttl()) : c.ttl() >= 0) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
    checkSession(req);
    String path = c.path();
    if (path == null || path.lastIndexOf('/') < 0 || path.indexOf('\0') >= 0) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
    checkDataSize(c.data());
    List<Acl> acl = fixupAcl(c.acl(), req.authIds());
    String parentPath = path.equals("/") ? "/" : Paths.parent(path);
    DataNode parent = require(parentPath);
    checkAcl(parent, Perms.CREATE, req.authIds());
    if (mode.isSequential()) {
      path = path + String.format(Locale.ENGLISH, "%010d", parent.createCount());
    }
    if (Paths.invalidReason(path) != null) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
    if (view.get(path) != null) {
      throw new PrepFailure(Code.NODE_EXISTS);
    }
    if (parent.kind() == NodeKind.EPHEMERAL) {
      throw new PrepFailure(Code.NO_CHILDREN_FOR_EPHEMERALS);
    }
    long owner = mode.isContainer() ? NodeKind.CONTAINER_OWNER
        : mode.isTtl() ? NodeKind.ttlOwner(c.ttl())
        : mode.isEphemeral() ? req.sessionId() : 0L;
    int newCount = parent.createCount() + 1;
    Txn.Create txn = new Txn.Create(path, c.data(), acl, owner, newCount);
    NodeChanges.create(view, path, txn.key(), c.data(), acl, owner, newCount, zxid, time);
    return txn;
  }

  private Txn delete(WriteRequest req, Op.Delete d, long zxid) throws PrepFailure {
    checkSession(req);
    String path = d.path();
    String parentPath = parentForDelete(path);
    DataNode parent = require(parentPath);
    checkAcl(parent, Perms.DELETE, req.authIds());
    DataNode node = require(path);
    checkVersion(node.version(), d.version());
    if (node.numChildren() > 0) {
      throw new PrepFailure(Code.NOT_EMPTY);
    }
    NodeChanges.delete(view, path, zxid);
    return new Txn.Delete(path);
  }

  private Txn deleteContainer(Op.DeleteContainer d, long zxid) throws PrepFailure {
    String path = d.path();
    String parentPath = parentForDelete(path);
    DataNode node = require(path);
    if (node.numChildren() > 0) {
      throw new PrepFailure(Code.NOT_EMPTY);
    }
    NodeKind kind = node.kind();
    if (kind != NodeKind.CONTAINER && kind != NodeKind.TTL) {
      throw new PrepFailure(Code.BAD_VERSION);
    }
    require(parentPath);
    NodeChanges.delete(view, path, zxid);
    return new Txn.Delete(path);
  }

  private Txn setData(WriteRequest req, Op.SetData s, long zxid, long time) throws PrepFailure {
    checkSession(req);
    validatePath(s.path());
    checkDataSize(s.data());
    DataNode node = require(s.path());
    checkAcl(node, Perms.WRITE, req.authIds());
    int newVersion = checkVersion(node.version(), s.version());
    NodeChanges.setData(view, s.path(), s.data(), newVersion, zxid, time);
    return new Txn.SetData(s.path(), s.data(), newVersion);
  }

  private Txn setAcl(WriteRequest req, Op.SetAcl s) throws PrepFailure {
    checkSession(req);
    validatePath(s.path());
    List<Acl> acl = fixupAcl(s.acl(), req.authIds());
    DataNode node = require(s.path());
    checkAcl(node, Perms.ADMIN, req.authIds());
    int newVersion = checkVersion(node.aversion(), s.version());
    NodeChanges.setAcl(view, s.path(), acl, newVersion);
    return new Txn.SetAcl(s.path(), acl, newVersion);
  }

  private Txn check(WriteRequest req, Op.Check c) throws PrepFailure {
    checkSession(req);
    validatePath(c.path());
    DataNode node = require(c.path());
    checkAcl(node, Perms.READ, req.authIds());
    return new Txn.Check(c.path(), checkVersion(node.version(), c.version()));
  }

  private void checkSession(WriteRequest req) throws PrepFailure {
    if (!view.sessionOpen(req.sessionId())) {
      throw new PrepFailure(Code.SESSION_EXPIRED);
    }
  }

  private void checkDataSize(byte[] data) throws PrepFailure {
    if (data != null && data.length > maxDataBytes) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
  }

  private static String parentForDelete(String path) throws PrepFailure {
    if (path == null || path.lastIndexOf('/') < 0 || path.indexOf('\0') >= 0
        || path.equals("/") || DataTree.isSystemPath(path)) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
    return Paths.parent(path);
  }

  private static void validatePath(String path) throws PrepFailure {
    if (Paths.invalidReason(path) != null) {
      throw new PrepFailure(Code.BAD_ARGUMENTS);
    }
  }

  private DataNode require(String path) throws PrepFailure {
    DataNode n = view.get(path);
    if (n == null) {
      throw new PrepFailure(Code.NO_NODE);
    }
    return n;
  }

  private static void checkAcl(DataNode node, int perm, List<Id> authIds) throws PrepFailure {
    if (!Acls.permits(node.acl(), perm, authIds)) {
      throw new PrepFailure(Code.NO_AUTH);
    }
  }

  /**
   * The checked ACL, as the tree's shared instance: the txn carrying it stays in the leader's
   * recent history, and a copy per txn would cost more than the data of a small znode.
   */
  private static List<Acl> fixupAcl(List<Acl> acl, List<Id> authIds) throws PrepFailure {
    List<Acl> fixed = Acls.fixup(acl, authIds);
    if (fixed == null) {
      throw new PrepFailure(Code.INVALID_ACL);
    }
    return Acls.intern(fixed);
  }

  private static int checkVersion(int current, int expected) throws PrepFailure {
    if (expected != -1 && expected != current) {
      throw new PrepFailure(Code.BAD_VERSION);
    }
    return current + 1;
  }
}
