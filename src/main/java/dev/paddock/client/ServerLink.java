package dev.paddock.client;

import dev.paddock.session.SessionOutput;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The front door one connection attempt gives the server. A fresh link per attempt, stopped when
 * the client gives the connection up, means late messages from an abandoned server or session
 * land in dead letters instead of being mistaken for answers on the current connection.
 */
final class ServerLink {
  private ServerLink() {}

  static Behavior<SessionOutput> create(int linkId, ActorRef<PaddockClient.Command> client) {
    return Behaviors.receiveMessage(m -> {
      client.tell(new PaddockClient.FromServer(linkId, m));
      return Behaviors.same();
    });
  }
}
