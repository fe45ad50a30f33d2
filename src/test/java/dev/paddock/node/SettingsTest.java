package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.paddock.wire.ClientPortSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {
  @TempDir Path dir;

  private Settings settings(Map<String, Object> values) {
    return Settings.from(ConfigFactory.parseMap(values).withFallback(ConfigFactory.parseMap(
        Map.of("paddock.data-dir", dir.toString()))).withFallback(ConfigFactory.load()).resolve());
  }

  @Test
  void leaderHeartbeatDefaults() {
    Settings s = settings(Map.of());
    assertEquals(Duration.ofMillis(100), s.leaderBeat());
    assertEquals(Duration.ofMillis(800), s.leaderTimeout());
  }

  @Test
  void leaderTimeoutMustCoverTwoBeats() {
    ConfigError e = assertThrows(ConfigError.class, () -> settings(Map.of(
        "paddock.leader-beat", "300ms", "paddock.leader-timeout", "500ms")));
    assertEquals("paddock.leader-timeout", e.key());
    assertThrows(ConfigError.class, () -> settings(Map.of("paddock.leader-beat", "0ms")));
  }

  @Test
  void theClientPortGetsItsShare() {
    Settings s = settings(Map.of("paddock.client-port", 2345, "paddock.max-client-cnxns", 7,
        "paddock.four-letter-words", List.of("ruok"), "paddock.tick-time", "500ms"));
    ClientPortSettings c = s.forClientPort(QuorumPeer.JOURNAL);
    assertEquals(new ClientPortSettings("0.0.0.0", 2345, 7, 1048575, List.of("ruok"),
        "paddock.journal", new ClientPortSettings.Conf(1, dir, dir.resolve("log"), 500, 1000,
            10_000)), c);
  }

  @Test
  void onlySrvrByDefaultAndAListFromTheCommandLine() {
    assertEquals(List.of("srvr"), settings(Map.of()).fourLetterWords());
    java.util.Properties p = new java.util.Properties();
    p.setProperty("paddock.four-letter-words.0", "*");
    com.typesafe.config.Config c = ConfigFactory.parseProperties(p)
        .withFallback(ConfigFactory.load()).resolve();
    assertEquals(List.of("*"), Settings.from(c).fourLetterWords());
    KnownKeys.check(c);
  }
}
