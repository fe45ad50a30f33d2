package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.api.Stat;
import java.util.List;
import scala.collection.immutable.HashSet;

/**
 * One znode, immutable: every change builds a new node, so a tree snapshot can share nodes with
 * the live tree. {@code createCount} is how many children were ever created (ZooKeeper's stored
 * cversion); the cversion a client sees also counts deletes, derived as
 * {@code 2 * createCount - numChildren}. Sequential names use the create count.
 */
public record DataNode(
    byte[] data,
    List<Acl> acl,
    long czxid,
    long mzxid,
    long ctime,
    long mtime,
    int version,
    int createCount,
    int aversion,
    long ephemeralOwner,
    long pzxid,
    HashSet<String> children) {

  public static DataNode create(
      byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
    return new DataNode(
        data, acl, zxid, zxid, time, time, 0, 0, 0, ephemeralOwner, zxid,
        PersistentColls.emptySet());
  }

  public int numChildren() {
    return children.size();
  }

  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  public NodeKind kind() {
    return NodeKind.of(ephemeralOwner);
  }

  public Stat stat() {
    int n = children.size();
    return new Stat(
        czxid, mzxid, ctime, mtime, version, createCount * 2 - n, aversion,
        NodeKind.clientOwner(ephemeralOwner), dataLength(), n, pzxid);
  }

  public DataNode withData(byte[] newData, int newVersion, long zxid, long time) {
    return new DataNode(
        newData, acl, czxid, zxid, ctime, time, newVersion, createCount, aversion,
        ephemeralOwner, pzxid, children);
  }

  public DataNode withAcl(List<Acl> newAcl, int newAversion) {
    return new DataNode(
        data, newAcl, czxid, mzxid, ctime, mtime, version, createCount, newAversion,
        ephemeralOwner, pzxid, children);
  }

  /** Adds a child; the create count and pzxid only move forward, as in ZooKeeper. */
  public DataNode withChildAdded(String name, int newCreateCount, long zxid) {
    boolean advance = newCreateCount > createCount;
    return new DataNode(
        data, acl, czxid, mzxid, ctime, mtime, version,
        advance ? newCreateCount : createCount, aversion, ephemeralOwner,
        advance ? zxid : pzxid, children.incl(name));
  }

  public DataNode withChildRemoved(String name, long zxid) {
    return new DataNode(
        data, acl, czxid, mzxid, ctime, mtime, version, createCount, aversion, ephemeralOwner,
        Math.max(zxid, pzxid), children.excl(name));
  }

  public DataNode withChildren(HashSet<String> newChildren) {
    return new DataNode(
        data, acl, czxid, mzxid, ctime, mtime, version, createCount, aversion, ephemeralOwner,
        pzxid, newChildren);
  }
}
