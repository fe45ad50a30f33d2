package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.codec.ClientProtocolConfig;
import dev.paddock.api.CreateMode;
import dev.paddock.node.PekkoConfig;
import dev.paddock.session.AuditLog;
import dev.paddock.tree.Acls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A typed client's writes reach the audit log as a wire client's do. */
class TypedAuditTest {
  @TempDir Path dir;

  @Test
  void typedWritesAreAudited() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    TestServer server = TestServer.start(dir, 0, Map.of("paddock.audit.enabled", "on"));
    try {
      Config client = ClientProtocolConfig.withSerialization(PekkoConfig.forClient("127.0.0.1"));
      PaddockFacade zk = PaddockFacade.connect(ClientSettings.of(List.of(server.address()),
          Duration.ofSeconds(10)), client, e -> { }, s -> { }).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      zk.addAuth(Acls.DIGEST, "carol:pw".getBytes(StandardCharsets.UTF_8))
          .toCompletableFuture().get(30, TimeUnit.SECONDS);
      zk.create("/t", null, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT).toCompletableFuture()
          .get(30, TimeUnit.SECONDS);
      String session = "session=0x" + Long.toHexString(zk.sessionId()) + " ";
      zk.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      List<String> mine = List.of();
      while (System.nanoTime() < deadline && mine.size() < 3) {
        synchronized (appender) {
          mine = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
              .filter(l -> l.startsWith(session)).toList();
        }
        java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
      }
      String all = String.join("\n", mine);
      assertTrue(mine.size() == 3, all);
      assertTrue(mine.get(0).contains("operation=createSession"), all);
      assertTrue(mine.get(1).contains("digest:carol operation=create znode=/t "), all);
      assertTrue(mine.get(1).endsWith("result=ok"), all);
      assertTrue(mine.get(2).contains("operation=closeSession"), all);
    } finally {
      logger.detachAppender(appender);
      server.stop();
    }
  }
}
