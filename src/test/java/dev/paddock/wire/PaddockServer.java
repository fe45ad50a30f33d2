package dev.paddock.wire;

import com.typesafe.config.Config;
import dev.paddock.node.Settings;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/** A standalone Paddock in this JVM with its client port on an ephemeral port. */
final class PaddockServer implements AutoCloseable {
  final ActorTestKit kit;
  final ActorRef<QuorumPeer.Command> server;
  final QuorumPeer.Status status;
  final int port;

  private PaddockServer(ActorTestKit kit, ActorRef<QuorumPeer.Command> server,
      QuorumPeer.Status status, int port) {
    this.kit = kit;
    this.server = server;
    this.status = status;
    this.port = port;
  }

  static PaddockServer start(Path dir) {
    return start(dir, Map.of());
  }

  static PaddockServer start(Path dir, Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>(Map.of("paddock.client-port-address", "127.0.0.1"));
    all.putAll(overrides);
    Config config = TestNodes.standaloneConfig(dir, all);
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    ActorRef<QuorumPeer.Command> server = system;
    QuorumPeer.Status status = TestNodes.awaitServing(kit, server, Duration.ofSeconds(30));
    TestProbe<InetSocketAddress> port = kit.createTestProbe();
    server.tell(new QuorumPeer.GetClientPort(port.ref()));
    InetSocketAddress bound = port.receiveMessage(Duration.ofSeconds(10));
    return new PaddockServer(kit, server, status, bound.getPort());
  }

  String connectString() {
    return "127.0.0.1:" + port;
  }

  /** A connected client; its events (other than connection state) go to {@code events}. */
  ZooKeeper client(int timeoutMs, BlockingQueue<WatchedEvent> events) throws Exception {
    return connect(connectString(), timeoutMs, events);
  }

  ZooKeeper client() throws Exception {
    return client(30_000, new LinkedBlockingQueue<>());
  }

  static ZooKeeper connect(String connectString, int timeoutMs,
      BlockingQueue<WatchedEvent> events) throws Exception {
    return connect(connectString, timeoutMs, events, new LinkedBlockingQueue<>());
  }

  static ZooKeeper connect(String connectString, int timeoutMs,
      BlockingQueue<WatchedEvent> events, BlockingQueue<Watcher.Event.KeeperState> states)
      throws Exception {
    return connect(connectString, timeoutMs, events, states, new ZKClientConfig());
  }

  /** As above, with the client's own settings (TLS, for one). */
  static ZooKeeper connect(String connectString, int timeoutMs,
      BlockingQueue<WatchedEvent> events, BlockingQueue<Watcher.Event.KeeperState> states,
      ZKClientConfig config) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    Watcher w = e -> {
      if (e.getType() == Watcher.Event.EventType.None) {
        if (connected.getCount() > 0 && e.getState() == Watcher.Event.KeeperState.SyncConnected) {
          connected.countDown();
        } else {
          states.add(e.getState());
        }
      } else {
        events.add(e);
      }
    };
    ZooKeeper zk = new ZooKeeper(connectString, timeoutMs, w, config);
    if (!connected.await(20, TimeUnit.SECONDS)) {
      zk.close();
      throw new AssertionError("client did not connect to " + connectString);
    }
    return zk;
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
