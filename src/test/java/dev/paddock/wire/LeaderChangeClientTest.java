package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.zab.Ensemble;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official client on a follower whose leader dies: the follower keeps the connection while
 * the ensemble elects a new leader, so the client never sees a disconnect (and never sleeps
 * before reconnecting); its session, ephemerals and watches carry on.
 */
class LeaderChangeClientTest {
  @TempDir Path dir;

  @Test
  void aClientOfAFollowerKeepsItsConnectionWhileANewLeaderIsElected() throws Exception {
    try (Ensemble e = new Ensemble(dir, 3, 0,
        Map.of("paddock.client-port-address", "127.0.0.1"))) {
      e.startAll();
      int leader = e.awaitServing();
      List<Integer> rest = new ArrayList<>(e.ids());
      rest.remove(Integer.valueOf(leader));
      int follower = rest.get(0);
      BlockingQueue<WatchedEvent> events = new LinkedBlockingQueue<>();
      BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
      ZooKeeper zk = PaddockServer.connect("127.0.0.1:" + e.clientPort(follower), 30_000,
          events, states);
      try {
        long session = zk.getSessionId();
        zk.create("/eph", null, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL);
        zk.create("/watched", new byte[] {0}, ZooDefs.Ids.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT);
        zk.getData("/watched", true, null);

        e.kill(leader);
        int next = e.awaitServing(rest, Ensemble.WAIT);
        assertNotEquals(leader, next);

        zk.setData("/watched", new byte[] {1}, -1);
        WatchedEvent changed = events.poll(20, TimeUnit.SECONDS);
        assertNotNull(changed, "the watch set before the leader died did not fire");
        assertEquals(Watcher.Event.EventType.NodeDataChanged, changed.getType());
        assertNotNull(zk.exists("/eph", false));
        assertEquals(session, zk.getSessionId());
        assertNull(states.poll(), "the client saw its connection change: " + states);
      } finally {
        zk.close();
      }
    }
  }
}
