package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.txn.TxnCodec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * The encoding of {@link TreeSnapshotCodec}, produced a part at a time, so a tree of any size
 * can be sent or written without its whole encoding ever being in memory: the frozen tree is
 * walked as parts are asked for. One user at a time.
 */
public final class TreeSnapshotEncoder {
  static final int MAGIC = 0x50445452; // "PDTR"
  static final int VERSION = 1;

  private final TreeSnapshot tree;
  private java.util.Iterator<Map.Entry<byte[], DataNode>> nodes;
  private Map<List<Acl>, Integer> aclIndex;
  private long produced;

  public TreeSnapshotEncoder(TreeSnapshot tree) {
    this.tree = tree;
  }

  /** Whether {@link #next} has anything left to return. */
  public boolean hasMore() {
    return nodes == null || nodes.hasNext();
  }

  /** Bytes returned so far. */
  public long produced() {
    return produced;
  }

  /**
   * The next part: whole node records until at least {@code bytes} were written (the header
   * comes first, whole), or null when everything was returned.
   */
  public byte[] next(int bytes) {
    if (!hasMore()) {
      return null;
    }
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(Math.min(bytes, 1 << 20) + 256);
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      if (nodes == null) {
        header(out);
      }
      while (nodes.hasNext() && buffer.size() < bytes) {
        Map.Entry<byte[], DataNode> e = nodes.next();
        node(out, e.getKey(), e.getValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    produced += buffer.size();
    return buffer.toByteArray();
  }

  private void header(DataOutputStream out) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(tree.zxid());
    out.writeInt(tree.sessions().size());
    Iterator<Tuple2<Long, Integer>> s = tree.sessions().iterator();
    while (s.hasNext()) {
      Tuple2<Long, Integer> e = s.next();
      out.writeLong(e._1());
      out.writeInt(e._2());
    }
    // Interned ACL lists are shared objects: identity finds the distinct ones cheaply.
    aclIndex = new IdentityHashMap<>();
    List<List<Acl>> acls = new ArrayList<>();
    for (DataNode node : tree.nodes().values()) {
      List<Acl> acl = node.acl();
      if (!aclIndex.containsKey(acl)) {
        aclIndex.put(acl, acls.size());
        acls.add(acl);
      }
    }
    out.writeInt(acls.size());
    for (List<Acl> acl : acls) {
      TxnCodec.writeAcl(out, acl);
    }
    out.writeInt(tree.nodes().size());
    nodes = tree.nodes().keyIterator();
  }

  /** A path is written as {@link TxnCodec#writeString} would, from the UTF-8 the tree keeps. */
  private void node(DataOutputStream out, byte[] pathKey, DataNode n) throws IOException {
    TxnCodec.writeBytes(out, pathKey);
    TxnCodec.writeBytes(out, n.data());
    out.writeInt(aclIndex.get(n.acl()));
    out.writeLong(n.czxid());
    out.writeLong(n.mzxid());
    out.writeLong(n.ctime());
    out.writeLong(n.mtime());
    out.writeInt(n.version());
    out.writeInt(n.createCount());
    out.writeInt(n.aversion());
    out.writeLong(n.ephemeralOwner());
    out.writeLong(n.pzxid());
  }
}
