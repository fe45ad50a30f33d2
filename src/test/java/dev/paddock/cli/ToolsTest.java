package dev.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paddock.admin.AdminHttp;
import dev.paddock.admin.AdminNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tool on a real server's data: a node writes enough to snapshot, a backup is taken while
 * it runs, then it stops and its directory is inspected, verified, damaged and restored.
 */
class ToolsTest {
  static final Map<String, Object> NODE = Map.of("paddock.snap-count", 20,
      "paddock.journal.segment-size", "4 MiB");

  @TempDir static Path root;
  static Path data;
  static Path backup;
  static long digest;
  static String zxid;

  @BeforeAll
  static void writeStopAndBackUp() throws Exception {
    data = root.resolve("node");
    backup = root.resolve("tree.backup");
    try (AdminNode node = AdminNode.start(data, NODE)) {
      ZooKeeper zk = connect(node.clientPort);
      zk.create("/app", "config".getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT);
      for (int i = 0; i < 60; i++) {
        zk.create("/app/n" + i, ("v" + i).getBytes(StandardCharsets.UTF_8),
            ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      }
      zk.setData("/app", "changed".getBytes(StandardCharsets.UTF_8), 0);
      zk.close();
      Tool b = Tool.run("backup", "--server", node.base.substring("http://".length()), "--to",
          backup.toString());
      assertEquals(0, b.status(), b.toString());
      assertTrue(b.out().contains("65 nodes"), b.toString());
      JsonNode hash = AdminHttp.get(node.base, "/commands/hash").json().get("digests").get(0);
      digest = hash.get("digest").asLong();
      zxid = Long.toHexString(hash.get("zxid").asLong());
    }
  }

  static ZooKeeper connect(int port) throws Exception {
    CountDownLatch up = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 30_000, e -> {
      if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
        up.countDown();
      }
    });
    assertTrue(up.await(20, TimeUnit.SECONDS));
    return zk;
  }

  @Test
  void verifyPassesAndTellsWhatTheServerRecovers() {
    Tool v = Tool.run("verify", data.toString());
    assertEquals(0, v.status(), v.toString());
    assertTrue(v.out().contains("recovers to zxid 0x" + zxid + ", 65 nodes, digest " + digest),
        v.toString());
    assertTrue(v.out().endsWith("OK\n"), v.toString());
  }

  @Test
  void snapshotAndLogAreReadable() throws Exception {
    Tool info = Tool.run("snapshot", "info", data.toString(), "--json");
    assertEquals(0, info.status(), info.toString());
    JsonNode j = new ObjectMapper().readTree(info.out());
    assertTrue(j.get("nodes").asInt() >= 4 + 20, info.out());
    Tool dump = Tool.run("snapshot", "dump", data.toString());
    assertEquals(0, dump.status(), dump.toString());
    assertTrue(dump.out().contains("/zookeeper\t"), dump.out());
    Tool log = Tool.run("log", "dump", data.toString());
    assertEquals(0, log.status(), log.toString());
    assertTrue(log.out().contains(" create /app/n59 bytes=3 owner=0x0 acl=world:anyone:31"),
        log.out());
    assertTrue(log.out().contains("setData /app version=1 bytes=7"), log.out());
    String last = log.out().lines().filter(l -> l.startsWith("0x")).reduce((a, b) -> b)
        .orElseThrow();
    String lastZxid = last.substring(0, last.indexOf('\t'));
    Tool tail = Tool.run("log", "dump", data.toString(), "--from-zxid", lastZxid);
    assertEquals(List.of(last), tail.out().lines().filter(l -> l.startsWith("0x")).toList());
  }

  @Test
  void damagedSnapshotIsNamed() throws Exception {
    Path copy = copyOf(data, "snap-damage");
    Path snap;
    try (Stream<Path> s = Files.list(copy.resolve("snapshots"))) {
      snap = s.filter(p -> p.toString().endsWith(".snap")).findFirst().orElseThrow();
    }
    flipByte(snap, Files.size(snap) / 2);
    Tool v = Tool.run("verify", copy.toString());
    assertEquals(1, v.status(), v.toString());
    assertTrue(v.err().contains(snap.toString()) && v.err().contains("checksum mismatch"),
        v.toString());
  }

  @Test
  void damagedJournalRecordIsNamed() throws Exception {
    Path copy = copyOf(data, "log-damage");
    Path segment = copy.resolve("log").resolve("segment-00000000000000000001.log");
    flipByte(segment, 200);
    Tool v = Tool.run("verify", copy.toString());
    assertEquals(1, v.status(), v.toString());
    assertTrue(v.err().contains(segment.toString()), v.toString());
  }

  /** What makes a server refuse to start, verify reports too. */
  @Test
  void missingLogNextToSnapshotsIsNamed() throws Exception {
    Path copy = copyOf(data, "log-missing");
    try (Stream<Path> s = Files.walk(copy.resolve("log"))) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    Tool v = Tool.run("verify", copy.toString());
    assertEquals(1, v.status(), v.toString());
    assertTrue(v.err().contains(copy.resolve("log") + ": no transaction log next to the "
        + "snapshots"), v.toString());
  }

  @Test
  void missingDirectoryAndBadOptionsAreClearErrors() {
    Tool missing = Tool.run("verify", root.resolve("nope").toString());
    assertEquals(1, missing.status(), missing.toString());
    assertTrue(missing.err().contains("nope is not a directory"), missing.toString());
    Tool bad = Tool.run("log", "dump", data.toString(), "--from-zxid", "zz");
    assertEquals(2, bad.status(), bad.toString());
    assertTrue(bad.err().contains("'zz' is not a zxid"), bad.toString());
    assertEquals(2, Tool.run("restore", "--from", backup.toString()).status());
  }

  @Test
  void restoreGivesTheSameTreeDigest() throws Exception {
    Path restored = root.resolve("restored");
    Tool r = Tool.run("restore", "--from", backup.toString(), "--data", restored.toString());
    assertEquals(0, r.status(), r.toString());
    assertTrue(r.out().contains("digest " + digest), r.toString());
    Tool again = Tool.run("restore", "--from", backup.toString(), "--data", restored.toString());
    assertEquals(1, again.status());
    assertTrue(again.err().contains("is not empty"), again.toString());
    try (AdminNode node = AdminNode.start(restored, NODE)) {
      JsonNode hash = AdminHttp.get(node.base, "/commands/hash").json().get("digests").get(0);
      assertEquals(digest, hash.get("digest").asLong());
      assertEquals(zxid, Long.toHexString(hash.get("zxid").asLong()));
    }
  }

  @Test
  void damagedBackupIsRefused() throws Exception {
    Path bad = root.resolve("damaged.backup");
    Files.copy(backup, bad);
    flipByte(bad, Files.size(bad) / 2);
    Tool r = Tool.run("restore", "--from", bad.toString(), "--data",
        root.resolve("never").toString());
    assertEquals(1, r.status(), r.toString());
    assertTrue(r.err().contains(bad.toString()), r.toString());
    assertTrue(Files.notExists(root.resolve("never").resolve("snapshots")));
  }

  static Path copyOf(Path dir, String name) throws IOException {
    Path target = root.resolve(name);
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        Path t = target.resolve(dir.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else if (!p.getFileName().toString().equals("lock")) {
          Files.copy(p, t);
        }
      }
    }
    return target;
  }

  static void flipByte(Path file, long at) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, at);
      b.flip();
      byte v = b.get();
      ch.write(java.nio.ByteBuffer.wrap(new byte[] {(byte) (v ^ 0x5a)}), at);
    }
  }
}
