package dev.paddock.wire;

import dev.paddock.security.Certificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * One certificate authority with a server certificate for 127.0.0.1 and client certificates on
 * demand, written as PKCS#12 stores into a test's directory; and official clients that connect
 * with them over TLS, configured per client so that no other test sees TLS settings.
 */
final class TlsFixture {
  static final String PASSWORD = "test-store-password";
  static final Duration VALIDITY = Duration.ofDays(1);

  final Path dir;
  final Certificates.Issued authority;
  final Path serverKeys;
  final Path trust;

  TlsFixture(Path dir) throws IOException {
    this.dir = dir;
    this.authority = Certificates.newAuthority("Paddock Test CA", VALIDITY);
    this.serverKeys = dir.resolve("server.p12");
    Certificates.issue(authority, "CN=server,O=Paddock", List.of("127.0.0.1", "localhost"),
        VALIDITY).writeKeyStore(serverKeys, PASSWORD.toCharArray());
    this.trust = dir.resolve("trust.p12");
    Certificates.writeTrustStore(authority.certificate(), trust, PASSWORD.toCharArray());
  }

  /** A key store holding a client certificate for {@code subject}, issued by this authority. */
  Path client(String subject) throws IOException {
    Path file = dir.resolve(subject.replaceAll("[^A-Za-z0-9]", "_") + ".p12");
    Certificates.issue(authority, subject, List.of(), VALIDITY)
        .writeKeyStore(file, PASSWORD.toCharArray());
    return file;
  }

  /** Server settings: a TLS port on any free port, beside the plaintext one. */
  Map<String, Object> serverSettings(String superUser) {
    Map<String, Object> m = new HashMap<>();
    m.put("paddock.secure-client-port", 0);
    m.put("paddock.ssl.keyStore.location", serverKeys.toString());
    m.put("paddock.ssl.keyStore.password", PASSWORD);
    m.put("paddock.ssl.trustStore.location", trust.toString());
    m.put("paddock.ssl.trustStore.password", PASSWORD);
    m.put("paddock.ssl.x509-super-user", superUser);
    return m;
  }

  static int securePort(PaddockServer server) {
    int port = ClientPortStats.get(server.kit.system()).secureClientPort();
    if (port <= 0) {
      throw new AssertionError("the server has no secure client port");
    }
    return port;
  }

  /** An official client's TLS settings: Netty, this authority, and {@code keyStore}. */
  ZKClientConfig clientConfig(Path keyStore) {
    ZKClientConfig c = new ZKClientConfig();
    c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
    c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
        "org.apache.zookeeper.ClientCnxnSocketNetty");
    c.setProperty("zookeeper.ssl.keyStore.location", keyStore.toString());
    c.setProperty("zookeeper.ssl.keyStore.password", PASSWORD);
    c.setProperty("zookeeper.ssl.keyStore.type", "PKCS12");
    c.setProperty("zookeeper.ssl.trustStore.location", trust.toString());
    c.setProperty("zookeeper.ssl.trustStore.password", PASSWORD);
    c.setProperty("zookeeper.ssl.trustStore.type", "PKCS12");
    return c;
  }

  /** A client connected over TLS; its events (other than connection state) go to events. */
  ZooKeeper connect(int port, Path keyStore, BlockingQueue<WatchedEvent> events,
      BlockingQueue<Watcher.Event.KeeperState> states) throws Exception {
    return PaddockServer.connect("127.0.0.1:" + port, 30_000, events, states,
        clientConfig(keyStore));
  }
}
