package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.AfterEach;

/**
 * Base of the client contract tests: each runs unchanged against Paddock and against a real
 * ZooKeeper, so every expectation is checked to be ZooKeeper's own.
 */
abstract class Contract {
  private static final AtomicInteger ROOTS = new AtomicInteger();
  private final List<ZooKeeper> clients = new ArrayList<>();

  abstract String connectString();

  /** True when the server under test is Paddock (for the few things only it reports). */
  boolean isPaddock() {
    return true;
  }

  ZooKeeper client() throws Exception {
    return client(new LinkedBlockingQueue<>());
  }

  ZooKeeper client(BlockingQueue<WatchedEvent> events) throws Exception {
    return client(events, new LinkedBlockingQueue<>());
  }

  /** {@code states} receives connection state changes after the first SyncConnected. */
  ZooKeeper client(BlockingQueue<WatchedEvent> events,
      BlockingQueue<Watcher.Event.KeeperState> states) throws Exception {
    ZooKeeper zk = PaddockServer.connect(connectString(), 30_000, events, states);
    clients.add(zk);
    return zk;
  }

  /** A fresh persistent node for one test, so tests sharing a server never collide. */
  String root(ZooKeeper zk) throws Exception {
    return zk.create("/c" + ROOTS.incrementAndGet() + "-" + System.nanoTime(), new byte[0],
        ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
  }

  @AfterEach
  void closeClients() throws InterruptedException {
    for (ZooKeeper zk : clients) {
      zk.close();
    }
    clients.clear();
  }

  static WatchedEvent next(BlockingQueue<WatchedEvent> q) throws InterruptedException {
    WatchedEvent e = q.poll(10, TimeUnit.SECONDS);
    assertNotNull(e, "expected a watch event");
    return e;
  }

  static void expect(BlockingQueue<WatchedEvent> q, Watcher.Event.EventType type, String path)
      throws InterruptedException {
    WatchedEvent e = next(q);
    assertEquals(type + " " + path, e.getType() + " " + e.getPath(), "event " + e);
  }

  static byte[] b(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
