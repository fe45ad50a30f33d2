package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the TLS port's settings: defaults, and one named key for whatever is missing. */
class ClientTlsSettingsTest {
  @TempDir static Path dir;
  static TlsFixture tls;

  @BeforeAll
  static void certificates() throws Exception {
    tls = new TlsFixture(dir);
  }

  private static Config config(Map<String, Object> settings) {
    return ConfigFactory.parseMap(settings).withFallback(ConfigFactory.load()).resolve();
  }

  private static Map<String, Object> complete() {
    return new HashMap<>(tls.serverSettings(""));
  }

  private static String missingKey(Map<String, Object> settings) {
    ClientTlsSettings.Invalid e = assertThrows(ClientTlsSettings.Invalid.class,
        () -> ClientTls.load(ClientTlsSettings.from(config(settings))));
    assertNotNull(e.getMessage());
    return e.key();
  }

  @Test
  void offByDefault() {
    ClientTlsSettings s = ClientTlsSettings.from(ConfigFactory.load());
    assertFalse(s.enabled());
    assertEquals(ClientTlsSettings.ClientAuth.NEED, s.clientAuth());
    assertEquals(List.of("TLSv1.3", "TLSv1.2"), s.protocolsToEnable());
  }

  @Test
  void completeSettingsLoadAndAskForClientCertificates() {
    ClientTlsSettings s = ClientTlsSettings.from(config(complete()));
    assertTrue(s.enabled());
    assertEquals(0, s.port());
    SSLEngine engine = ClientTls.load(s).newEngine();
    assertTrue(engine.getNeedClientAuth());
    assertFalse(engine.getUseClientMode());
  }

  @Test
  void aSecurePortWithoutAKeyStoreNamesIt() {
    Map<String, Object> m = complete();
    m.remove("paddock.ssl.keyStore.location");
    assertEquals("paddock.ssl.keyStore.location", missingKey(m));
  }

  @Test
  void aSecurePortWithoutAKeyStorePasswordNamesIt() {
    Map<String, Object> m = complete();
    m.remove("paddock.ssl.keyStore.password");
    assertEquals("paddock.ssl.keyStore.password", missingKey(m));
  }

  @Test
  void clientAuthNeedsATrustStoreUnlessNone() {
    Map<String, Object> m = complete();
    m.remove("paddock.ssl.trustStore.location");
    assertEquals("paddock.ssl.trustStore.location", missingKey(m));
    m.put("paddock.ssl.clientAuth", "none");
    assertFalse(ClientTls.load(ClientTlsSettings.from(config(m))).newEngine()
        .getNeedClientAuth());
  }

  @Test
  void aWrongPasswordOrMissingFileOrUnknownValueNamesTheKey() {
    Map<String, Object> m = complete();
    m.put("paddock.ssl.keyStore.password", "wrong");
    assertEquals("paddock.ssl.keyStore.password", missingKey(m));
    m = complete();
    m.put("paddock.ssl.trustStore.location", dir.resolve("absent.p12").toString());
    assertEquals("paddock.ssl.trustStore.location", missingKey(m));
    m = complete();
    m.put("paddock.ssl.clientAuth", "sometimes");
    assertEquals("paddock.ssl.clientAuth", missingKey(m));
    m = complete();
    m.put("paddock.ssl.ciphersuites", "TLS_NOT_A_SUITE");
    assertEquals("paddock.ssl.ciphersuites", missingKey(m));
    m = complete();
    m.put("paddock.ssl.x509-super-user", "not a dn");
    assertEquals("paddock.ssl.x509-super-user", missingKey(m));
    m = complete();
    m.put("paddock.secure-client-port", 70000);
    assertEquals("paddock.secure-client-port", missingKey(m));
  }

  @Test
  void aMisspeltKeyIsNamed() {
    Map<String, Object> m = complete();
    m.put("paddock.ssl.cipherSuites", "TLS_AES_128_GCM_SHA256");
    assertEquals("paddock.ssl.cipherSuites", missingKey(m));
  }

  @Test
  void settingsAreIgnoredWithoutASecurePort() {
    Map<String, Object> m = Map.of("paddock.ssl.keyStore.location", "/nowhere");
    assertFalse(ClientTlsSettings.from(config(m)).enabled());
  }
}
