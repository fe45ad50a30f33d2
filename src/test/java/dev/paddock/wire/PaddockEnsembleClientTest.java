package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.zab.Ensemble;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official client against an in-JVM ensemble of three servers: the client contract on a
 * follower (every write forwarded to the leader, every read and watch served by the follower),
 * and a session that moves to another server when its own dies, keeping its ephemerals and its
 * watches. The contract's clients share one server: two clients on different servers may see a
 * write at different moments, which ZooKeeper allows and the contract does not expect.
 */
class PaddockEnsembleClientTest {
  @TempDir static Path dir;
  static Ensemble ensemble;
  static final Map<Integer, Integer> PORTS = new java.util.HashMap<>();

  @BeforeAll
  static void start() {
    ensemble = new Ensemble(dir, 3, 0, Map.of("paddock.client-port-address", "127.0.0.1"));
    ensemble.startAll();
    ensemble.awaitServing();
    for (int id : ensemble.ids()) {
      PORTS.put(id, ensemble.clientPort(id));
    }
  }

  @AfterAll
  static void stop() {
    ensemble.close();
  }

  /** Every running server. */
  static String allServers() {
    List<String> hosts = new ArrayList<>();
    for (int id : ensemble.ids()) {
      if (ensemble.running(id)) {
        hosts.add("127.0.0.1:" + PORTS.get(id));
      }
    }
    return String.join(",", hosts);
  }

  /** One server that follows. */
  static String connectString() {
    for (int id : ensemble.ids()) {
      if (ensemble.running(id) && ensemble.status(id).mode().equals("follower")) {
        return "127.0.0.1:" + PORTS.get(id);
      }
    }
    throw new AssertionError("no follower");
  }

  @Nested
  class NodeOps extends NodeOpsContract {
    @Override
    String connectString() {
      return PaddockEnsembleClientTest.connectString();
    }
  }

  @Nested
  class Watches extends WatchContract {
    @Override
    String connectString() {
      return PaddockEnsembleClientTest.connectString();
    }
  }

  @Nested
  class AclsAndMulti extends AclMultiContract {
    @Override
    String connectString() {
      return PaddockEnsembleClientTest.connectString();
    }
  }

  @Test
  void sessionMovesToAnotherServerWithItsEphemeralsAndWatches() throws Exception {
    BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
    BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
    ZooKeeper zk = PaddockServer.connect(allServers(), 30_000, events, states);
    ZooKeeper other = null;
    int home = -1;
    try {
      long session = zk.getSessionId();
      String r = zk.create("/moving", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create(r + "/data", b("v0"), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      zk.create(r + "/eph", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
      zk.getData(r + "/data", true, null);
      zk.addWatch(r, AddWatchMode.PERSISTENT_RECURSIVE);

      home = serverOf(zk);
      ensemble.kill(home);
      assertEquals(Watcher.Event.KeeperState.Disconnected, states.poll(20, TimeUnit.SECONDS));
      List<Integer> rest = new ArrayList<>(ensemble.ids());
      rest.remove(Integer.valueOf(home));
      ensemble.awaitServing(rest, Ensemble.WAIT);

      // A change while the client is away: its watches fire once it is back.
      other = PaddockServer.connect(allServers(), 30_000, new LinkedBlockingQueue<>());
      other.setData(r + "/data", b("v1"), -1);
      assertEquals(Watcher.Event.KeeperState.SyncConnected, states.poll(30, TimeUnit.SECONDS));
      assertEquals(session, zk.getSessionId());
      int now = serverOf(zk);
      assertNotEquals(home, now, "the session moved");

      // One event: the data watch was re-registered and fires for the change it missed (a
      // persistent watch is re-registered without replay, and one change is one notification).
      assertEquals("NodeDataChanged " + r + "/data", next(events));
      assertEquals(session, other.exists(r + "/eph", false).getEphemeralOwner(),
          "the ephemeral stays with the moved session");
      assertArrayEquals(b("v1"), zk.getData(r + "/data", false, null));

      // The recursive watch stays registered on the new server (and nothing came before).
      other.create(r + "/later", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      assertEquals("NodeCreated " + r + "/later", next(events));
      zk.close();
      zk = null;
      sync(other, r);
      assertEquals(null, other.exists(r + "/eph", false), "closing removes the ephemeral");
    } finally {
      if (zk != null) {
        zk.close();
      }
      if (other != null) {
        other.close();
      }
      if (home > 0 && !ensemble.running(home)) {
        // The contract tests may run after this one; they get the whole ensemble back.
        ensemble.start(home);
        ensemble.awaitServing();
        PORTS.put(home, ensemble.clientPort(home));
      }
    }
  }

  /** The server a client is connected to, from its description ("remoteserver:host:port"). */
  private static int serverOf(ZooKeeper zk) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("remoteserver:\\S*:(\\d+)")
        .matcher(zk.toString());
    assertTrue(m.find(), () -> "connected: " + zk);
    int port = Integer.parseInt(m.group(1));
    for (Map.Entry<Integer, Integer> e : PORTS.entrySet()) {
      if (e.getValue() == port) {
        return e.getKey();
      }
    }
    throw new AssertionError("connected to an unknown server: " + zk);
  }

  /** Brings the client's server up to date with the leader (the close may be on another). */
  private static void sync(ZooKeeper zk, String path) throws Exception {
    CompletableFuture<Integer> done = new CompletableFuture<>();
    zk.sync(path, (rc, p, ctx) -> done.complete(rc), null);
    assertEquals(0, done.get(20, TimeUnit.SECONDS));
  }

  private static String next(BlockingQueue<WatchedEvent> events) throws InterruptedException {
    WatchedEvent e = events.poll(20, TimeUnit.SECONDS);
    assertNotNull(e, "a watch event");
    assertTrue(e.getType() != EventType.None);
    return e.getType() + " " + e.getPath();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
