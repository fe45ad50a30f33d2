package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs.OpCode;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;
import org.apache.zookeeper.proto.AuthPacket;
import org.apache.zookeeper.proto.GetSASLRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What a client port with default settings refuses: SASL (a client must never believe it
 * authenticated), an unknown auth scheme (logged without the control characters a client put
 * in it), and every four-letter word but srvr.
 */
class ClientPortDefaultsTest {
  private static final String SECTION = "PaddockClientPortDefaultsTest";

  @TempDir static Path dir;
  static PaddockServer server;

  @BeforeAll
  static void start() {
    server = PaddockServer.start(dir);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void rawSaslRequestIsAnsweredAuthFailedAndTheConnectionCloses() throws Exception {
    try (RawClient raw = RawClient.connected(server.port)) {
      RawClient.Packet p = raw.call(7, OpCode.sasl, new GetSASLRequest(new byte[0]));
      assertEquals(7, p.header().getXid());
      assertEquals(KeeperException.Code.AUTHFAILED.intValue(), p.header().getErr());
      assertTrue(raw.closedByServer());
    }
    try (RawClient raw = RawClient.connected(server.port)) {
      assertTrue(raw.call(-8, OpCode.ping, null).header().getErr() == 0);
    }
  }

  @Test
  void onlySrvrIsAnsweredByDefault() throws Exception {
    assertTrue(FourLetterWordsTest.word(server.port, "srvr").contains("Mode: standalone"));
    for (String word : List.of("mntr", "ruok", "stat", "conf", "cons", "envi", "dump")) {
      assertEquals(FourLetterWords.notEnabled(word), FourLetterWordsTest.word(server.port, word));
    }
  }

  @Test
  void anAuthSchemeIsLoggedWithoutItsControlCharacters() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(ConnectionActor.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try (RawClient raw = RawClient.connected(server.port)) {
      String scheme = "x\n12:00:00.000 INFO  d.p.wire.ConnectionActor - forged\u001b[2J";
      RawClient.Packet p = raw.call(-4, OpCode.auth, new AuthPacket(0, scheme, new byte[1]));
      assertEquals(KeeperException.Code.AUTHFAILED.intValue(), p.header().getErr());
      assertTrue(raw.closedByServer());
      server.kit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
        List<String> lines;
        synchronized (appender) {
          lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("unsupported auth scheme")).toList();
        }
        assertEquals(1, lines.size(), "lines: " + lines);
        assertTrue(lines.get(0).contains(
            "unsupported auth scheme x?12:00:00.000 INFO  d.p.wire.ConnectionActor - forged?[2J"),
            lines.get(0));
        return null;
      });
    } finally {
      logger.detachAppender(appender);
    }
  }

  @Test
  void officialClientConfiguredForSaslSeesAuthFailed() throws Exception {
    Configuration previous = currentJaas();
    Configuration.setConfiguration(new Configuration() {
      @Override
      public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
        if (name.equals(SECTION)) {
          return new AppConfigurationEntry[] {new AppConfigurationEntry(
              "org.apache.zookeeper.server.auth.DigestLoginModule",
              AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
              Map.of("username", "alice", "password", "secret"))};
        }
        return previous == null ? null : previous.getAppConfigurationEntry(name);
      }
    });
    ZKClientConfig config = new ZKClientConfig();
    config.setProperty(ZKClientConfig.ENABLE_CLIENT_SASL_KEY, "true");
    config.setProperty(ZKClientConfig.LOGIN_CONTEXT_NAME_KEY, SECTION);
    // FIPS mode (the default) rules out DIGEST-MD5, the one mechanism a JAAS section alone sets up.
    config.setProperty("zookeeper.fips-mode", "false");
    long refusedBefore = ClientPortStats.get(server.kit.system()).summary().authFailed();
    BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
    ZooKeeper zk = new ZooKeeper(server.connectString(), 30_000,
        e -> {
          if (e.getState() != null) {
            states.add(e.getState());
          }
        }, config);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      Watcher.Event.KeeperState last = null;
      while (last != Watcher.Event.KeeperState.AuthFailed && System.nanoTime() < deadline) {
        last = states.poll(100, TimeUnit.MILLISECONDS);
        assertFalse(last == Watcher.Event.KeeperState.SaslAuthenticated, "authenticated");
      }
      assertEquals(Watcher.Event.KeeperState.AuthFailed, last, "states: " + states);
      // The client's DIGEST-MD5 also fails on the empty token of an OK answer; that the
      // server refused is what its count of failed authentications shows.
      assertTrue(ClientPortStats.get(server.kit.system()).summary().authFailed()
          > refusedBefore, "the server refused the SASL request");
    } finally {
      zk.close();
      Configuration.setConfiguration(previous);
    }
  }

  private static Configuration currentJaas() {
    try {
      return Configuration.getConfiguration();
    } catch (SecurityException e) {
      return null;
    }
  }
}
