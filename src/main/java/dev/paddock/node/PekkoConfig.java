package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;

/**
 * Derives the actor system's configuration from Paddock's settings, so that operators only ever
 * set {@code paddock.*} keys: remoting address, persistence plugins and their directories.
 */
public final class PekkoConfig {
  public static final String SYSTEM_NAME = "paddock";

  private PekkoConfig() {}

  public static Config forNode(Settings s, Config loaded) {
    Map<String, Object> derived = new java.util.HashMap<>(Map.of(
        "pekko.remote.artery.canonical.hostname", s.host(),
        "pekko.remote.artery.canonical.port", s.peerPort(),
        "paddock.journal.dir", s.dataLogDir().toAbsolutePath().toString(),
        "paddock.snapshot-store.dir", s.dataDir().resolve("snapshots").toAbsolutePath().toString()));
    if (!s.standalone()) {
      // Zab decides who leads; the cluster only carries traffic and reports reachability, so
      // nothing is ever downed automatically and a restarted server simply joins again.
      derived.put("pekko.actor.provider", "cluster");
      derived.put("pekko.cluster.seed-nodes", s.servers().stream()
          .map(spec -> "pekko://" + SYSTEM_NAME + "@" + spec.host() + ":" + spec.peerPort())
          .toList());
      derived.put("pekko.cluster.downing-provider-class", "");
    }
    return ConfigFactory.parseMap(derived).withFallback(withPaddockDefaults(loaded)).resolve();
  }

  /**
   * Puts Paddock's Pekko settings (paddock-pekko.conf) under the operator's own settings but
   * above Pekko's reference defaults: system properties and the application config are taken
   * again on top, so what an operator sets still wins.
   */
  public static Config withPaddockDefaults(Config loaded) {
    return ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResourcesAnySyntax(PekkoConfig.class.getClassLoader(),
            "paddock-pekko"))
        .withFallback(loaded);
  }

  /** Settings for a client-only actor system: remoting on an ephemeral port, no persistence. */
  public static Config forClient(String host) {
    return ConfigFactory.parseMap(Map.of(
            "pekko.remote.artery.canonical.hostname", host,
            "pekko.remote.artery.canonical.port", 0))
        .withFallback(withPaddockDefaults(ConfigFactory.load()))
        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("remote"))
        .resolve();
  }
}
