package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.api.Stat;
import java.util.ArrayList;
import java.util.List;
import scala.collection.Iterator;
import scala.collection.immutable.HashSet;

/**
 * One znode, immutable: every change builds a new node, so a tree snapshot can share nodes with
 * the live tree. {@code createCount} is how many children were ever created (ZooKeeper's stored
 * cversion); the cversion a client sees also counts deletes, derived as
 * {@code 2 * createCount - numChildren}. Sequential names use the create count.
 *
 * <p>{@code childPaths} holds each child's full path, the same string instance the tree is
 * keyed by, rather than its name: a name of its own would cost a second string per znode, about
 * a tenth of a small znode's heap. Names are cut from the paths when a client asks for them.
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
    HashSet<String> childPaths) {

  public static DataNode create(
      byte[] data, List<Acl> acl, long zxid, long time, long ephemeralOwner) {
    return new DataNode(
        data, acl, zxid, zxid, time, time, 0, 0, 0, ephemeralOwner, zxid,
        PersistentColls.emptySet());
  }

  public int numChildren() {
    return childPaths.size();
  }

  /** The children's names, in no particular order. */
  public List<String> childNames() {
    List<String> names = new ArrayList<>(childPaths.size());
    Iterator<String> it = childPaths.iterator();
    while (it.hasNext()) {
      names.add(Paths.name(it.next()));
    }
    return names;
  }

  public int dataLength() {
    return data == null ? 0 : data.length;
  }

  public NodeKind kind() {
    return NodeKind.of(ephemeralOwner);
  }

  public Stat stat() {
    int n = childPaths.size();
    return new Stat(
        czxid, mzxid, ctime, mtime, version, createCount * 2 - n, aversion,
        NodeKind.clientOwner(ephemeralOwner), dataLength(), n, pzxid);
  }

  public DataNode withData(byte[] newData, int newVersion, long zxid, long time) {
    return new DataNode(
        newData, acl, czxid, zxid, ctime, time, newVersion, createCount, aversion,
        ephemeralOwner, pzxid, childPaths);
  }

  public DataNode withAcl(List<Acl> newAcl, int newAversion) {
    return new DataNode(
        data, newAcl, czxid, mzxid, ctime, mtime, version, createCount, newAversion,
        ephemeralOwner, pzxid, childPaths);
  }

  /** Adds a child; the create count and pzxid only move forward, as in ZooKeeper. */
  public DataNode withChildAdded(String childPath, int newCreateCount, long zxid) {
    boolean advance = newCreateCount > createCount;
    return new DataNode(
        data, acl, czxid, mzxid, ctime, mtime, version,
        advance ? newCreateCount : createCount, aversion, ephemeralOwner,
        advance ? zxid : pzxid, childPaths.incl(childPath));
  }

  public DataNode withChildRemoved(String childPath, long zxid) {
    return new DataNode(
        data, acl, czxid, mzxid, ctime, mtime, version, createCount, aversion, ephemeralOwner,
        Math.max(zxid, pzxid), childPaths.excl(childPath));
  }

  public DataNode withChildren(HashSet<String> newChildPaths) {
    return new DataNode(
        data, acl, czxid, mzxid, ctime, mtime, version, createCount, aversion, ephemeralOwner,
        pzxid, newChildPaths);
  }
}
