package dev.paddock.door;

import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The one actor typed clients may address by path on the typed-client port. Each connect gets
 * its own {@link SessionProxy} under a random 128-bit name, and only through it does the client
 * reach its session: the session tracker and the session actors of the server's actor system
 * are never exposed to clients. Takes the client's {@link SessionTrackerActor.Connect} as it
 * comes off the network, besides {@link TrackerReady} from the server.
 */
public final class TypedEntry extends AbstractBehavior<Object> {

  /** The server's session tracker, once it exists (after storage recovery). */
  public record TrackerReady(ActorRef<SessionTrackerActor.Command> tracker) {}

  private static final SecureRandom RANDOM = new SecureRandom();

  private final String serverSystem;
  private ActorRef<SessionTrackerActor.Command> tracker;

  /** @param serverSystem name of the server's actor system (same JVM) that holds the sessions */
  public static Behavior<Object> create(String serverSystem) {
    return Behaviors.setup(ctx -> new TypedEntry(ctx, serverSystem));
  }

  private TypedEntry(ActorContext<Object> ctx, String serverSystem) {
    super(ctx);
    this.serverSystem = serverSystem;
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(SessionTrackerActor.Connect.class, this::onConnect)
        .onMessage(TrackerReady.class, t -> {
          tracker = t.tracker();
          return this;
        })
        .build();
  }

  private Behavior<Object> onConnect(SessionTrackerActor.Connect c) {
    if (c.frontDoor() == null) {
      return this;
    }
    if (tracker == null) {
      // The client tries again (here or at another server) after a short pause.
      c.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.UNAVAILABLE,
          "this server is still starting"));
      return this;
    }
    byte[] name = new byte[16];
    RANDOM.nextBytes(name);
    getContext().spawn(SessionProxy.create(c, tracker, serverSystem),
        HexFormat.of().formatHex(name));
    return this;
  }
}
