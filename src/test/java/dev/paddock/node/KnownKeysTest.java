package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KnownKeysTest {
  private static Config load(String text) {
    return ConfigFactory.parseString(text).withFallback(ConfigFactory.load()).resolve();
  }

  private static ConfigError refused(String text) {
    return assertThrows(ConfigError.class, () -> KnownKeys.check(load(text)));
  }

  @Test
  void theRepositoryConfigurationsAreValid() {
    for (String file : new String[] {"application.conf", "node1.conf", "node2.conf",
        "node3.conf"}) {
      Config c = ConfigFactory.parseFile(Path.of(file).toFile(),
          com.typesafe.config.ConfigParseOptions.defaults().setAllowMissing(false))
          .withFallback(ConfigFactory.load()).resolve();
      assertDoesNotThrow(() -> KnownKeys.check(c), file);
    }
  }

  @Test
  void unknownTopLevelKey() {
    assertEquals("paddock.snap-cuont", refused("paddock.snap-cuont = 5").key());
  }

  @Test
  void unknownKeyInANestedSection() {
    assertEquals("paddock.admin.pasword", refused("paddock.admin.pasword = x").key());
    assertEquals("paddock.log.dirr", refused("paddock.log.dirr = x").key());
    assertEquals("paddock.journal.fsycn", refused("paddock.journal.fsycn = off").key());
  }

  @Test
  void pekkoSectionsTakeWhatPekkoReadsThere() {
    assertDoesNotThrow(() -> KnownKeys.check(load(
        "paddock.snapshot-io-dispatcher.thread-pool-executor.keep-alive-time = 30s\n"
        + "paddock.journal.recovery-event-timeout = 60s")));
    assertEquals("paddock.snapshot-io-dispatcher.thread-pool-executor.fixed-pool-sise",
        refused("paddock.snapshot-io-dispatcher.thread-pool-executor.fixed-pool-sise = 3")
            .key());
  }

  @Test
  void aMisspeltRoleInAServersEntryIsRefusedNotMadeAVoter() {
    ConfigError e = refused("paddock.servers = [\n"
        + "  { id = 1, host = \"127.0.0.1\", peer-port = 2888, client-port = 2181 },\n"
        + "  { id = 2, host = \"127.0.0.1\", peer-port = 2889, client-port = 2182,"
        + " rol = observer }]");
    assertEquals("paddock.servers[1].rol", e.key());
    assertTrue(e.getMessage().contains("(server 2)"), e.getMessage());
    assertTrue(e.getMessage().contains("role"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void everyKeyAServersEntryMayHaveIsAccepted() {
    assertDoesNotThrow(() -> KnownKeys.check(load("paddock.servers = [\n"
        + "  { id = 1, host = \"127.0.0.1\", peer-port = 2888, client-port = 2181,"
        + " role = voter, admin-port = 8081, admin-host = \"127.0.0.1\" }]")));
  }

  @Test
  void wrongTypeOfASectionIsRefused() {
    ConfigError e = refused("paddock.admin = 5");
    assertEquals("paddock.admin", e.key());
  }
}
