package dev.paddock.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three node.jar processes under write load from the official ZooKeeper client; the leader is
 * killed with SIGKILL. A new leader must be elected, no acknowledged write may be lost, and the
 * old leader must come back as a follower.
 */
class EnsembleKillLeaderIT {
  @TempDir Path dir;

  @Test
  void killingTheLeaderUnderLoadLosesNoAcknowledgedWrite() throws Exception {
    killTheLeader(false);
  }

  /** The same with the servers on mutually authenticated TLS, set up by gen-certs. */
  @Test
  void killingTheLeaderOverPeerTlsLosesNoAcknowledgedWrite() throws Exception {
    killTheLeader(true);
  }

  private void killTheLeader(boolean peerTls) throws Exception {
    try (Cluster3 cluster = new Cluster3(dir, "500ms", peerTls)) {
      cluster.startAll();
      int leader = cluster.awaitLeader(Duration.ofSeconds(60));
      for (NodeProcess n : cluster.nodes) {
        assertEquals(!peerTls, n.log().contains("peer traffic is unauthenticated"), n.log());
      }
      Set<String> acked = ConcurrentHashMap.newKeySet();
      AtomicLong killedAt = new AtomicLong();
      AtomicLong firstAckAfterKill = new AtomicLong();
      CountDownLatch connected = new CountDownLatch(1);
      ZooKeeper zk = new ZooKeeper(cluster.connectString(), 15_000, e -> {
        if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        }
      });
      assertTrue(connected.await(30, TimeUnit.SECONDS), "client never connected");
      zk.create("/load", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      Semaphore window = new Semaphore(200);
      byte[] data = "x".repeat(100).getBytes(StandardCharsets.UTF_8);
      int afterKillTarget = 2000;
      AtomicLong ackedAfterKill = new AtomicLong();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int i = 0; System.nanoTime() < deadline; i++) {
        if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
          continue;
        }
        String path = "/load/n" + i;
        boolean issuedAfterKill = killedAt.get() != 0;
        zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
            (rc, p, ctx, name) -> {
              window.release();
              if (rc == KeeperException.Code.OK.intValue()) {
                acked.add(name);
                if (issuedAfterKill) {
                  firstAckAfterKill.compareAndSet(0, System.nanoTime());
                  ackedAfterKill.incrementAndGet();
                }
              }
            }, null);
        if (i == 3000) {
          killedAt.set(System.nanoTime());
          cluster.nodes.get(leader).kill9();
        }
        if (ackedAfterKill.get() >= afterKillTarget) {
          break;
        }
      }
      assertTrue(ackedAfterKill.get() >= afterKillTarget,
          "only " + ackedAfterKill.get() + " writes acknowledged after the leader died");
      long failoverMs = (firstAckAfterKill.get() - killedAt.get()) / 1_000_000;
      System.out.println("time from kill -9 of the leader to the first acknowledged write issued "
          + "after it" + (peerTls ? " (peer TLS)" : "") + ": " + failoverMs + " ms");
      int newLeader = cluster.awaitLeader(Duration.ofSeconds(60));
      assertNotEquals(leader, newLeader);
      cluster.nodes.get(leader).start();
      cluster.awaitLeader(Duration.ofSeconds(60));
      assertEquals("follower", cluster.nodes.get(leader).mode());
      zk.close();
      for (int i = 0; i < 3; i++) {
        ZooKeeper one = connectOnly(cluster.clientPorts[i]);
        one.sync("/", (rc, p, c) -> { }, null);
        Set<String> present = new java.util.HashSet<>();
        for (String child : one.getChildren("/load", false)) {
          present.add("/load/" + child);
        }
        for (String path : acked) {
          assertTrue(present.contains(path), "server " + (i + 1) + " lost " + path);
        }
        one.close();
      }
    }
  }

  private static ZooKeeper connectOnly(int port) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper("127.0.0.1:" + port, 15_000, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    assertTrue(connected.await(30, TimeUnit.SECONDS), "no connection to " + port);
    return zk;
  }
}
