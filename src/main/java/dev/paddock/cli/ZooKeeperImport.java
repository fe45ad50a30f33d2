package dev.paddock.cli;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.tree.Acls;
import dev.paddock.tree.ChildSet;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.NodeMap;
import dev.paddock.tree.Paths;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.Adler32;
import java.util.zip.CheckedInputStream;
import org.apache.jute.BinaryInputArchive;
import org.apache.jute.Record;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.StatPersisted;
import org.apache.zookeeper.server.persistence.FileHeader;
import org.apache.zookeeper.txn.CheckVersionTxn;
import org.apache.zookeeper.txn.CreateContainerTxn;
import org.apache.zookeeper.txn.CreateSessionTxn;
import org.apache.zookeeper.txn.CreateTTLTxn;
import org.apache.zookeeper.txn.CreateTxn;
import org.apache.zookeeper.txn.DeleteTxn;
import org.apache.zookeeper.txn.ErrorTxn;
import org.apache.zookeeper.txn.MultiTxn;
import org.apache.zookeeper.txn.SetACLTxn;
import org.apache.zookeeper.txn.SetDataTxn;
import org.apache.zookeeper.txn.TxnHeader;

/**
 * Reads a ZooKeeper data set (3.5 to 3.9 file formats): the newest readable {@code snapshot.*}
 * and the {@code log.*} files after it, as ZooKeeper's own FileTxnSnapLog restores them. Every
 * node keeps its data, ACL and Stat, zxids included, so clients that knew the old ensemble are
 * not refused as stale. ZooKeeper's stored cversion is a count of creates, which is exactly
 * Paddock's create count, so Stats carry over unchanged. Log txns are applied with Paddock's own
 * tree code, which tolerates the replays of a fuzzy snapshot as ZooKeeper's does. Sessions and
 * ephemeral nodes are left out at the end, as the new ensemble would expire them.
 */
final class ZooKeeperImport {
  static final int SNAP_MAGIC = 0x5a4b534e; // "ZKSN"
  static final int LOG_MAGIC = 0x5a4b4c47; // "ZKLG"

  record Result(TreeSnapshot tree, Path snapshot, long snapshotZxid, int logFiles,
      long txnsApplied, int sessionsDropped, int ephemeralsDropped) {}

  private ZooKeeperImport() {}

  /** ZooKeeper keeps its files in a version-2 directory below the configured one. */
  static Path versionDir(Path dir) {
    Path v2 = dir.resolve("version-2");
    return Files.isDirectory(v2) ? v2 : dir;
  }

  static Result read(Path snapDir, Path logDir, Progress progress) throws IOException {
    Path snaps = versionDir(snapDir);
    Path logs = versionDir(logDir);
    TreeMap<Long, Path> snapshots = byZxid(snaps, "snapshot.");
    if (snapshots.isEmpty()) {
      throw new IOException("no snapshot.* file in " + snaps);
    }
    IOException newestFailure = null;
    for (Map.Entry<Long, Path> s : snapshots.descendingMap().entrySet()) {
      DataTree tree;
      try {
        tree = readSnapshot(s.getValue(), s.getKey(), progress);
      } catch (IOException e) {
        // Like ZooKeeper, fall back to an older snapshot (the log must then cover more).
        newestFailure = newestFailure == null ? e : newestFailure;
        continue;
      }
      return replay(tree, s.getValue(), s.getKey(), logs, progress);
    }
    throw new IOException("no readable snapshot in " + snaps + ": " + newestFailure.getMessage(),
        newestFailure);
  }

