package dev.paddock.admin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.node.NodeGuardian;
import dev.paddock.node.PekkoConfig;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.Settings;
import dev.paddock.node.TestNodes;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Three servers in this JVM, each started as Main starts it (with its admin server), every
 * server's admin port listed in paddock.servers so any console shows the whole ensemble.
 */
final class AdminEnsemble implements AutoCloseable {
  static final int SIZE = 3;
  private final Path root;
  private final int[] peerPorts = new int[SIZE + 1];
  private final int[] adminPorts = new int[SIZE + 1];
  private final int[] typedPorts = new int[SIZE + 1];
  private final Map<Integer, ActorSystem<QuorumPeer.Command>> systems = new HashMap<>();

  private final Map<String, Object> overrides;

  AdminEnsemble(Path root) throws IOException {
    this(root, Map.of());
  }

  AdminEnsemble(Path root, Map<String, Object> overrides) throws IOException {
    this.root = root;
    this.overrides = overrides;
    int[] ports = TestNodes.freePorts(3 * SIZE);
    for (int id = 1; id <= SIZE; id++) {
      peerPorts[id] = ports[3 * id - 3];
      adminPorts[id] = ports[3 * id - 2];
      typedPorts[id] = ports[3 * id - 1];
    }
  }

  String base(int id) {
    return "http://127.0.0.1:" + adminPorts[id];
  }

  Config config(int id) {
    StringBuilder servers = new StringBuilder("paddock.servers = [");
    for (int s = 1; s <= SIZE; s++) {
      servers.append(String.format("{id = %d, host = \"127.0.0.1\", peer-port = %d, "
          + "client-port = 0, admin-port = %d, role = voter},", s, peerPorts[s], adminPorts[s]));
    }
    servers.append("]");
    Map<String, Object> base = new HashMap<>(Map.of(
        "paddock.my-id", id,
        "paddock.data-dir", root.resolve("node" + id).toString(),
        "paddock.tick-time", "100ms",
        "paddock.init-limit", 50,
        "paddock.sync-limit", 10,
        "paddock.session-secret", "ensemble-secret",
        "paddock.client-port-address", "127.0.0.1",
        "paddock.journal.segment-size", "4 MiB",
        "paddock.leader-timeout", "1s",
        "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off"));
    base.put("paddock.typed-client-port", typedPorts[id]);
    base.putAll(overrides);
    Config loaded = ConfigFactory.parseMap(base)
        .withFallback(ConfigFactory.parseString(servers.toString()))
        .withFallback(ConfigFactory.load()).resolve();
    return PekkoConfig.forNode(Settings.from(loaded), loaded);
  }

  void start(int id) {
    Config config = config(id);
    systems.put(id, ActorSystem.create(NodeGuardian.create(Settings.from(config)), "paddock",
        config));
  }

  void startAll() {
    for (int id = 1; id <= SIZE; id++) {
      start(id);
    }
  }

  /** The server's ZooKeeper client port, once it listens. */
  int clientPort(int id) throws Exception {
    return org.apache.pekko.actor.typed.javadsl.AskPattern.<QuorumPeer.Command,
        java.net.InetSocketAddress>ask(systems.get(id), QuorumPeer.GetClientPort::new,
        Duration.ofSeconds(30), systems.get(id).scheduler()).toCompletableFuture()
        .get().getPort();
  }

  /** Stops a server abruptly; its disk state stays. */
  void kill(int id) {
    ActorSystem<QuorumPeer.Command> s = systems.remove(id);
    if (s != null) {
      s.terminate();
      s.getWhenTerminated().toCompletableFuture().join();
    }
  }

  /** Waits until {@code check} holds for the answer of GET path on server id. */
  AdminHttp.Response await(int id, String path, Predicate<AdminHttp.Response> check,
      Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    AdminHttp.Response last = null;
    Exception failure = null;
    while (System.nanoTime() < deadline) {
      try {
        last = AdminHttp.get(base(id), path);
        if (check.test(last)) {
          return last;
        }
      } catch (IOException e) {
        failure = e;
      }
      Thread.sleep(50); // polling interval while waiting on a condition with a deadline
    }
    throw new AssertionError("server " + id + " " + path + " did not get there in " + max
        + "; last answer " + (last == null ? failure : last.status() + " " + last.body()));
  }

  @Override
  public void close() {
    for (int id : new java.util.ArrayList<>(systems.keySet())) {
      kill(id);
    }
  }
}
