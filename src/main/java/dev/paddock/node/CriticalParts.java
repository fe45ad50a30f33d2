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
  private String stopWhenThere;

  CriticalParts(ActorContext<QuorumPeer.Command> ctx) {
    this.ctx = ctx;
  }

  void watch(String name, ActorRef<?> part) {
    parts.put(name, part);
    ctx.watchWith(part, new QuorumPeer.PartStopped(name));
    stopIfAsked();
  }

  void stopped(String name) {
    if (shuttingDown) {
      return;
    }
    shuttingDown = true;
    ctx.getLog().error("the {} stopped unexpectedly; shutting the node down", name);
    CoordinatedShutdown.get(ctx.getSystem()).run(PART_STOPPED);
  }

  /**
   * Fault tests: stops a part as a failure would, as soon as it exists; "guardian" fails the
   * guardian itself.
   */
  void stopWhenThere(String name) {
    stopWhenThere = name;
    stopIfAsked();
  }

  private void stopIfAsked() {
    if ("guardian".equals(stopWhenThere)) {
      throw new IllegalStateException("guardian failed on request (fault test)");
    }
    ActorRef<?> part = stopWhenThere == null ? null : parts.get(stopWhenThere);
    if (part != null) {
      ctx.getLog().warn("stopping the {} on request (fault test)", stopWhenThere);
      stopWhenThere = null;
      ctx.stop(part);
    }
  }
}
