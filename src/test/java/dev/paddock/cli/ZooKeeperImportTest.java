package dev.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.admin.AdminNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real ZooKeeper 3.9.5 is filled with varied nodes and ACLs (snapshots every few txns, so
 * both its snapshot and its logs matter), stopped and imported; a Paddock server started on
 * the result shows every node with the same data, ACL and Stat through the official client.
 */
class ZooKeeperImportTest {
  @TempDir Path zkDir;
  @TempDir Path paddockRoot;

  record Node(byte[] data, List<ACL> acl, Stat stat) {}

  @Test
  void importedTreeMatchesZooKeeperNodeForNode() throws Exception {
    Properties p = new Properties();
    p.setProperty("clientPort", Integer.toString(freePort()));
    p.setProperty("clientPortAddress", "127.0.0.1");
    p.setProperty("tickTime", "200");
    p.setProperty("snapCount", "20");
    p.setProperty("extendedTypesEnabled", "true");
    // Its admin server would bind 8080 on every address, and ZooKeeper ends the whole JVM when
    // it cannot.
    p.setProperty("admin.enableServer", "false");
    Map<String, Node> expected;
    long zkLastZxid;
    ZooKeeper b;
    try (ZooKeeperServerEmbedded zk = ZooKeeperServerEmbedded.builder().baseDir(zkDir)
        .configuration(p).build()) {
      zk.start(30_000);
      int port = Integer.parseInt(p.getProperty("clientPort"));
      ZooKeeper a = ToolsTest.connect(port);
      b = ToolsTest.connect(port);
      fill(a, b);
      expected = read(a, "/", new LinkedHashMap<>());
      zkLastZxid = a.exists("/imp/last", false).getMzxid();
      a.close(1000);
    } finally {
      System.clearProperty("zookeeper.snapCount");
      System.clearProperty("zookeeper.extendedTypesEnabled");
      System.clearProperty("zookeeper.admin.enableServer");
    }
    // b's session was still open when ZooKeeper stopped: the import leaves out its ephemeral.
    b.close(100);
    expected.remove("/imp/e/eph");
    Path data = paddockRoot.resolve("data");
    Tool t = Tool.run("import-zookeeper", "--snap-dir", zkDir.resolve("data").toString(),
        "--log-dir", zkDir.resolve("data").toString(), "--data", data.toString());
    assertEquals(0, t.status(), t.toString());
    assertTrue(t.out().contains("nodes at zxid 0x"), t.toString());

    try (AdminNode node = AdminNode.start(data, Map.of("paddock.journal.segment-size",
        "4 MiB"))) {
      ZooKeeper c = ToolsTest.connect(node.clientPort);
      // As on ZooKeeper, digest ids show their hash only to a session that may administer.
      c.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
      Map<String, Node> actual = read(c, "/", new LinkedHashMap<>());
      assertEquals(expected.keySet(), actual.keySet());
      for (Map.Entry<String, Node> e : expected.entrySet()) {
        Node want = e.getValue();
        Node got = actual.get(e.getKey());
        assertArrayEquals(want.data(), got.data(), e.getKey());
        assertEquals(want.acl(), got.acl(), e.getKey());
        if (e.getKey().equals("/imp/e")) {
          // Its ephemeral child went with its session: one child fewer, one change more.
          assertEquals(0, got.stat().getNumChildren());
          assertEquals(want.stat().getCversion() + 1, got.stat().getCversion());
          assertEquals(want.stat().getPzxid(), got.stat().getPzxid());
        } else {
          assertEquals(want.stat(), got.stat(), e.getKey());
        }
      }
      // Clients that saw the old ensemble's zxids are not stale here: history went on.
      Stat s = c.exists("/imp", false);
      c.create("/imp/after", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      assertTrue(c.exists("/imp/after", false).getCzxid() > zkLastZxid);
      String seq = c.create("/imp/seq-", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT_SEQUENTIAL);
      // ZooKeeper names by its create count: (cversion + children) / 2, here after /imp/after.
      int creates = (s.getCversion() + 1 + s.getNumChildren() + 1) / 2 + 0;
      assertEquals(String.format("/imp/seq-%010d", creates), seq);
      c.close();
    }
  }

  private static void fill(ZooKeeper a, ZooKeeper b) throws Exception {
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }
    List<ACL> open = ZooDefs.Ids.OPEN_ACL_UNSAFE;
    a.create("/imp", "root".getBytes(StandardCharsets.UTF_8), open, CreateMode.PERSISTENT);
    for (int i = 0; i < 3; i++) {
      a.create("/imp/seq-", new byte[0], open, CreateMode.PERSISTENT_SEQUENTIAL);
    }
    a.delete("/imp/seq-0000000001", 0);
    a.addAuthInfo("digest", "alice:secret".getBytes(StandardCharsets.UTF_8));
    List<ACL> mixed = new ArrayList<>(ZooDefs.Ids.CREATOR_ALL_ACL);
    mixed.add(new ACL(ZooDefs.Perms.READ, new Id("world", "anyone")));
    a.create("/imp/acl", "secret".getBytes(StandardCharsets.UTF_8), mixed,
        CreateMode.PERSISTENT);
    a.create("/imp/ip", new byte[0], java.util.Collections.singletonList(new ACL(ZooDefs.Perms.ALL,
        new Id("ip", "127.0.0.1"))), CreateMode.PERSISTENT);
    a.create("/imp/bin", bytes, open, CreateMode.PERSISTENT);
    a.create("/imp/container", new byte[0], open, CreateMode.CONTAINER);
    a.create("/imp/container/child", new byte[0], open, CreateMode.PERSISTENT);
    a.create("/imp/ttl", new byte[0], open, CreateMode.PERSISTENT_WITH_TTL, null, 3_600_000);
    a.create("/imp/e", new byte[0], open, CreateMode.PERSISTENT);
    b.create("/imp/e/eph", new byte[0], open, CreateMode.EPHEMERAL);
    for (int i = 0; i < 40; i++) {
      a.create("/imp/many" + i, ("value " + i).getBytes(StandardCharsets.UTF_8), open,
          CreateMode.PERSISTENT);
      if (i % 3 == 0) {
        a.setData("/imp/many" + i, ("changed " + i).getBytes(StandardCharsets.UTF_8), 0);
      }
    }
    a.setACL("/imp/bin", ZooDefs.Ids.READ_ACL_UNSAFE, 0);
    a.multi(List.of(Op.create("/imp/multi", new byte[] {1}, open, CreateMode.PERSISTENT),
        Op.setData("/imp", "root2".getBytes(StandardCharsets.UTF_8), 0)));
    a.delete("/imp/many5", 0);
    a.create("/imp/last", new byte[0], open, CreateMode.PERSISTENT);
  }

  private static Map<String, Node> read(ZooKeeper zk, String path, Map<String, Node> out)
      throws Exception {
    Stat stat = new Stat();
    byte[] data = zk.getData(path, false, stat);
    List<ACL> acl = zk.getACL(path, new Stat());
    out.put(path, new Node(data, acl, stat));
    for (String child : new java.util.TreeSet<>(zk.getChildren(path, false))) {
      read(zk, path.equals("/") ? "/" + child : path + "/" + child, out);
    }
    return out;
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
