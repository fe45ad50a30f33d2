package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;

/**
 * Rejects misspelt settings at any depth under {@code paddock}: every key must be one that
 * reference.conf has, so a setting added there is known at once. A {@code servers} entry may
 * have the keys of {@code paddock-keys.servers-entry}. Sections that Pekko reads (the storage
 * plugins, the snapshot dispatcher) also take the keys of the Pekko section they extend.
 */
final class KnownKeys {
  /** Where the keys of a {@code paddock.servers} entry are listed, in reference.conf. */
  static final String SERVERS_ENTRY = "paddock-keys.servers-entry";

  private static final Map<String, String> PEKKO_SECTIONS = Map.of(
      "paddock.journal", "pekko.persistence.journal-plugin-fallback",
      "paddock.snapshot-store", "pekko.persistence.snapshot-store-plugin-fallback",
      "paddock.snapshot-io-dispatcher", "pekko.actor.default-dispatcher");

  private KnownKeys() {}

  static void check(Config loaded) {
    // Not defaultReference(): that one already carries -D overrides, typos included. The
    // unresolved reference is the parse ConfigFactory.load() cached, without them.
    Config reference = ConfigFactory.defaultReferenceUnresolved(
        KnownKeys.class.getClassLoader()).resolve();
    walk(reference.getObject("paddock"), loaded.getObject("paddock"), "paddock", loaded);
    ConfigObject entry = reference.getObject(SERVERS_ENTRY);
    ConfigValue servers = loaded.getValue("paddock.servers");
    if (servers.valueType() == ConfigValueType.LIST) {
      ConfigList list = (ConfigList) servers;
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) instanceof ConfigObject server) {
          checkServer(entry, server, i);
        }
      }
    }
    try {
      loaded.checkValid(reference, "paddock");
    } catch (ConfigException.ValidationFailed e) {
      ConfigException.ValidationProblem first = e.problems().iterator().next();
      throw new ConfigError(first.path(), first.problem());
    }
  }

  private static void walk(ConfigObject known, ConfigObject actual, String path, Config loaded) {
    String pekko = PEKKO_SECTIONS.get(path);
    if (pekko != null && loaded.hasPath(pekko)) {
      known = known.withFallback(loaded.getObject(pekko));
    }
    for (Map.Entry<String, ConfigValue> e : actual.entrySet()) {
      String key = path + "." + e.getKey();
      ConfigValue ref = known.get(e.getKey());
      if (ref == null) {
        throw new ConfigError(key, "unknown setting (not in reference.conf; misspelt?)");
      }
      if (ref instanceof ConfigObject refObject && e.getValue() instanceof ConfigObject obj) {
        walk(refObject, obj, key, loaded);
      }
    }
  }

  private static void checkServer(ConfigObject known, ConfigObject server, int index) {
    for (String key : server.keySet()) {
      if (!known.containsKey(key)) {
        ConfigValue id = server.get("id");
        String which = id == null ? "" : " (server " + id.unwrapped() + ")";
        throw new ConfigError("paddock.servers[" + index + "]." + key, "unknown key in this "
            + "servers entry" + which + "; an entry takes " + String.join(", ", known.keySet()));
      }
    }
  }
}
