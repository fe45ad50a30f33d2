package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
import org.apache.zookeeper.proto.GetSASLRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server without SASL refuses SASL: a client must never believe it authenticated. */
class SaslRefusedTest {
  private static final String SECTION = "PaddockSaslRefusedTest";

  @TempDir static Path dir;
  static PaddockServer server;

  @BeforeAll
  static void start() {
    server = PaddockServer.start(dir, Map.of("paddock.four-letter-words", java.util.List.of("*")));
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
