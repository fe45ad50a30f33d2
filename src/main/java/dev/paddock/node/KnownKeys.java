package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.Map;

/** Rejects misspelt settings: a key under {@code paddock} that the defaults do not have. */
final class KnownKeys {
  private KnownKeys() {}

  static void check(Config loaded) {
    // Not defaultReference(): that one already carries -D overrides, typos included.
    Config defaults = ConfigFactory.parseResourcesAnySyntax(KnownKeys.class.getClassLoader(),
        "reference").getConfig("paddock");
    Config actual = loaded.getConfig("paddock");
    for (Map.Entry<String, ?> e : actual.root().entrySet()) {
      if (!defaults.root().containsKey(e.getKey())) {
        throw new ConfigError("paddock." + e.getKey(), "unknown setting");
      }
    }
  }
}
