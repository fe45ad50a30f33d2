package dev.paddock.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.node.TestNodes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * node.jar as operators run it: a part of the server that stops takes the process down with a
 * non-zero status within seconds, as does a failing guardian; a server on damaged storage exits
 * non-zero with one line naming the file.
 */
class FailFastIT {
  private static final Map<String, String> HOOKS = Map.of("PADDOCK_TEST_HOOKS", "stdin");

  @TempDir Path dir;

  private NodeProcess node() throws IOException {
    int[] ports = TestNodes.freePorts(3);
    int peerPort = ports[0];
    int clientPort = ports[1];
    Path conf = dir.resolve("node.conf");
    Files.writeString(conf, "paddock {\n  data-dir = \"data\"\n  peer-port = " + peerPort
        + "\n  client-port = " + clientPort + "\n  typed-client-port = " + ports[2] + "\n}\n");
    return new NodeProcess(conf, dir.resolve("node.log"), clientPort);
  }

  /**
   * The typed-client endpoint stops within the node's own shutdown: a SIGTERM ends the process
   * as the signal does (the JVM's 143), never as a failed part (1).
   */
  @Test
  void aRequestedStopIsNotAFailure() throws Exception {
    try (NodeProcess node = node()) {
      node.start(HOOKS);
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      node.sigterm();
      assertEquals(143, node.awaitExit(Duration.ofSeconds(30)), node.log());
      assertTrue(!node.log().contains("stopped unexpectedly"), node.log());
    }
  }

  @Test
  void aStoppedTreeTakesTheProcessDown() throws Exception {
    try (NodeProcess node = node()) {
      node.start(HOOKS);
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      node.send("stop tree");
      int status = node.awaitExit(Duration.ofSeconds(20));
      assertNotEquals(0, status, node.log());
      assertTrue(node.log().contains("the tree stopped unexpectedly; shutting the node down"),
          node.log());
    }
  }

  @Test
  void aFailingGuardianNeverExitsZero() throws Exception {
    try (NodeProcess node = node()) {
      node.start(HOOKS);
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      node.send("stop guardian");
      assertNotEquals(0, node.awaitExit(Duration.ofSeconds(20)), node.log());
    }
  }

  @Test
  void damagedStorageExitsNonZeroNamingTheFile() throws Exception {
    try (NodeProcess node = node()) {
      node.start();
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      CountDownLatch connected = new CountDownLatch(1);
      ZooKeeper zk = new ZooKeeper("127.0.0.1:" + node.clientPort(), 30_000, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        }
      });
      try {
        assertTrue(connected.await(30, TimeUnit.SECONDS), "client did not connect");
        for (int i = 0; i < 10; i++) {
          zk.create("/n" + i, new byte[100], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
        }
      } finally {
        zk.close();
      }
      node.close();
      Path segment = dir.resolve("data/log/segment-00000000000000000001.log");
      ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
      int first = 16;
      int second = first + 8 + b.getInt(first);
      assertTrue(b.getInt(second + 8 + b.getInt(second)) > 0, "a third frame follows");
      try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
        f.seek(second + 10);
        int v = f.read();
        f.seek(second + 10);
        f.write(v ^ 0x5A);
      }
      Files.delete(dir.resolve("node.log"));

      node.start();
      assertEquals(1, node.awaitExit(Duration.ofSeconds(60)), node.log());
      assertEquals(1, node.log().lines().filter(l -> l.contains("refusing to start")).count(),
          node.log());
      assertTrue(node.log().contains("refusing to start: Journal segment " + segment
          .toAbsolutePath() + " is corrupt at offset " + second), node.log());
    }
  }
}
