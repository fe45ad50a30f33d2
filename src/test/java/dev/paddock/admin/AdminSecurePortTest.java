package dev.paddock.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.paddock.security.Certificates;
import dev.paddock.wire.ClientPortStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin server of a node with a TLS client port reports it, and hides the store passwords. */
class AdminSecurePortTest {
  @TempDir Path dir;

  @Test
  void confReportsTheBoundSecurePortAndMasksStorePasswords() throws Exception {
    Certificates.Issued ca = Certificates.newAuthority("ca", Duration.ofDays(1));
    Path keys = dir.resolve("server.p12");
    Certificates.issue(ca, "CN=server", List.of("127.0.0.1"), Duration.ofDays(1))
        .writeKeyStore(keys, "store-secret".toCharArray());
    Path trust = dir.resolve("trust.p12");
    Certificates.writeTrustStore(ca.certificate(), trust, "store-secret".toCharArray());
    try (AdminNode node = AdminNode.start(dir.resolve("data"), Map.of(
        "paddock.secure-client-port", 0,
        "paddock.ssl.keyStore.location", keys.toString(),
        "paddock.ssl.keyStore.password", "store-secret",
        "paddock.ssl.trustStore.location", trust.toString(),
        "paddock.ssl.trustStore.password", "store-secret"))) {
      int secure = ClientPortStats.get(node.system).secureClientPort();
      assertTrue(secure > 0, "no secure port bound");
      JsonNode conf = AdminHttp.get(node.base, "/commands/conf").json();
      assertEquals(secure, conf.get("secure_client_port").asInt(), conf.toString());
      assertEquals(node.clientPort, conf.get("client_port").asInt(), conf.toString());
      String initial = AdminHttp.get(node.base, "/commands/initial_configuration").body();
      assertTrue(initial.contains("keyStore"), initial);
      assertFalse(initial.contains("store-secret"), "a store password is shown: " + initial);
    }
  }
}
