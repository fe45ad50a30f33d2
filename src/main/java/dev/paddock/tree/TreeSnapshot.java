package dev.paddock.tree;

import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashSet;

/**
 * A frozen tree at {@code zxid}: the same persistent maps the live tree had at that moment, so
 * taking one costs nothing and it never changes afterwards. The ephemeral index rides along for
 * readers that need it (the leader's request preparer), as do the container and TTL indexes (the
 * leader's reaper); a snapshot file stores only nodes and sessions, and the indexes (and
 * ZooKeeper's approximate data size: path plus data lengths) are rebuilt on load.
 */
public record TreeSnapshot(
    NodeMap nodes,
    HashMap<Long, Integer> sessions,
    HashMap<Long, HashSet<String>> ephemerals,
    HashSet<String> containers,
    HashSet<String> ttls,
    long zxid,
    long approximateDataSize) {

  public DataNode node(String path) {
    return nodes.get(path);
  }

  public int nodeCount() {
    return nodes.size();
  }

  /** Visits every node: call it off the tree actor, whose applies must not wait for it. */
  public long digest() {
    return TreeDigest.of(nodes, sessions);
  }
}
