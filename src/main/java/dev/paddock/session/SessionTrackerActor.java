package dev.paddock.session;

import dev.paddock.api.Id;
import dev.paddock.request.Op;
import dev.paddock.request.WritePath;
import dev.paddock.request.WriteRequest;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeView;
import dev.paddock.txn.Zxid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Sessions of one server. Every server opens sessions for its clients (one {@link SessionActor}
 * child each) and checks re-attaching clients; the server that leads also owns expiry: it keeps
 * the deadlines of every session in the ensemble and proposes a closeSession txn for each one
 * that goes silent. Learners collect which sessions they heard from and hand the ids to their
 * role actor, which forwards them to the leader with its pings.
 */
public final class SessionTrackerActor extends AbstractBehavior<SessionTrackerActor.Command> {

  public sealed interface Command {}

  /**
   * A front door asks to open a new session (id 0) or to re-attach an existing one.
   * {@code connectionIds} are identities the front door verified (the wire's ip address); they
   * are believed only when {@code fromWire}, which only the client port's connection sets: the
   * serializer never reads it, so a connect that came over a network always has it false,
   * whatever front door it names (a remote system can name a ref that resolves as local here).
   */
  public record Connect(int requestedTimeoutMs, long sessionId, byte[] password,
      long lastZxidSeen, List<Id> connectionIds, ActorRef<SessionOutput> frontDoor,
      boolean fromWire) implements Command {
    /** A connect whose identities are not believed: a typed client's, or one from elsewhere. */
    public Connect(int requestedTimeoutMs, long sessionId, byte[] password, long lastZxidSeen,
        List<Id> connectionIds, ActorRef<SessionOutput> frontDoor) {
      this(requestedTimeoutMs, sessionId, password, lastZxidSeen, connectionIds, frontDoor, false);
    }
  }

  /** The client of this session showed signs of life here. */
  public record Touch(long sessionId) implements Command {}

  /** Touches forwarded by a learner to the leader. */
  public record TouchAll(List<Long> sessionIds) implements Command {}

  /** This server's role changed: new write path; sessions open here end (clients reconnect). */
  /**
   * @param writes where writes go now; null while no role serves
   * @param dropClients end local sessions' connections at once (this server will not serve
   *     soon: its storage failed) instead of holding them for the next leader
   */
  public record RoleChanged(ActorRef<WritePath> writes, boolean leading, boolean dropClients)
      implements Command {
    public RoleChanged(ActorRef<WritePath> writes, boolean leading) {
      this(writes, leading, false);
    }
  }

  /** A session txn committed (leader only): start or stop tracking its deadline. */
  public record Track(long sessionId, int timeoutMs) implements Command {}

  public record Untrack(long sessionId) implements Command {}

  /** Learners: hand over the ids touched since the last call. */
  public record DrainTouched(ActorRef<List<Long>> replyTo) implements Command {}

  public record GetLocalSessions(ActorRef<List<Long>> replyTo) implements Command {}

  /** The leader's answer to a re-attach this tracker asked it to check. */
  public record Revalidated(long sessionId, long token, boolean valid) implements Command {}

  private record Tick() implements Command {}

  private record SessionStopped(long sessionId, ActorRef<SessionActor.Command> ref)
      implements Command {}

  /**
   * What a tracker needs from its server. {@code maxConnectHoldMs} bounds how long a connect
   * waits while the server looks for a leader.
   */
  public record Config(int serverId, byte[] secret, int minTimeoutMs, int maxTimeoutMs,
      int tickMs, String superDigest, long maxConnectHoldMs) {
    public Config(int serverId, byte[] secret, int minTimeoutMs, int maxTimeoutMs, int tickMs,
        String superDigest) {
      this(serverId, secret, minTimeoutMs, maxTimeoutMs, tickMs, superDigest, 0);
    }
  }

  private record Held(Connect connect, long deadlineNanos) {}

  /** A re-attach waiting for the leader's word on whether the session lives. */
  private record Asking(Connect connect, int timeoutMs, long deadlineNanos) {}

  private final Config config;
  private final TreeView view;
  private final ActorRef<DataTreeActor.Command> tree;
  private final SessionIds ids;
  private final SessionTable table;
  private final Map<Long, ActorRef<SessionActor.Command>> local = new HashMap<>();
  private final Set<Long> touched = new HashSet<>();
  private final List<Held> held = new ArrayList<>();
  private long lastTickNanos = System.nanoTime();
  private final Map<Long, Asking> asking = new HashMap<>();
  private long tokens;
  /** Expired here, closeSession proposed but not yet committed: no longer re-attachable. */
  private final Set<Long> closing = new HashSet<>();
  private final AuditLog audit;
  private ActorRef<WritePath> writes;
  private boolean leading;
  private long children;

