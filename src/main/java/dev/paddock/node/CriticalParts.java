package dev.paddock.node;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The parts a server cannot run without: the tree, the session tracker, the peers gateway and
 * the client port (ZooKeeper's critical threads). None of them stops while the node runs, so
 * when one does it failed, and the node shuts down through CoordinatedShutdown, which makes the
 * process exit non-zero, instead of answering srvr while it cannot serve.
 */
final class CriticalParts {
  /** Why the node shut itself down; anything but a requested stop exits non-zero. */
  static final CoordinatedShutdown.Reason PART_STOPPED = new CoordinatedShutdown.Reason() {
    @Override
    public String toString() {
      return "a critical part of the server stopped";
    }
  };

  private final ActorContext<QuorumPeer.Command> ctx;
  private final Map<String, ActorRef<?>> parts = new LinkedHashMap<>();
  private boolean shuttingDown;

  CriticalParts(ActorContext<QuorumPeer.Command> ctx) {
    this.ctx = ctx;
  }

  void watch(String name, ActorRef<?> part) {
    parts.put(name, part);
    ctx.watchWith(part, new QuorumPeer.PartStopped(name));
  }

  void stopped(String name) {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    ctx.getLog().error("the {} stopped unexpectedly; shutting the node down", name);
    CoordinatedShutdown.get(ctx.getSystem()).run(PART_STOPPED);
  }

  /** Stops a part as a failure would, for fault tests; false when there is no such part. */
  boolean stop(String name) {
    ActorRef<?> part = parts.get(name);
    if (part == null) {
      return false;
    }
    ctx.getLog().warn("stopping the {} on request (fault test)", name);
    ctx.stop(part);
    return true;
  }
}
