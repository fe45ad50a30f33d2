package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import java.util.List;

/**
 * The node-level effect of each write, written once and used both when the leader prepares a txn
 * (against its in-flight view) and when any replica applies a committed txn.
 */
public final class NodeChanges {
  private NodeChanges() {}

  /** {@code key} is the path's bytes ({@link PathKey#of}); the new znode keeps that array. */
  public static Code create(
      NodeStore store, String path, byte[] key, byte[] data, List<Acl> acl, long ephemeralOwner,
      int parentCreateCount, long zxid, long time) {
    String parentPath = Paths.parent(path);
    DataNode parent = store.get(parentPath);
    if (parent == null) {
      return Code.NO_NODE;
    }
    if (store.get(path) != null) {
      return Code.NODE_EXISTS;
    }
    store.put(parentPath, parent.withChildAdded(path, key, parentCreateCount, zxid));
    store.putNew(path, key, DataNode.create(data, Acls.intern(acl), zxid, time, ephemeralOwner));
    return Code.OK;
  }

  public static Code delete(NodeStore store, String path, long zxid) {
    String parentPath = Paths.parent(path);
    DataNode parent = store.get(parentPath);
    DataNode node = store.get(path);
    if (parent == null || node == null) {
      return Code.NO_NODE;
    }
    store.put(parentPath, parent.withChildRemoved(path, zxid));
    store.remove(path);
    return Code.OK;
  }

  public static Code setData(
      NodeStore store, String path, byte[] data, int version, long zxid, long time) {
    DataNode node = store.get(path);
    if (node == null) {
      return Code.NO_NODE;
    }
    store.put(path, node.withData(data, version, zxid, time));
    return Code.OK;
  }

  public static Code setAcl(NodeStore store, String path, List<Acl> acl, int aversion) {
    DataNode node = store.get(path);
    if (node == null) {
      return Code.NO_NODE;
    }
    store.put(path, node.withAcl(Acls.intern(acl), aversion));
    return Code.OK;
  }
}
