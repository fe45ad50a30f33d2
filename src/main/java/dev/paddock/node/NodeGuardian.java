package dev.paddock.node;

import dev.paddock.zab.CrashPoints;
import org.apache.pekko.actor.typed.Behavior;

/** The root behavior of a node's actor system. */
public final class NodeGuardian {
  private NodeGuardian() {}

  public static Behavior<QuorumPeer.Command> create(Settings settings) {
    return QuorumPeer.create(settings, CrashPoints.NONE);
  }
}
