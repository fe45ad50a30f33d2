package dev.paddock.bench;

import dev.paddock.security.Certificates;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Key and trust stores for {@code --tls}: one authority, a server certificate for 127.0.0.1 that
 * every Paddock server presents, and the client certificate the drivers present.
 */
final class BenchTls {
  private static final String PASSWORD = "bench-store-password";
  private static final Duration VALIDITY = Duration.ofDays(1);

  private final Path serverKeys;
  private final Path clientKeys;
  private final Path trust;

  private BenchTls(Path serverKeys, Path clientKeys, Path trust) {
    this.serverKeys = serverKeys;
    this.clientKeys = clientKeys;
    this.trust = trust;
  }

  static BenchTls create() throws IOException {
    Path dir = Cleanup.tempDir("tls");
    Certificates.Issued ca = Certificates.newAuthority("Paddock Bench CA", VALIDITY);
    Path server = dir.resolve("server.p12");
    Certificates.issue(ca, "CN=paddock-server", List.of("127.0.0.1", "localhost"), VALIDITY)
        .writeKeyStore(server, PASSWORD.toCharArray());
    Path client = dir.resolve("client.p12");
    Certificates.issue(ca, "CN=bench-client", List.of(), VALIDITY)
        .writeKeyStore(client, PASSWORD.toCharArray());
    Path trust = dir.resolve("trust.p12");
    Certificates.writeTrustStore(ca.certificate(), trust, PASSWORD.toCharArray());
    return new BenchTls(server, client, trust);
  }

  /** The paddock.ssl block of a server's configuration (the port is set per server). */
  String serverConfig() {
    return "  ssl {\n"
        + "    keyStore { location = \"" + serverKeys + "\", password = \"" + PASSWORD + "\" }\n"
        + "    trustStore { location = \"" + trust + "\", password = \"" + PASSWORD + "\" }\n"
        + "  }\n";
  }

  /** A fresh configuration per client: the official client keeps state in it. */
  ZKClientConfig clientConfig() {
    ZKClientConfig c = new ZKClientConfig();
    c.setProperty(ZKClientConfig.SECURE_CLIENT, "true");
    c.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
        "org.apache.zookeeper.ClientCnxnSocketNetty");
    c.setProperty("zookeeper.ssl.keyStore.location", clientKeys.toString());
    c.setProperty("zookeeper.ssl.keyStore.password", PASSWORD);
    c.setProperty("zookeeper.ssl.trustStore.location", trust.toString());
    c.setProperty("zookeeper.ssl.trustStore.password", PASSWORD);
    return c;
  }
}
