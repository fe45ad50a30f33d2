package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.paddock.api.Acl;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A parent lists each child by the very key (the path's UTF-8 bytes) the tree is keyed by, so a
 * znode's path is held once. Paths arrive as new strings with every txn, so each way a node can
 * come about is checked: created, changed by a txn that names it with another string, deleted
 * and created again, and read back from a snapshot file.
 */
class ChildPathSharingTest {
  private final DataTree tree = new DataTree();
  private long zxid;

  private void apply(Txn txn) {
    zxid++;
    tree.apply(new TxnEntry(zxid, 0x0100_0000_0000_0001L, (int) zxid, 1000 + zxid, txn));
  }

  private void create(String path) {
    int next = tree.get(Paths.parent(path)).createCount() + 1;
    apply(new Txn.Create(new String(path), new byte[] {1}, Acl.OPEN_ACL_UNSAFE, 0, next));
  }

  private static void assertChildrenShareTheKeys(TreeSnapshot t) {
    Map<String, byte[]> keys = new HashMap<>();
    t.nodes().forEachKey((key, node) -> keys.put(PathKey.path(key), key));
    int listed = 0;
    for (String path : keys.keySet()) {
      for (Iterator<byte[]> i = t.node(path).childPaths().keys(); i.hasNext(); ) {
        byte[] child = i.next();
        String name = PathKey.path(child);
        assertNotNull(keys.get(name), () -> name + " listed by " + path + " is no node");
        assertSame(keys.get(name), child, () -> name + " is held twice");
        listed++;
      }
    }
    assertEquals(keys.size() - 1, listed);
  }

  @Test
  void createdChangedAndRecreatedNodesKeepOnePathKey() {
    create("/app");
    for (int i = 0; i < 20; i++) {
      create("/app/n" + i);
    }
    apply(new Txn.SetData(new String("/app/n3"), new byte[] {2}, 1));
    apply(new Txn.SetAcl(new String("/app/n4"), Acl.READ_ACL_UNSAFE, 1));
    apply(new Txn.Delete(new String("/app/n5")));
    create("/app/n5");
    create("/app/n5/deep");
    assertChildrenShareTheKeys(tree.snapshot());
  }

  /** A create kept in the recent history holds no copy of the path the tree already has. */
  @Test
  void theTreeKeysACreatedNodeByTheArrayItsCreateTxnCarries() {
    create("/app");
    Txn.Create c = new Txn.Create("/app/x", new byte[] {1}, Acl.OPEN_ACL_UNSAFE, 0, 2);
    apply(c);
    byte[][] found = new byte[1][];
    tree.snapshot().nodes().forEachKey((key, node) -> {
      if (PathKey.path(key).equals("/app/x")) {
        found[0] = key;
      }
    });
    assertSame(c.key(), found[0]);
  }

  @Test
  void aTreeReadFromASnapshotKeepsOnePathString() throws IOException {
    create("/app");
    for (int i = 0; i < 20; i++) {
      create("/app/n" + i);
    }
    create("/app/n7/deep");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      TreeSnapshotCodec.write(tree.snapshot(), out);
    }
    TreeSnapshot read = TreeSnapshotCodec.read(
        new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertEquals(tree.snapshot().digest(), read.digest());
    assertChildrenShareTheKeys(read);
  }
}
