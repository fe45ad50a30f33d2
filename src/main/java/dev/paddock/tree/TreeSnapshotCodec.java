package dev.paddock.tree;

import dev.paddock.api.Acl;
import dev.paddock.txn.TxnCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
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
    List<String> paths = new ArrayList<>(Math.min(nodeCount, 1 << 16));
    List<DataNode> read = new ArrayList<>(Math.min(nodeCount, 1 << 16));
    Map<String, List<String>> children = new HashMap<>();
    List<String> owned = new ArrayList<>();
    long dataSize = 0;
    for (int i = 0; i < nodeCount; i++) {
      String path = TxnCodec.readString(in);
      byte[] data = TxnCodec.readBytes(in);
      int aclIdx = in.readInt();
      if (path == null || aclIdx < 0 || aclIdx >= acls.size()) {
        throw new IOException("corrupt node record " + i);
      }
      DataNode n = DataNode.of(data, acls.get(aclIdx), in.readLong(), in.readLong(),
          in.readLong(), in.readLong(), in.readInt(), in.readInt(), in.readInt(), in.readLong(),
          in.readLong(), ChildSet.empty());
      paths.add(path);
      read.add(n);
      dataSize += path.length() + n.dataLength();
      if (n.ephemeralOwner() != 0) {
        owned.add(path);
      }
      if (!path.equals("/")) {
        children.computeIfAbsent(Paths.parent(path), k -> new ArrayList<>()).add(path);
      }
    }
    // Parents get their child sets once every node is read: a parent may come after its
    // children in the file.
    NodeMap.Builder builder = NodeMap.builder();
    for (int i = 0; i < paths.size(); i++) {
      List<String> kids = children.remove(paths.get(i));
      builder.put(paths.get(i), kids == null ? read.get(i) : read.get(i).withChildren(
          ChildSet.of(kids)));
    }
    if (!children.isEmpty()) {
      throw new IOException(
          "snapshot has children of missing node " + children.keySet().iterator().next());
    }
    NodeMap nodes = builder.result();
    if (nodes.size() != nodeCount) {
      throw new IOException("snapshot lists a node twice");
    }
    return DataTree.indexing(nodes, sessions, zxid, owned, dataSize).snapshot();
  }
}
