package dev.paddock.door;

import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One typed client's connection to one session, inside the typed-client endpoint's actor system.
 * The client only ever holds this actor's ref (its name is random, 128 bits), so what a client
 * sends reaches its own session and nothing else; and every ref the endpoint serializes towards
 * clients points into the endpoint's system, never into the server's. Towards the session this
 * actor is the front door: it passes the session's output on to the client's link and the
 * client's requests (Submit, Ping, AddAuth, and nothing else) to the session.
 *
 * <p>The endpoint ignores system messages from clients, so it never hears that a client's link
 * stopped; a proxy that hears nothing from its client for a whole session timeout (a client
 * pings every third of it) stops, which detaches the session here: by then the session either
 * expired or lives on elsewhere.
 */
public final class SessionProxy extends AbstractBehavior<Object> {

  private record Tick() {}

  private final ActorRef<SessionOutput> client;
  private final String serverSystem;
  private final TimerScheduler<Object> timers;
  private ActorRef<SessionActor.Command> session;
  private long timeoutNanos;
  private long lastHeard;

  /**
   * @param connect the client's connect; its claimed identities are dropped here
   * @param serverSystem name of the actor system in this JVM whose sessions this proxy may reach
   */
  static Behavior<Object> create(SessionTrackerActor.Connect connect,
      ActorRef<SessionTrackerActor.Command> tracker, String serverSystem) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new SessionProxy(ctx, timers, connect, tracker, serverSystem)));
  }

  private SessionProxy(ActorContext<Object> ctx, TimerScheduler<Object> timers,
      SessionTrackerActor.Connect connect, ActorRef<SessionTrackerActor.Command> tracker,
      String serverSystem) {
    super(ctx);
    this.client = connect.frontDoor();
    this.serverSystem = serverSystem;
    this.timers = timers;
    ActorRef<SessionOutput> self = ctx.getSelf().narrow();
    tracker.tell(new SessionTrackerActor.Connect(connect.requestedTimeoutMs(),
        connect.sessionId(), connect.password(), connect.lastZxidSeen(), List.of(), self));
  }

  @Override
  public Receive<Object> createReceive() {
    return newReceiveBuilder()
        .onMessage(SessionOutput.class, this::fromSession)
        .onMessage(SessionActor.Submit.class, this::fromClient)
        .onMessage(SessionActor.Ping.class, this::fromClient)
        .onMessage(SessionActor.AddAuth.class, this::fromClient)
        .onMessage(Tick.class, t -> onTick())
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private Behavior<Object> fromSession(SessionOutput out) {
    if (out instanceof SessionOutput.Connected c) {
      // Only the session's own first answer opens the way; anything else claiming to be one
      // (it would have come off the network) is not passed on.
      if (session != null || !ofServer(c.session())) {
        return this;
      }
      session = c.session();
      getContext().watch(session);
      timeoutNanos = Math.max(1, c.timeoutMs()) * 1_000_000L;
      lastHeard = System.nanoTime();
      timers.startTimerWithFixedDelay(new Tick(),
          Duration.ofMillis(Math.max(50, c.timeoutMs() / 4)));
      client.tell(new SessionOutput.Connected(c.sessionId(), c.password(), c.timeoutMs(),
          c.lastZxid(), getContext().getSelf().narrow()));
      return this;
    }
    client.tell(out);
    return out instanceof SessionOutput.Closed ? Behaviors.stopped() : this;
  }

  private Behavior<Object> fromClient(Object request) {
    if (session == null) {
      return this;
    }
    lastHeard = System.nanoTime();
    session.tell((SessionActor.Command) request);
    return this;
  }

  private Behavior<Object> onTick() {
    if (System.nanoTime() - lastHeard > timeoutNanos) {
      getContext().getLog().debug("typed client silent for a session timeout; detaching");
      return Behaviors.stopped();
    }
    return this;
  }

  /** A session actor of the server's own system in this JVM; nothing from a network is. */
  private boolean ofServer(ActorRef<?> ref) {
    Address a = ref.path().address();
    return a.hasLocalScope() && a.system().equals(serverSystem);
  }
}
