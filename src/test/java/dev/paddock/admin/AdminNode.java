package dev.paddock.admin;

import com.typesafe.config.Config;
import dev.paddock.node.NodeGuardian;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.Settings;
import dev.paddock.node.TestNodes;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;

/** A standalone node started as Main starts it (with its admin server), on free ports. */
public final class AdminNode implements AutoCloseable {
  public final ActorSystem<QuorumPeer.Command> system;
  final ActorTestKit kit;
  public final String base;
  public final int clientPort;

  private AdminNode(ActorSystem<QuorumPeer.Command> system, String base, int clientPort) {
    this.system = system;
    this.kit = ActorTestKit.create(system);
    this.base = base;
    this.clientPort = clientPort;
  }

  public static AdminNode start(Path dir, Map<String, Object> overrides) throws Exception {
    Map<String, Object> all = new HashMap<>(Map.of(
        "paddock.client-port-address", "127.0.0.1",
        "paddock.admin.port", 0,
        "paddock.typed-client-port", TestNodes.freePorts(1)[0]));
    all.putAll(overrides);
    Config config = TestNodes.standaloneConfig(dir, all);
    ActorSystem<QuorumPeer.Command> system = ActorSystem.create(
        NodeGuardian.create(Settings.from(config)), "paddock", config);
    InetSocketAddress admin = AdminBinding.of(system).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
    ActorTestKit kit = ActorTestKit.create(system);
    TestNodes.awaitServing(kit, system, Duration.ofSeconds(30));
    TestProbe<InetSocketAddress> port = kit.createTestProbe();
    system.tell(new QuorumPeer.GetClientPort(port.ref()));
    int client = port.receiveMessage(Duration.ofSeconds(10)).getPort();
    return new AdminNode(system, "http://127.0.0.1:" + admin.getPort(), client);
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
