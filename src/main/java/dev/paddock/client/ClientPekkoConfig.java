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
  /** Name of every server's actor system: part of each server's remote address. */
  public static final String SERVER_SYSTEM = "paddock";
  /** Path of a server's session tracker, the one entry point of typed clients. */
  public static final String TRACKER_NAME = "sessions";

  private ClientPekkoConfig() {}

  /**
   * Puts Paddock's Pekko settings (paddock-pekko.conf) under the operator's own settings but
   * above Pekko's reference defaults: system properties and the application config are taken
   * again on top, so what an operator sets still wins.
   */
  public static Config withPaddockDefaults(Config loaded) {
    return ConfigFactory.defaultOverrides()
        .withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.parseResourcesAnySyntax(
            ClientPekkoConfig.class.getClassLoader(), "paddock-pekko"))
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
