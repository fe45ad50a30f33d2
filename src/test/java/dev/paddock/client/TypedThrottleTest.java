package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.codec.ClientProtocolConfig;
import dev.paddock.node.PekkoConfig;
import dev.paddock.session.ClientLoad;
import dev.paddock.session.RequestGate;
import dev.paddock.storage.JournalFaults;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Typed sessions share the server's bound on requests in flight: past it, a typed client's
 * request is not queued but answered THROTTLED_OP, in its turn, and the requests within the
 * bound complete as usual.
 */
class TypedThrottleTest {
  private static final Config CLIENT_SYSTEM =
      ClientProtocolConfig.withSerialization(PekkoConfig.forClient("127.0.0.1"));

  @TempDir Path dir;

  @AfterEach
  void release() {
    JournalFaults.stallWrites(dir.resolve("log"), false);
  }

  @Test
  void requestsPastTheLimitAreThrottledInOrder() throws Exception {
    TestServer server = TestServer.start(dir, 0, Map.of("paddock.max-outstanding-requests", 50));
    PaddockFacade zk = null;
    try {
      zk = PaddockFacade.connect(ClientSettings.of(List.of(server.address()),
          Duration.ofSeconds(30)), CLIENT_SYSTEM, e -> { }, s -> { })
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      RequestGate gate = ClientLoad.get(server.system).gate();
      JournalFaults.stallWrites(dir.resolve("log"), true);
      List<CompletableFuture<String>> creates = new ArrayList<>();
      for (int i = 0; i < 55; i++) {
        creates.add(zk.create("/t" + i, new byte[1], Acl.OPEN_ACL_UNSAFE,
            CreateMode.PERSISTENT).toCompletableFuture());
      }
      ActorTestKit.create(server.system).createTestProbe().awaitAssert(Duration.ofSeconds(30),
          () -> {
            assertEquals(50, gate.inFlight(), "typed requests hold places");
            return null;
          });
      JournalFaults.stallWrites(dir.resolve("log"), false);
      for (int i = 0; i < 50; i++) {
        assertEquals("/t" + i, creates.get(i).get(30, TimeUnit.SECONDS));
      }
      for (int i = 50; i < 55; i++) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, creates.get(i)::get);
        assertEquals(Code.THROTTLED_OP,
            assertInstanceOf(PaddockException.class, e.getCause()).code());
      }
      assertEquals(50, gate.peak());
      assertEquals(0, gate.inFlight(), "every place given back");
    } finally {
      if (zk != null) {
        zk.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
      server.stop();
    }
  }
}
