package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.txn.TxnCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The on-disk form of a tree: zxid, sessions, a table of distinct ACL lists, then every node
 * without its child list (children are rebuilt from the paths, so they cannot disagree with the
 * nodes). Streams node by node; a tree of a million znodes is never held as one byte array.
 */
public final class TreeSnapshotCodec {
  private static final int MAGIC = TreeSnapshotEncoder.MAGIC;
  private static final int VERSION = TreeSnapshotEncoder.VERSION;

  private TreeSnapshotCodec() {}

  public static void write(TreeSnapshot t, DataOutput out) throws IOException {
    TreeSnapshotEncoder encoder = new TreeSnapshotEncoder(t);
    for (byte[] part = encoder.next(1 << 16); part != null; part = encoder.next(1 << 16)) {
      out.write(part);
    }
  }

  @SuppressWarnings("unchecked")
  public static TreeSnapshot read(DataInput in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("not a tree snapshot");
    }
    int version = in.readInt();
    if (version != VERSION) {
      throw new IOException("unsupported tree snapshot version " + version);
    }
    long zxid = in.readLong();
    int sessionCount = TxnCodec.readCount(in);
    scala.collection.immutable.HashMap<Long, Integer> sessions = PersistentColls.emptyMap();
    for (int i = 0; i < sessionCount; i++) {
      sessions = sessions.updated(in.readLong(), in.readInt());
    }
    int aclCount = TxnCodec.readCount(in);
    List<List<Acl>> acls = new ArrayList<>(aclCount);
    for (int i = 0; i < aclCount; i++) {
      acls.add(Acls.intern(TxnCodec.readAcl(in)));
    }
    int nodeCount = TxnCodec.readCount(in);
    List<byte[]> keys = new ArrayList<>(Math.min(nodeCount, 1 << 16));
    List<DataNode> read = new ArrayList<>(Math.min(nodeCount, 1 << 16));
    Map<Prefix, List<byte[]>> children = new HashMap<>();
    List<String> owned = new ArrayList<>();
    long dataSize = 0;
    for (int i = 0; i < nodeCount; i++) {
      byte[] key = pathKey(TxnCodec.readBytes(in), i);
      byte[] data = TxnCodec.readBytes(in);
      int aclIdx = in.readInt();
      if (aclIdx < 0 || aclIdx >= acls.size()) {
        throw new IOException("corrupt node record " + i);
      }
      DataNode n = DataNode.of(data, acls.get(aclIdx), in.readLong(), in.readLong(),
          in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readLong(),
          in.readLong(), ChildSet.empty());
      keys.add(key);
      read.add(n);
      dataSize += PathKey.length(key) + n.dataLength();
      if (n.ephemeralOwner() != 0) {
        owned.add(PathKey.path(key));
      }
      if (key.length != 1) {
        children.computeIfAbsent(Prefix.parentOf(key), k -> new ArrayList<>()).add(key);
      }
    }
    // Parents get their child sets once every node is read: a parent may come after its
    // children in the file. A child set holds the very keys the map is built with.
    NodeMap.Builder builder = NodeMap.builder();
    for (int i = 0; i < keys.size(); i++) {
      List<byte[]> kids = children.remove(Prefix.of(keys.get(i), keys.get(i).length));
      builder.put(keys.get(i), kids == null ? read.get(i) : read.get(i).withChildren(
          ChildSet.ofKeys(kids)));
    }
    if (!children.isEmpty()) {
      throw new IOException(
          "snapshot has children of missing node " + children.keySet().iterator().next().path());
    }
    NodeMap nodes = builder.result();
    if (nodes.size() != nodeCount) {
      throw new IOException("snapshot lists a node twice");
    }
    return DataTree.indexing(nodes, sessions, zxid, owned, dataSize).snapshot();
  }

  /**
   * The first {@code length} bytes of a key: a parent's path within its child's key, found
   * without copying it or making strings of half a million paths.
   */
  private record Prefix(byte[] key, int length, int hash) {
    static Prefix of(byte[] key, int length) {
      int h = 1;
      for (int i = 0; i < length; i++) {
        h = 31 * h + key[i];
      }
      return new Prefix(key, length, h);
    }

    /** The parent of a non-root path: up to its last slash, or "/" for a top-level node. */
    static Prefix parentOf(byte[] key) {
      return of(key, Math.max(1, PathKey.lastSlash(key)));
    }

    String path() {
      return PathKey.path(Arrays.copyOf(key, length));
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Prefix p && p.hash == hash
          && Arrays.equals(key, 0, length, p.key, 0, p.length);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  /** A node's path as read: present, absolute, and spelled as the tree keys it. */
  private static byte[] pathKey(byte[] bytes, int record) throws IOException {
    if (bytes == null || bytes.length == 0 || bytes[0] != '/') {
      throw new IOException("corrupt node record " + record + ": no absolute path");
    }
    try {
      return PathKey.canonical(bytes);
    } catch (IllegalArgumentException e) {
      throw new IOException("corrupt node record " + record + ": " + e.getMessage());
    }
  }
}
