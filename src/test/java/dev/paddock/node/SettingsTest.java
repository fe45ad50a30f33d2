package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.time.Duration;
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
}
