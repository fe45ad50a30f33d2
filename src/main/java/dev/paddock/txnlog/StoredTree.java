package dev.paddock.txnlog;

import dev.paddock.storage.StreamableSnapshot;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The state of the {@link TreeSnapshotter}: the newest durable tree (null before the first) and
 * the zxids of the snapshots kept on disk, oldest first. Streamed to the snapshot file.
 */
public record StoredTree(TreeSnapshot tree, List<Long> keptZxids) implements StreamableSnapshot {
  public static final String TYPE_KEY = "paddock.tree.v1";

  public StoredTree {
    keptZxids = List.copyOf(keptZxids);
  }

  static StoredTree empty() {
    return new StoredTree(null, List.of());
  }

  @Override
  public String snapshotTypeKey() {
    return TYPE_KEY;
  }

  @Override
  public void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(keptZxids.size());
    for (long z : keptZxids) {
      out.writeLong(z);
    }
    out.writeBoolean(tree != null);
    if (tree != null) {
      TreeSnapshotCodec.write(tree, out);
    }
  }

  static StoredTree readFrom(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > 100_000) {
      throw new IOException("corrupt snapshot list length " + n);
    }
    List<Long> kept = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      kept.add(in.readLong());
    }
    TreeSnapshot tree = in.readBoolean() ? TreeSnapshotCodec.read(in) : null;
    return new StoredTree(tree, kept);
  }

  public static void registerReader() {
    StreamableSnapshot.register(TYPE_KEY, StoredTree::readFrom);
  }
}
