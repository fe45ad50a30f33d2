package dev.paddock.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.client.PaddockFacade;
import dev.paddock.node.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone node.jar process written to through the typed client, killed with SIGKILL in the
 * middle of the load, and started again: every write the client saw acknowledged is there.
 */
class StandaloneKillIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedWriteSurvivesKillMinus9() throws Exception {
    int[] ports = TestNodes.freePorts(3);
    int peerPort = ports[0];
    int clientPort = ports[1];
    int typedPort = ports[2];
    Path conf = dir.resolve("node.conf");
    Files.writeString(conf, "paddock {\n  data-dir = \"data\"\n  peer-port = " + peerPort
        + "\n  client-port = " + clientPort + "\n  typed-client-port = " + typedPort + "\n}\n");
    try (NodeProcess node = new NodeProcess(conf, dir.resolve("node.log"), clientPort)) {
      node.start();
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      List<String> servers = List.of("127.0.0.1:" + typedPort);
      PaddockFacade client = connect(servers, node);
      client.create("/k", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      Set<String> acked = ConcurrentHashMap.newKeySet();
      Semaphore window = new Semaphore(200);
      byte[] data = "v".repeat(100).getBytes(StandardCharsets.UTF_8);
      for (int i = 0; i < 5000 && node.alive(); i++) {
        if (!window.tryAcquire(10, TimeUnit.SECONDS)) {
          break;
        }
        client.create("/k/n" + i, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)
            .whenComplete((path, failure) -> {
              window.release();
              if (failure == null) {
                acked.add(path);
              }
            });
        if (acked.size() >= 1500) {
          node.kill9();
        }
      }
      assertTrue(acked.size() >= 1500, "too few writes acknowledged: " + acked.size());
      Set<String> ackedAtKill = new HashSet<>(acked);
      client.close().toCompletableFuture().get(30, TimeUnit.SECONDS);

      node.start();
      node.awaitMode(Duration.ofSeconds(60), "standalone");
      PaddockFacade again = connect(servers, node);
      Set<String> present = new HashSet<>();
      for (String child : again.getChildren("/k", false).toCompletableFuture()
          .get(30, TimeUnit.SECONDS)) {
        present.add("/k/" + child);
      }
      again.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
      for (String path : ackedAtKill) {
        assertTrue(present.contains(path), "lost acknowledged write " + path);
      }
    }
  }

  private static PaddockFacade connect(List<String> servers, NodeProcess node) throws Exception {
    try {
      return PaddockFacade.connect(servers, Duration.ofSeconds(10), e -> { })
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("typed client could not connect; node log:\n" + node.log(), e);
    }
  }
}
