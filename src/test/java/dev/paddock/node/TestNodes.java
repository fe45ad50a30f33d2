package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Map;

/** Configuration for nodes started inside a test JVM: temp dirs, ephemeral ports, fast ticks. */
public final class TestNodes {
  private TestNodes() {}

  public static Config standaloneConfig(Path dataDir, Map<String, Object> overrides) {
    Map<String, Object> base = new java.util.HashMap<>(Map.of(
        "paddock.data-dir", dataDir.toString(),
        "paddock.peer-port", 0,
        "paddock.client-port", 0,
        "paddock.tick-time", "200ms",
        "paddock.session-secret", "test-secret"));
    base.putAll(overrides);
    Config loaded = ConfigFactory.parseMap(base).withFallback(ConfigFactory.load()).resolve();
    Settings settings = Settings.from(loaded);
    return PekkoConfig.forNode(settings, loaded);
  }
}
