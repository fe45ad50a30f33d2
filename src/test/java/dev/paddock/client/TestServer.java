package dev.paddock.client;

import com.typesafe.config.Config;
import dev.paddock.codec.ClientProtocolConfig;
import dev.paddock.node.NodeGuardian;
import dev.paddock.node.PekkoConfig;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.Settings;
import dev.paddock.node.TestNodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * A standalone server in its own actor system, started the way Main starts one (NodeGuardian:
 * the quorum peer, with the typed-client endpoint beside it), with the client protocol's
 * serialization.
 */
final class TestServer {
  /** Long enough for a restart; the server's default max (20 ticks) would cut it to 4s. */
  static final String MAX_SESSION_TIMEOUT = "60s";

  final ActorSystem<QuorumPeer.Command> system;
  /** The typed-client port: what typed clients connect to. */
  final int port;

  private TestServer(ActorSystem<QuorumPeer.Command> system, int port) {
    this.system = system;
    this.port = port;
  }

  /** @param port typed-client port; 0 for any free port */
  static TestServer start(Path dataDir, int port, Map<String, Object> overrides) {
    Map<String, Object> all = new HashMap<>();
    all.put("paddock.peer-port", 0);
    all.put("paddock.typed-client-port", port == 0 ? freePort() : port);
    all.put("paddock.max-session-timeout", MAX_SESSION_TIMEOUT);
    all.putAll(overrides);
    Config config = ClientProtocolConfig.withSerialization(
        TestNodes.standaloneConfig(dataDir, all));
    TestServer server = new TestServer(ActorSystem.create(
        NodeGuardian.create(Settings.from(config)), PekkoConfig.SYSTEM_NAME, config),
        config.getInt("paddock.typed-client-port"));
    server.awaitServing();
    return server;
  }

  static int freePort() {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The port the server's own actor system (peers only) listens on. */
  int peerPort() {
    return Adapter.toClassic(system).provider().getDefaultAddress().getPort().orElseThrow();
  }

  private void awaitServing() {
    TestNodes.awaitServing(ActorTestKit.create(system), system, Duration.ofSeconds(30));
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  void stop() {
    ActorTestKit.shutdown(system, Duration.ofSeconds(30), true);
  }

  /** A client-side actor system: remoting on an ephemeral port, client serialization. */
  static ActorTestKit clientKit() {
    return ActorTestKit.create(PaddockFacade.SYSTEM_NAME,
        ClientProtocolConfig.withSerialization(PekkoConfig.forClient("127.0.0.1")));
  }
}
