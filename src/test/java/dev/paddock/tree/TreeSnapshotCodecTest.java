package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnCodec;
import dev.paddock.txn.TxnEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A snapshot file's tree read back: the nodes, the child sets rebuilt from the paths, and the
 * indexes a restarted server continues with ({@link DataTree#fromSnapshot} trusts them instead
 * of walking the nodes again), and damaged files refused.
 */
class TreeSnapshotCodecTest {
  private static final long SESSION = 0x0100_0000_0000_0007L;

  private final DataTree tree = new DataTree();
  private long zxid;

  private void create(String path, long owner) {
    zxid++;
    int next = tree.get(Paths.parent(path)).createCount() + 1;
    tree.apply(new TxnEntry(zxid, owner > 0 ? owner : SESSION, (int) zxid, 1000 + zxid,
        new Txn.Create(path, path.getBytes(StandardCharsets.UTF_8), Acl.OPEN_ACL_UNSAFE, owner,
            next)));
  }

  private TreeSnapshot sample() {
    zxid++;
    tree.apply(new TxnEntry(zxid, SESSION, 1, 1000, new Txn.CreateSession(30_000)));
    create("/app", 0);
    for (int i = 0; i < 50; i++) {
      create("/app/n" + i, 0);
    }
    create("/app/n3/deep", 0);
    create("/app/eph", SESSION);
    create("/box", NodeKind.CONTAINER_OWNER);
    create("/ttl", NodeKind.ttlOwner(60_000));
    return tree.snapshot();
  }

  private static byte[] encode(TreeSnapshot t) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      TreeSnapshotCodec.write(t, out);
    }
    return bytes.toByteArray();
  }

  private static TreeSnapshot decode(byte[] bytes) throws IOException {
    return TreeSnapshotCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
  }

  @Test
  void aTreeReadBackHasTheSameNodesChildrenIndexesAndDigest() throws IOException {
    TreeSnapshot original = sample();
    TreeSnapshot read = decode(encode(original));

    assertEquals(original.zxid(), read.zxid());
    assertEquals(original.nodeCount(), read.nodeCount());
    assertEquals(original.digest(), read.digest());
    assertEquals(original.sessions(), read.sessions());
    assertEquals(original.ephemerals(), read.ephemerals());
    assertEquals(original.containers(), read.containers());
    assertEquals(original.ttls(), read.ttls());
    assertEquals(original.approximateDataSize(), read.approximateDataSize());
    assertEquals(51, read.node("/app").numChildren());
    assertTrue(read.node("/app/n3").childNames().contains("deep"));
    assertEquals(original.node("/app/n3/deep").stat(), read.node("/app/n3/deep").stat());
    assertArrayEquals(original.node("/app/n7").data(), read.node("/app/n7").data());
  }

  @Test
  void aTreeContinuedFromASnapshotMatchesOneRebuiltFromItsNodes() throws IOException {
    TreeSnapshot read = decode(encode(sample()));
    DataTree trusted = DataTree.fromSnapshot(read);
    DataTree rebuilt = DataTree.indexing(read.nodes(), read.sessions(), read.zxid());

    TreeSnapshot a = trusted.snapshot();
    TreeSnapshot b = rebuilt.snapshot();
    assertEquals(b.ephemerals(), a.ephemerals());
    assertEquals(b.containers(), a.containers());
    assertEquals(b.ttls(), a.ttls());
    assertEquals(b.approximateDataSize(), a.approximateDataSize());

    // The continued tree keeps its indexes up to date as it applies more txns.
    trusted.apply(new TxnEntry(read.zxid() + 1, SESSION, 99, 5000, new Txn.CloseSession()));
    assertTrue(trusted.snapshot().ephemerals().isEmpty());
    assertEquals(null, trusted.get("/app/eph"));
  }

  @Test
  void aFileCutShortIsRefused() throws IOException {
    byte[] whole = encode(sample());
    byte[] cut = Arrays.copyOf(whole, whole.length - 9);
    assertThrows(EOFException.class, () -> decode(cut));
  }

  @Test
  void aNodeListedTwiceIsRefused() throws IOException {
    IOException e = assertThrows(IOException.class,
        () -> decode(handWritten(List.of("/", "/a", "/a"))));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void childrenOfAMissingNodeAreRefused() throws IOException {
    IOException e = assertThrows(IOException.class,
        () -> decode(handWritten(List.of("/", "/gone/child"))));
    assertTrue(e.getMessage().contains("missing node /gone"), e.getMessage());
  }

  @Test
  void aChildBeforeItsParentIsFine() throws IOException {
    TreeSnapshot t = decode(handWritten(List.of("/a/b", "/", "/a")));
    assertTrue(t.node("/a").childPaths().contains("/a/b"));
    assertTrue(t.node("/").childPaths().contains("/a"));
  }

  /** The file format written by hand, so it can say what a correct writer never would. */
  private static byte[] handWritten(List<String> paths) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(TreeSnapshotEncoder.MAGIC);
      out.writeInt(TreeSnapshotEncoder.VERSION);
      out.writeLong(5);
      out.writeInt(0);
      out.writeInt(1);
      TxnCodec.writeAcl(out, Acl.OPEN_ACL_UNSAFE);
      out.writeInt(paths.size());
      for (String p : paths) {
        TxnCodec.writeString(out, p);
        TxnCodec.writeBytes(out, new byte[0]);
        out.writeInt(0);
        for (int i = 0; i < 4; i++) {
          out.writeLong(1);
        }
        for (int i = 0; i < 3; i++) {
          out.writeInt(0);
        }
        out.writeLong(0);
        out.writeLong(1);
      }
    }
    return bytes.toByteArray();
  }
}
