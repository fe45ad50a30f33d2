package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** Configuration for nodes started inside a test JVM: temp dirs, ephemeral ports, fast ticks. */
public final class TestNodes {
  private TestNodes() {}

  public static Config standaloneConfig(Path dataDir, Map<String, Object> overrides) {
    Map<String, Object> base = new java.util.HashMap<>(Map.of(
        "paddock.data-dir", dataDir.toString(),
        "paddock.peer-port", 0,
        "paddock.client-port", 0,
        "paddock.typed-client-port", 0,
        "paddock.tick-time", "200ms",
        "paddock.session-secret", "test-secret"));
    base.putAll(overrides);
    Config loaded = ConfigFactory.parseMap(base).withFallback(ConfigFactory.load()).resolve();
    Settings settings = Settings.from(loaded);
    return PekkoConfig.forNode(settings, loaded);
  }

  /**
   * {@code n} distinct ports that were free a moment ago. A port just closed can be handed out
   * again at once, so asking the kernel n times may give one port twice.
   */
  public static int[] freePorts(int n) {
    Set<Integer> taken = new LinkedHashSet<>();
    while (taken.size() < n) {
      try (ServerSocket s = new ServerSocket(0)) {
        taken.add(s.getLocalPort());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return taken.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Waits until a server serves clients; returns its status. */
  public static QuorumPeer.Status awaitServing(ActorTestKit kit,
      ActorRef<QuorumPeer.Command> server, Duration max) {
    return awaitServing(kit, server, true, max);
  }

  /** Waits until a server serves clients ({@code serving}) or has stopped serving them. */
  public static QuorumPeer.Status awaitServing(ActorTestKit kit,
      ActorRef<QuorumPeer.Command> server, boolean serving, Duration max) {
    TestProbe<QuorumPeer.Status> probe = kit.createTestProbe();
    return probe.awaitAssert(max, Duration.ofMillis(50), () -> {
      server.tell(new QuorumPeer.GetStatus(probe.ref()));
      QuorumPeer.Status s = probe.receiveMessage();
      assertEquals(serving, s.serving(), "serving");
      return s;
    });
  }
}
