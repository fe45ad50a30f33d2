package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.client.ClientPekkoConfig;
import java.util.Map;

/**
 * Derives the actor system's configuration from Paddock's settings, so that operators only ever
 * set {@code paddock.*} keys: remoting address, persistence plugins and their directories.
 */
public final class PekkoConfig {
  public static final String SYSTEM_NAME = ClientPekkoConfig.SERVER_SYSTEM;

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
      PeerTls tls = PeerTls.from(loaded);
      derived.putAll(tls.pekkoSettings());
      if (!tls.enabled()) {
        // Plain TCP is allowed because every server is on loopback: it must listen there too,
        // whatever bind address the Pekko settings name.
        derived.put("pekko.remote.artery.bind.hostname", s.host());
      }
    } else {
      // Typed clients have their own endpoint and a standalone server has no peers: its own
      // actor system, with its sessions and tree, listens on no port at all.
      derived.put("pekko.actor.provider", "local");
    }
    return ConfigFactory.parseMap(derived).withFallback(withPaddockDefaults(loaded)).resolve();
  }

  /**
   * Paddock's Pekko settings (paddock-pekko.conf) and a server's dispatching
   * (paddock-node-pekko.conf) under the operator's own settings, which are taken again on top.
   */
  public static Config withPaddockDefaults(Config loaded) {
    return ClientPekkoConfig.withDefaults(loaded, "paddock-node-pekko", "paddock-pekko");
  }

  public static Config forClient(String host) {
    return ClientPekkoConfig.forClient(host);
  }
}