  private static TreeMap<Long, Path> byZxid(Path dir, String prefix) throws IOException {
    TreeMap<Long, Path> out = new TreeMap<>();
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not a directory");
    }
    try (var files = Files.newDirectoryStream(dir, prefix + "*")) {
      for (Path p : files) {
        String suffix = p.getFileName().toString().substring(prefix.length());
        if (suffix.contains(".")) {
          throw new IOException(p + ": compressed ZooKeeper files are not supported; "
              + "decompress them first");
        }
        try {
          out.put(Long.parseUnsignedLong(suffix, 16), p);
        } catch (NumberFormatException e) {
          // Not one of ZooKeeper's files.
        }
      }
    }
    return out;
  }

  private static DataTree readSnapshot(Path file, long zxid, Progress progress)
      throws IOException {
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      CheckedInputStream in = new CheckedInputStream(raw, new Adler32());
      BinaryInputArchive ia = BinaryInputArchive.getArchive(in);
      FileHeader header = new FileHeader();
      header.deserialize(ia, "fileheader");
      if (header.getMagic() != SNAP_MAGIC) {
        throw new IOException(file + " is not a ZooKeeper snapshot (bad magic)");
      }
      int sessions = ia.readInt("count");
      for (int i = 0; i < sessions; i++) {
        ia.readLong("id");
        ia.readInt("timeout");
      }
      Map<Long, List<Acl>> acls = new HashMap<>();
      acls.put(-1L, Acl.OPEN_ACL_UNSAFE);
      int aclCount = ia.readInt("map");
      for (int i = 0; i < aclCount; i++) {
        long key = ia.readLong("long");
        acls.put(key, acls(ia));
      }
      Map<String, DataNode> nodes = new HashMap<>();
      String path = ia.readString("path");
      while (!"/".equals(path)) {
        byte[] data = ia.readBuffer("data");
        long aclKey = ia.readLong("acl");
        StatPersisted stat = new StatPersisted();
        stat.deserialize(ia, "statpersisted");
        List<Acl> acl = acls.get(aclKey);
        if (acl == null) {
          throw new IOException(file + ": node " + path + " refers to unknown ACL " + aclKey);
        }
        nodes.put(path.isEmpty() ? "/" : path, DataNode.of(data, Acls.intern(acl),
            stat.getCzxid(), stat.getMzxid(), stat.getCtime(), stat.getMtime(),
            stat.getVersion(), stat.getCversion(), stat.getAversion(), stat.getEphemeralOwner(),
            stat.getPzxid(), ChildSet.empty()));
        progress.add(1);
        path = ia.readString("path");
      }
      checkSeal(in, ia, file);
      return DataTree.indexing(withChildren(nodes, file), PersistentColls.emptyMap(), zxid);
    } catch (EOFException e) {
      throw new IOException(file + " ends early", e);
    }
  }

  private static List<Acl> acls(BinaryInputArchive ia) throws IOException {
    int n = ia.readInt("acls");
    List<Acl> out = new ArrayList<>(Math.max(0, n));
    for (int j = 0; j < n; j++) {
      ACL a = new ACL();
      a.deserialize(ia, "acl");
      out.add(new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
    }
    return out;
  }

  /** SnapStream's seal: the Adler32 of everything before, then the path "/". */
  private static void checkSeal(CheckedInputStream in, BinaryInputArchive ia, Path file)
      throws IOException {
    long expected = in.getChecksum().getValue();
    long stored = ia.readLong("val");
    ia.readString("path");
    if (stored != expected) {
      throw new IOException(file + ": checksum mismatch (stored " + stored + ", computed "
          + expected + ")");
    }
  }

  private static NodeMap withChildren(
      Map<String, DataNode> nodes, Path file) throws IOException {
    Map<String, List<String>> children = new HashMap<>();
    for (String p : nodes.keySet()) {
      if (!p.equals("/")) {
        String parent = Paths.parent(p);
        if (!nodes.containsKey(parent)) {
          throw new IOException(file + ": node " + p + " has no parent");
        }
        children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p);
      }
    }
    NodeMap.Builder out = NodeMap.builder();
    for (Map.Entry<String, DataNode> e : nodes.entrySet()) {
      List<String> c = children.get(e.getKey());
      out.put(e.getKey(),
          c == null ? e.getValue() : e.getValue().withChildren(ChildSet.ofPaths(c)));
    }
    return out.result();
  }

  private static Result replay(DataTree tree, Path snapshot, long snapZxid, Path logs,
      Progress progress) throws IOException {
    TreeMap<Long, Path> logFiles = byZxid(logs, "log.");
    // The newest log starting at or before the snapshot may hold txns after it.
    Long from = logFiles.floorKey(snapZxid);
    Map<Long, Path> needed = from == null ? logFiles : logFiles.tailMap(from, true);
    long applied = 0;
    long last = snapZxid;
    for (Path f : needed.values()) {
      applied += readLog(f, tree, last, progress);
      last = Math.max(last, tree.lastZxid());
    }
    // Sessions end with the old ensemble: their ephemerals go, parents keep their Stats.
    int sessions = tree.sessions().size();
    TreeSnapshot t = tree.snapshot();
    int ephemerals = 0;
    NodeMap nodes = t.nodes();
    List<String> drop = new ArrayList<>();
    nodes.forEachNode((path, n) -> {
      if (NodeKind.of(n.ephemeralOwner()) == NodeKind.EPHEMERAL) {
        drop.add(path);
      }
    });
    for (String p : drop) {
      String parent = Paths.parent(p);
      DataNode pn = nodes.get(parent);
      nodes = nodes.removed(p).updated(parent, pn.withChildren(pn.childPaths().excl(p)));
      ephemerals++;
    }
    DataNode config = nodes.get(DataTree.CONFIG);
    if (config != null && config.dataLength() > 0) {
      // Paddock keeps /zookeeper/config empty: membership comes from paddock.servers.
      nodes = nodes.updated(DataTree.CONFIG, config.withData(new byte[0], config.version(),
          config.mzxid(), config.mtime()));
    }
    TreeSnapshot result = DataTree.indexing(nodes, PersistentColls.emptyMap(), tree.lastZxid())
        .snapshot();
    return new Result(result, snapshot, snapZxid, needed.size(), applied, sessions, ephemerals);
  }

  /** Applies the txns of one log file above {@code after}; returns how many. */
  private static long readLog(Path file, DataTree tree, long after, Progress progress)
      throws IOException {
    long applied = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      BinaryInputArchive ia = BinaryInputArchive.getArchive(in);
      FileHeader header = new FileHeader();
      header.deserialize(ia, "fileheader");
      if (header.getMagic() != LOG_MAGIC) {
        throw new IOException(file + " is not a ZooKeeper transaction log (bad magic)");
      }
      while (true) {
        long crc;
        byte[] bytes;
        try {
          crc = ia.readLong("crcvalue");
          bytes = ia.readBuffer("txnEntry");
        } catch (EOFException e) {
          break;
        }
        if (bytes == null || bytes.length == 0) {
          break; // the zero-filled, preallocated end of the file
        }
        Adler32 sum = new Adler32();
        sum.update(bytes);
        if (sum.getValue() != crc) {
          throw new IOException(file + ": checksum mismatch in the txn after zxid 0x"
              + Long.toHexString(tree.lastZxid()));
        }
        if (ia.readByte("EOR") != 'B') {
          throw new IOException(file + ": missing end-of-record marker after zxid 0x"
              + Long.toHexString(tree.lastZxid()));
        }
        BinaryInputArchive txnIn = BinaryInputArchive.getArchive(new ByteArrayInputStream(bytes));
        TxnHeader hdr = new TxnHeader();
        hdr.deserialize(txnIn, "hdr");
        if (hdr.getZxid() <= after) {
          continue;
        }
        Txn txn = txn(hdr.getType(), hdr.getClientId(), txnIn, bytes.length);
        if (txn != null) {
          tree.apply(new TxnEntry(hdr.getZxid(), hdr.getClientId(), hdr.getCxid(),
              hdr.getTime(), txn));
          applied++;
          progress.add(1);
        }
      }
    }
    return applied;
  }

  /** ZooKeeper's txn record for an opcode, as Paddock's txn; null for ones without effect. */
  private static Txn txn(int type, long session, BinaryInputArchive in, int size)
      throws IOException {
    return switch (type) {
      case -10 -> new Txn.CreateSession(read(new CreateSessionTxn(), in).getTimeOut());
      case -11 -> new Txn.CloseSession();
      case 1, 15 -> {
        CreateTxn t = read(new CreateTxn(), in);
        yield new Txn.Create(t.getPath(), t.getData(), acls(t.getAcl()),
            t.getEphemeral() ? session : 0, t.getParentCVersion());
      }
      case 19 -> {
        CreateContainerTxn t = read(new CreateContainerTxn(), in);
        yield new Txn.Create(t.getPath(), t.getData(), acls(t.getAcl()),
            NodeKind.CONTAINER_OWNER, t.getParentCVersion());
      }
      case 21 -> {
        CreateTTLTxn t = read(new CreateTTLTxn(), in);
        yield new Txn.Create(t.getPath(), t.getData(), acls(t.getAcl()),
            NodeKind.ttlOwner(t.getTtl()), t.getParentCVersion());
      }
      case 2, 20 -> new Txn.Delete(read(new DeleteTxn(), in).getPath());
      case 5 -> {
        SetDataTxn t = read(new SetDataTxn(), in);
        yield new Txn.SetData(t.getPath(), t.getData(), t.getVersion());
      }
      case 7 -> {
        SetACLTxn t = read(new SetACLTxn(), in);
        yield new Txn.SetAcl(t.getPath(), acls(t.getAcl()), t.getVersion());
      }
      case 13 -> {
        CheckVersionTxn t = read(new CheckVersionTxn(), in);
        yield new Txn.Check(t.getPath(), t.getVersion());
      }
      case -1 -> new Txn.Error(Code.of(read(new ErrorTxn(), in).getErr()));
      case 14 -> {
        MultiTxn m = read(new MultiTxn(), in);
        List<Txn> ops = new ArrayList<>();
        for (org.apache.zookeeper.txn.Txn op : m.getTxns()) {
          Txn t = txn(op.getType(), session,
              BinaryInputArchive.getArchive(new ByteArrayInputStream(op.getData())),
              op.getData().length);
          if (t != null) {
            ops.add(t);
          }
        }
        yield new Txn.Multi(ops);
      }
      // reconfig changes /zookeeper/config only, which Paddock keeps empty.
      case 16 -> null;
      default -> throw new IOException("unsupported ZooKeeper txn type " + type);
    };
  }

  private static <T extends Record> T read(T record, BinaryInputArchive in) throws IOException {
    record.deserialize(in, "txn");
    return record;
  }

  private static List<Acl> acls(List<ACL> acl) {
    List<Acl> out = new ArrayList<>(acl.size());
    for (ACL a : acl) {
      out.add(new Acl(a.getPerms(), new Id(a.getId().getScheme(), a.getId().getId())));
    }
    return Acls.intern(out);
  }
}
