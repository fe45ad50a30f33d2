package dev.paddock.tree;

import java.util.Map;
import java.util.zip.CRC32C;
import scala.Tuple2;
import scala.collection.Iterator;
import scala.collection.immutable.HashMap;

/**
 * An order-independent fingerprint of a tree: the sum of a 64-bit hash per node and per session.
 * Two replicas with equal digests hold the same nodes, data, ACLs and Stats.
 */
final class TreeDigest {
  private TreeDigest() {}

  static long of(NodeMap nodes, HashMap<Long, Integer> sessions) {
    long sum = 0;
    for (java.util.Iterator<Map.Entry<byte[], DataNode>> i = nodes.keyIterator();
        i.hasNext(); ) {
      Map.Entry<byte[], DataNode> e = i.next();
      sum += nodeHash(e.getKey(), e.getValue());
    }
    Iterator<Tuple2<Long, Integer>> s = sessions.iterator();
    while (s.hasNext()) {
      Tuple2<Long, Integer> e = s.next();
      sum += mix(e._1() * 31 + e._2());
    }
    return sum;
  }

  /** The path enters as its UTF-8 bytes, which the tree keeps ({@link PathKey}). */
  private static long nodeHash(byte[] pathKey, DataNode n) {
    CRC32C crc = new CRC32C();
    crc.update(pathKey);
    if (n.data() != null) {
      crc.update(n.data());
    }
    long h = crc.getValue();
    h = h * 31 + (n.data() == null ? -1 : 0);
    h = h * 31 + n.acl().hashCode();
    h = h * 31 + n.czxid();
    h = h * 31 + n.mzxid();
    h = h * 31 + n.ctime();
    h = h * 31 + n.mtime();
    h = h * 31 + n.version();
    h = h * 31 + n.createCount();
    h = h * 31 + n.aversion();
    h = h * 31 + n.ephemeralOwner();
    h = h * 31 + n.pzxid();
    h = h * 31 + n.numChildren();
    return mix(h);
  }

  /** A 64-bit finalizer so that summed hashes do not cancel in simple patterns. */
  private static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
