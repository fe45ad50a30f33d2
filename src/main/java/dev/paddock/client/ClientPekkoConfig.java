package dev.paddock.client;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;

/**
 * Actor-system settings on the client side of the typed protocol. Servers start from the same
 * defaults (paddock-pekko.conf), so both ends agree on serializers and remoting.
 */
public final class ClientPekkoConfig {
  /** Name of every server's actor system: part of each server's peer address. */
  public static final String SERVER_SYSTEM = "paddock";
  /** Name of a server's session tracker inside the server's own actor system. */
  public static final String TRACKER_NAME = "sessions";
  /**
   * Name of the actor system a server opens for typed clients on its typed-client port; the
   * servers' own system (the peer port) does not accept clients.
   */
  public static final String CLIENT_SYSTEM = "paddock-clients";
  /** The entry actor of that system: the only actor a typed client may address by path. */
  public static final String ENTRY_NAME = "entry";
  public static final String ENTRY_PATH = "/user/" + ENTRY_NAME;

  private ClientPekkoConfig() {}

  /**
   * Puts Paddock's Pekko settings (paddock-pekko.conf) under the operator's own settings but
   * above Pekko's reference defaults: system properties and the application config are taken
   * again on top, so what an operator sets still wins.
   */
  public static Config withPaddockDefaults(Config loaded) {
    return withDefaults(loaded, "paddock-pekko");
  }

  /**
   * The given resources (earlier ones win) under the operator's own settings but above
   * {@code loaded}, which holds Pekko's reference defaults.
   */
  public static Config withDefaults(Config loaded, String... resources) {
    Config layered = ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.defaultApplication());
    for (String resource : resources) {
      layered = layered.withFallback(ConfigFactory.parseResourcesAnySyntax(
          ClientPekkoConfig.class.getClassLoader(), resource));
    }
    return layered.withFallback(loaded);
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
