package dev.paddock.node;

import org.apache.pekko.actor.typed.Behavior;

/** The root behavior of a node's actor system. */
public final class NodeGuardian {
  private NodeGuardian() {}

  public static Behavior<StandaloneServer.Command> create(Settings settings) {
    if (!settings.standalone()) {
      throw new ConfigError("paddock.servers", "ensembles are not supported by this build yet");
    }
    return StandaloneServer.create(settings);
  }
}
