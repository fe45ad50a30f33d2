package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A server whose tree, session tracker, peers gateway or client port stops shuts itself down
 * through CoordinatedShutdown, for a reason that makes the process exit non-zero; so does a
 * guardian that fails.
 */
class FailFastTest {
  private static final Duration MAX = Duration.ofSeconds(30);

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"tree", "session tracker", "peers gateway", "client port", "guardian"})
  void aStoppedPartShutsTheNodeDown(String part) throws IOException {
    // An ensemble of one, so that the peers gateway exists too.
    int peerPort;
    try (ServerSocket s = new ServerSocket(0)) {
      peerPort = s.getLocalPort();
    }
    Config config = TestNodes.standaloneConfig(dir, Map.of("paddock.peer-port", peerPort,
        "paddock.servers", List.of(Map.of("id", 1, "host", "127.0.0.1", "peer-port", peerPort,
            "client-port", 0))));
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    try {
      TestNodes.awaitServing(kit, system, MAX);
      system.tell(new QuorumPeer.StopPart(part));
      system.getWhenTerminated().toCompletableFuture().orTimeout(MAX.toSeconds(),
          java.util.concurrent.TimeUnit.SECONDS).join();
      CoordinatedShutdown.Reason reason = CoordinatedShutdown.get(system).getShutdownReason()
          .orElseThrow();
      assertNotEquals(CoordinatedShutdown.jvmExitReason(), reason,
          "Main exits 0 only for a requested stop");
      if (!part.equals("guardian")) {
        assertEquals(CriticalParts.PART_STOPPED, reason);
      }
    } finally {
      kit.shutdownTestKit();
    }
    assertTrue(system.whenTerminated().isCompleted());
  }
}
