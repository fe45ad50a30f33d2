package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.security.Certificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When plain TCP between servers is allowed, and what TLS settings become in Pekko's terms. */
class PeerTlsTest {
  @TempDir Path dir;

  private static final PeerTls PLAIN = new PeerTls("", "", "", "");

  private static ServerSpec server(int id, String host) {
    return new ServerSpec(id, host, 2888 + id, 2181 + id, false);
  }

  @Test
  void anAllLoopbackEnsembleMayTalkPlainTcpAndIsToldSo() {
    assertTrue(PLAIN.checkFor(List.of(server(1, "127.0.0.1"), server(2, "localhost"),
        server(3, "127.0.0.3"))));
  }

  @Test
  void aStandaloneServerNeedsNoPeerTls() {
    assertFalse(PLAIN.checkFor(List.of()));
  }

  @Test
  void aNonLoopbackServerWithoutTlsRefusesNamingTheSettings() {
    ConfigError e = assertThrows(ConfigError.class, () -> PLAIN.checkFor(List.of(
        server(1, "127.0.0.1"), server(2, "192.0.2.7"), server(3, "127.0.0.1"))));
    assertEquals("paddock.peer-tls", e.key());
    for (String key : List.of("key-store", "key-store-password", "trust-store",
        "trust-store-password", "192.0.2.7", "gen-certs")) {
      assertTrue(e.getMessage().contains(key), e.getMessage());
    }
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void halfAConfigurationIsRefused() {
    ConfigError e = assertThrows(ConfigError.class, () -> new PeerTls("k.p12", "x", "", "")
        .checkFor(List.of(server(1, "127.0.0.1"))));
    assertEquals("paddock.peer-tls.trust-store", e.key());
  }

  @Test
  void storesAreOpenedAtStartSoAWrongPasswordIsNamed() throws Exception {
    Certificates.Issued ca = Certificates.newAuthority("test", Duration.ofDays(1));
    Path keys = dir.resolve("k.p12");
    Path trust = dir.resolve("t.p12");
    Certificates.issue(ca, "CN=s1", List.of("10.0.0.1"), Duration.ofDays(1))
        .writeKeyStore(keys, "kpass".toCharArray());
    Certificates.writeTrustStore(ca.certificate(), trust, "tpass".toCharArray());
    List<ServerSpec> remote = List.of(server(1, "192.0.2.1"), server(2, "192.0.2.2"));

    assertFalse(new PeerTls(keys.toString(), "kpass", trust.toString(), "tpass")
        .checkFor(remote));
    ConfigError wrong = assertThrows(ConfigError.class, () -> new PeerTls(keys.toString(),
        "nope", trust.toString(), "tpass").checkFor(remote));
    assertEquals("paddock.peer-tls.key-store", wrong.key());
    ConfigError missing = assertThrows(ConfigError.class, () -> new PeerTls(keys.toString(),
        "kpass", dir.resolve("absent.p12").toString(), "tpass").checkFor(remote));
    assertEquals("paddock.peer-tls.trust-store", missing.key());
  }

  @Test
  void anEnsembleWithTlsRunsArteryOverMutualTls13() {
    Config loaded = ConfigFactory.parseMap(Map.of(
        "paddock.data-dir", dir.toString(),
        "paddock.peer-tls.key-store", "keys.p12",
        "paddock.peer-tls.key-store-password", "kp",
        "paddock.peer-tls.trust-store", "/etc/trust.p12",
        "paddock.peer-tls.trust-store-password", "tp"))
        .withFallback(ConfigFactory.parseString("paddock.servers = [{id = 1, host = "
            + "\"127.0.0.1\", peer-port = 2888, client-port = 2181, role = voter}]"))
        .withFallback(ConfigFactory.load()).resolve();
    Config pekko = PekkoConfig.forNode(Settings.from(loaded), loaded);
    assertEquals("tls-tcp", pekko.getString("pekko.remote.artery.transport"));
    Config engine = pekko.getConfig("pekko.remote.artery.ssl.config-ssl-engine");
    assertEquals(Path.of("keys.p12").toAbsolutePath().toString(), engine.getString("key-store"));
    assertEquals("kp", engine.getString("key-store-password"));
    assertEquals("kp", engine.getString("key-password"));
    assertEquals("/etc/trust.p12", engine.getString("trust-store"));
    assertEquals("tp", engine.getString("trust-store-password"));
    assertEquals("TLSv1.3", engine.getString("protocol"));
    assertTrue(engine.getBoolean("require-mutual-authentication"));
    assertTrue(engine.getStringList("enabled-algorithms").contains("TLS_AES_256_GCM_SHA384"));

    Config plain = ConfigFactory.parseMap(Map.of("paddock.data-dir", dir.toString()))
        .withFallback(loaded.withoutPath("paddock.peer-tls")).withFallback(ConfigFactory.load())
        .resolve();
    assertEquals("tcp", PekkoConfig.forNode(Settings.from(plain), plain)
        .getString("pekko.remote.artery.transport"));
  }
}
