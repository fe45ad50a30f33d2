package dev.paddock.node;

import dev.paddock.wire.ClientPortServer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * The node's ZooKeeper client port, opened once. Who asks for its bound address before it is
 * open gets the answer when it opens: serving and opening the port are separate steps, since the
 * port also waits for the typed-client endpoint.
 */
final class ClientPortSlot {
  private final ActorContext<?> ctx;
  private final CriticalParts critical;
  private final List<ActorRef<InetSocketAddress>> waiting = new ArrayList<>();
  private ActorRef<ClientPortServer.Command> port;

  ClientPortSlot(ActorContext<?> ctx, CriticalParts critical) {
    this.ctx = ctx;
    this.critical = critical;
  }

  boolean isOpen() {
    return port != null;
  }

  /** Spawns the port's server, unless it is open already. */
  void open(Supplier<Behavior<ClientPortServer.Command>> server) {
    if (port != null) {
      return;
    }
    port = ctx.spawn(server.get(), "client-port");
    critical.watch("client port", port);
    waiting.forEach(this::askBoundAddress);
    waiting.clear();
  }

  void askBoundAddress(ActorRef<InetSocketAddress> replyTo) {
    if (port == null) {
      waiting.add(replyTo);
    } else {
      port.tell(new ClientPortServer.GetBoundAddress(replyTo));
    }
  }
}
