package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.zab.CrashPoints;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The typed-client endpoint starts and stops with its node, and its port is checked. */
class TypedClientEndpointTest {
  @TempDir Path dir;

  @Test
  void portSettingIsANumberOrOff() {
    assertEquals(2880, TypedClientEndpoint.port(ConfigFactory.parseString(
        "paddock.typed-client-port = 2880")));
    assertEquals(0, TypedClientEndpoint.port(ConfigFactory.parseString(
        "paddock.typed-client-port = off")));
    assertEquals(0, TypedClientEndpoint.port(ConfigFactory.parseString(
        "paddock.typed-client-port = 0")));
    assertThrows(ConfigError.class, () -> TypedClientEndpoint.port(ConfigFactory.parseString(
        "paddock.typed-client-port = on")));
    assertThrows(ConfigError.class, () -> TypedClientEndpoint.port(ConfigFactory.parseString(
        "paddock.typed-client-port = 70000")));
    assertEquals(2880, TypedClientEndpoint.port(ConfigFactory.load()), "the default");
    Config same = TestNodes.standaloneConfig(dir, Map.of("paddock.peer-port", 2900,
        "paddock.typed-client-port", 2900));
    ConfigError clash = assertThrows(ConfigError.class,
        () -> TypedClientEndpoint.check(same, Settings.from(same)));
    assertEquals(TypedClientEndpoint.KEY, clash.key());
  }

  @Test
  void theEndpointStopsWithTheNode() throws Exception {
    int port = freePort();
    ActorSystem<QuorumPeer.Command> node = start(port);
    ActorTestKit kit = ActorTestKit.create(node);
    TestNodes.awaitServing(kit, node, Duration.ofSeconds(30));
    // The endpoint starts beside recovery, so it may open after the node serves.
    kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(50),
        () -> {
          assertFalse(canBind(port), "the endpoint listens on its port");
          return null;
        });
    ActorTestKit.shutdown(node, Duration.ofSeconds(30), true);
    // The endpoint terminates within the node's coordinated shutdown, before the node is gone.
    assertTrue(canBind(port), "the endpoint released its port when the node stopped");
  }

  @Test
  void theClientPortOpensOnlyOnceTypedClientsCanConnect() {
    Config config = TestNodes.standaloneConfig(dir, Map.of("paddock.admin.enabled", false));
    CompletableFuture<Void> typedClients = new CompletableFuture<>();
    ActorSystem<QuorumPeer.Command> node = ActorSystem.create(QuorumPeer.create(
        Settings.from(config), CrashPoints.NONE, typedClients), PekkoConfig.SYSTEM_NAME, config);
    try {
      ActorTestKit kit = ActorTestKit.create(node);
      TestNodes.awaitServing(kit, node, Duration.ofSeconds(30));
      TestProbe<InetSocketAddress> port = kit.createTestProbe();
      // The node answers with the client port's address only once the port is open.
      node.tell(new QuorumPeer.GetClientPort(port.ref()));
      port.expectNoMessage(Duration.ofSeconds(1));
      typedClients.complete(null);
      InetSocketAddress bound = port.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(100),
          () -> {
            node.tell(new QuorumPeer.GetClientPort(port.ref()));
            return port.receiveMessage(Duration.ofMillis(500));
          });
      assertFalse(canBind(bound.getPort()), "the client port listens");
    } finally {
      ActorTestKit.shutdown(node, Duration.ofSeconds(30), true);
    }
  }

  @Test
  void aTakenPortStopsTheNode() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      ActorSystem<QuorumPeer.Command> node = start(taken.getLocalPort());
      node.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertEquals(CriticalParts.PART_STOPPED,
          CoordinatedShutdown.get(node).getShutdownReason().orElseThrow());
    }
  }

  private ActorSystem<QuorumPeer.Command> start(int typedPort) {
    Config config = TestNodes.standaloneConfig(dir, Map.of(
        "paddock.typed-client-port", typedPort, "paddock.admin.enabled", false));
    return ActorSystem.create(NodeGuardian.create(Settings.from(config)),
        PekkoConfig.SYSTEM_NAME, config);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static boolean canBind(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
