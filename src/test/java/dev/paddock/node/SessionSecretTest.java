package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionSecretTest {
  @TempDir Path dir;

  private Settings ensemble(String secret, String host2) {
    Map<String, Object> values = new HashMap<>(Map.of(
        "paddock.data-dir", dir.toString(),
        "paddock.session-secret", secret,
        "paddock.servers", List.of(
            Map.of("id", 1, "host", "127.0.0.1", "peer-port", 2888, "client-port", 2181),
            Map.of("id", 2, "host", host2, "peer-port", 2889, "client-port", 2182))));
    return Settings.from(ConfigFactory.parseMap(values).withFallback(ConfigFactory.load())
        .resolve());
  }

  @Test
  void theSampleIsTheOneApplicationConfShips() {
    assertEquals(SessionSecret.SAMPLE, ConfigFactory.parseFile(Path.of("application.conf")
        .toFile()).getString("paddock.session-secret"));
  }

  @Test
  void anEnsembleBeyondLoopbackRefusesTheSampleSecret() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> SessionSecret.checkEnsemble(ensemble(SessionSecret.SAMPLE, "10.1.2.3")));
    assertEquals("paddock.session-secret", e.key());
    assertTrue(e.getMessage().contains("server 2 (10.1.2.3)"), e.getMessage());
    assertDoesNotThrow(() -> SessionSecret.checkEnsemble(ensemble("a-long-random-secret",
        "10.1.2.3")));
  }

  @Test
  void anEnsembleRefusesAnEmptySecretEvenOnLoopback() {
    for (String host : List.of("10.1.2.3", "127.0.0.2")) {
      ConfigError e = assertThrows(ConfigError.class,
          () -> SessionSecret.checkEnsemble(ensemble("", host)));
      assertEquals("paddock.session-secret", e.key());
      assertTrue(e.getMessage().contains("cannot move between servers"), e.getMessage());
    }
  }

  @Test
  void anAllLoopbackEnsembleMayUseTheSample() {
    Settings s = ensemble(SessionSecret.SAMPLE, "localhost");
    assertDoesNotThrow(() -> SessionSecret.checkEnsemble(s));
    assertTrue(SessionSecret.weakness(s) != null);
  }

  @Test
  void theWrittenSecretIsReadableByItsOwnerOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Settings s = ensemble("", "127.0.0.1");
    byte[] secret = SessionSecret.resolve(s);
    Path file = dir.resolve("session-secret");
    assertEquals("rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertFalse(Files.exists(dir.resolve("session-secret.tmp")));
    assertArrayEquals(secret, SessionSecret.resolve(s), "read back on restart");
  }
}