  public static Behavior<Command> create(Config config, TreeView view,
      ActorRef<DataTreeActor.Command> tree) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new SessionTrackerActor(ctx, timers, config, view, tree)));
  }

  private SessionTrackerActor(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      Config config, TreeView view, ActorRef<DataTreeActor.Command> tree) {
    super(ctx);
    this.config = config;
    this.view = view;
    this.tree = tree;
    this.ids = new SessionIds(config.serverId(), config.secret(), System.currentTimeMillis());
    this.table = new SessionTable(config.tickMs());
    this.audit = AuditLog.lenient(ctx.getSystem().settings().config());
    timers.startTimerWithFixedDelay(new Tick(), Duration.ofMillis(config.tickMs()));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connect.class, this::onConnect)
        .onMessage(Touch.class, t -> {
          touch(t.sessionId());
          return this;
        })
        .onMessage(TouchAll.class, t -> {
          t.sessionIds().forEach(this::touch);
          return this;
        })
        .onMessage(RoleChanged.class, this::onRoleChanged)
        .onMessage(Track.class, t -> {
          table.track(t.sessionId(), t.timeoutMs(), now());
          return this;
        })
        .onMessage(Untrack.class, u -> {
          table.remove(u.sessionId());
          closing.remove(u.sessionId());
          return this;
        })
        .onMessage(DrainTouched.class, d -> {
          d.replyTo().tell(new ArrayList<>(touched));
          touched.clear();
          return this;
        })
        .onMessage(GetLocalSessions.class, g -> {
          g.replyTo().tell(new ArrayList<>(local.keySet()));
          return this;
        })
        .onMessage(Revalidated.class, this::onRevalidated)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(SessionStopped.class, s -> {
          local.remove(s.sessionId(), s.ref());
          return this;
        })
        .onSignal(Terminated.class, t -> this)
        .build();
  }

  /**
   * While the server looks for a leader a connect waits (up to a third of the client's session
   * timeout, so the client never gives up on the handshake first) instead of being turned away:
   * a ZooKeeper client that is turned away sleeps up to a second before its next attempt, which
   * would add to every fail-over.
   */
  private Behavior<Command> onConnect(Connect c) {
    if (writes == null) {
      long holdMs = Math.min(config.maxConnectHoldMs(), c.requestedTimeoutMs() / 3L);
      if (holdMs > 0) {
        held.add(new Held(c, System.nanoTime() + holdMs * 1_000_000L));
      } else {
        turnAway(c);
      }
      return this;
    }
    int timeout = Math.max(config.minTimeoutMs(), Math.min(config.maxTimeoutMs(),
        c.requestedTimeoutMs()));
    TreeSnapshot latest = view.latest();
    if (c.lastZxidSeen() > latest.zxid()) {
      c.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.STALE_SERVER,
          "client has seen zxid " + Zxid.toHex(c.lastZxidSeen()) + ", this server only "
              + Zxid.toHex(latest.zxid())));
      return this;
    }
    long id = c.sessionId();
    if (id == 0) {
      attach(c, ids.nextId(), timeout, true);
    } else if (!ids.passwordMatches(id, c.password()) || closing.contains(id)) {
      expired(c);
    } else {
      // Only the leader knows: this server's tree may not yet hold a session just created.
      long token = ++tokens;
      asking.put(token, new Asking(c, timeout,
          System.nanoTime() + Math.max(1, c.requestedTimeoutMs() / 3L) * 1_000_000L));
      writes.tell(new WritePath.Revalidate(id, token));
    }
    return this;
  }

  private static void expired(Connect c) {
    c.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.EXPIRED,
        "session 0x" + Long.toHexString(c.sessionId()) + " is expired or its password is wrong"));
  }

  private Behavior<Command> onRevalidated(Revalidated r) {
    Asking a = asking.remove(r.token());
    if (a == null) {
      return this;
    }
    if (!r.valid()) {
      expired(a.connect());
    } else if (writes == null) {
      turnAway(a.connect());
    } else {
      attach(a.connect(), r.sessionId(), a.timeoutMs(), false);
    }
    return this;
  }

  private void attach(Connect c, long id, int timeout, boolean isNew) {
    ActorRef<SessionActor.Command> previous = local.remove(id);
    if (previous != null) {
      previous.tell(new SessionActor.Supersede(SessionOutput.Reason.MOVED,
          "session re-attached on another connection"));
    }
    SessionActor.Context env = new SessionActor.Context(tree, writes, getContext().getSelf(),
        view, config.superDigest(), Math.max(1, config.tickMs() / 4));
    List<Id> verified = c.fromWire() && c.connectionIds() != null
        ? c.connectionIds() : List.of();
    ActorRef<SessionActor.Command> session = getContext().spawn(
        SessionActor.create(id, ids.passwordFor(id), timeout, isNew, c.frontDoor(),
            verified, c.fromWire(), env),
        "session-" + Long.toHexString(id) + "-" + (++children));
    getContext().watchWith(session, new SessionStopped(id, session));
    local.put(id, session);
    if (!isNew && leading) {
      table.track(id, timeout, now());
    }
  }

  /** True for an actor of {@code system} itself, not one of another system or another host. */
  static boolean inSystem(ActorRef<?> ref, org.apache.pekko.actor.typed.ActorSystem<?> system) {
    org.apache.pekko.actor.Address a = ref.path().address();
    return a.hasLocalScope() && a.system().equals(system.name());
  }

  private static void turnAway(Connect c) {
    c.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.UNAVAILABLE,
        "this server is not serving clients right now"));
  }

  private Behavior<Command> onRoleChanged(RoleChanged r) {
    if (r.dropClients()) {
      for (ActorRef<SessionActor.Command> s : local.values()) {
        s.tell(new SessionActor.Supersede(SessionOutput.Reason.UNAVAILABLE,
            "this server's storage failed; reconnect"));
      }
      local.clear();
    } else if (!java.util.Objects.equals(writes, r.writes())) {
      // Sessions keep their connections through a leader change; see SessionActor.Detached.
      for (ActorRef<SessionActor.Command> s : local.values()) {
        s.tell(r.writes() == null ? new SessionActor.Detached(config.maxConnectHoldMs())
            : new SessionActor.Reattached(r.writes()));
      }
    }
    writes = r.writes();
    boolean wasLeading = leading;
    leading = r.leading();
    if (leading && !wasLeading) {
      rearmAll();
    } else if (!leading) {
      closing.clear();
    }
    if (writes != null && !held.isEmpty()) {
      List<Held> waiting = new ArrayList<>(held);
      held.clear();
      for (Held h : waiting) {
        onConnect(h.connect());
      }
    }
    return this;
  }

  /** A new leader gives every live session a fresh full timeout (ZooKeeper does the same). */
  private void rearmAll() {
    var it = view.latest().sessions().iterator();
    long now = now();
    while (it.hasNext()) {
      var e = it.next();
      table.track(e._1(), e._2(), now);
    }
  }

  private void touch(long sessionId) {
    if (leading) {
      table.touch(sessionId, now());
    } else {
      touched.add(sessionId);
    }
  }

  private Behavior<Command> onTick() {
    long gapMs = (System.nanoTime() - lastTickNanos) / 1_000_000;
    lastTickNanos = System.nanoTime();
    if (gapMs > 2L * config.tickMs()) {
      // The tick runs every tick-time: a longer gap is time this server was not running.
      getContext().getLog().info("resumed after {} ms without running; session deadlines move "
          + "as much", gapMs);
      table.postpone(gapMs - config.tickMs());
    }
    if (!asking.isEmpty()) {
      long now = System.nanoTime();
      asking.values().removeIf(a -> {
        if (now - a.deadlineNanos() >= 0) {
          turnAway(a.connect());
          return true;
        }
        return false;
      });
    }
    if (!held.isEmpty()) {
      long now = System.nanoTime();
      held.removeIf(h -> {
        if (now - h.deadlineNanos() >= 0) {
          turnAway(h.connect());
          return true;
        }
        return false;
      });
    }
    if (!leading || writes == null) {
      return this;
    }
    for (long id : table.expired(now())) {
      getContext().getLog().info("session 0x{} expired", Long.toHexString(id));
      audit.sessionExpired(id);
      closing.add(id);
      writes.tell(new WritePath.SubmitWrite(
          new WriteRequest(id, 0, new Op.CloseSession(), List.of())));
    }
    return this;
  }

  private static long now() {
    return System.nanoTime() / 1_000_000L;
  }
}
