package dev.paddock.session;

import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.request.WritePath;
import dev.paddock.request.WriteRequest;
import dev.paddock.tree.Acls;
import dev.paddock.tree.ApplyResult;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One connected session: numbers nothing itself but keeps the client's order. Writes and syncs go
 * to the write path as they come, reads to the local tree as they come, each telling the tree how
 * many writes and syncs were sent before it: the tree runs the read once it has answered those,
 * and before the next. Writes behind a read are not held back, as ZooKeeper forwards them to its
 * leader while reads wait in its CommitProcessor. Every reply comes back from the tree actor, in
 * the order the ops were sent, so replies reach the client in request order and a watch event
 * always precedes the reply to a later read that shows its change (ZooKeeper's CommitProcessor
 * guarantees, per session).
 */
public final class SessionActor extends AbstractBehavior<SessionActor.Command> {

  public sealed interface Command {}

  /** A client request. */
  public record Submit(int cxid, Op op) implements Command {}

  /** A keep-alive; answered at once with a pong carrying this server's newest zxid. */
  public record Ping() implements Command {}

  public record AddAuth(String scheme, byte[] auth) implements Command {}

  /** The session moved to another connection; end this one without closing the session. */
  public record Supersede(SessionOutput.Reason reason, String detail) implements Command {}

  /**
   * The server lost its leader. The connection stays: requests wait, pings are answered here,
   * for at most {@code maxHoldMs} (and a third of the session timeout) before the session's
   * connection ends as it used to at once, so a client of a server cut off from the quorum
   * still moves on.
   */
  public record Detached(long maxHoldMs) implements Command {}

  /** The server serves again (a new leader, or a new role) through {@code writes}. */
  public record Reattached(ActorRef<WritePath> writes) implements Command {}

  /** The tree actor's answer to a flush: every commit it applied before has reached us. */
  public record Flushed() implements Command {}

  private record HoldExpired(long detachment) implements Command {}

  /** A committed txn of this session (or its expiry), from the tree actor after applying it. */
  public record Committed(TxnEntry entry, ApplyResult result, long zxid) implements Command {}

  public record ReadDone(int cxid, long zxid, Result result) implements Command {}

  public record Synced(int cxid, long zxid) implements Command {}

  /**
   * A fired watch. {@code acl} is that of the node the event is about (the parent's for a
   * child-list change); ZooKeeper 3.9 delivers an event only to a session that may read that
   * node. Null for events not tied to an ACL check (those setWatches fires at once).
   */
  public record Notify(WatchEvent event, List<dev.paddock.api.Acl> acl) implements Command {
    public Notify(WatchEvent event) {
      this(event, null);
    }
  }

  /** Settings a session needs from its server. */
  public record Context(
      ActorRef<DataTreeActor.Command> tree,
      ActorRef<WritePath> writes,
      ActorRef<SessionTrackerActor.Command> tracker,
      dev.paddock.tree.TreeView view,
      String superDigest,
      long touchIntervalMs) {}

  private static final class Pending {
    final int cxid;
    final Op op;
    final List<Id> auth;
    /** Bytes holding a place in the request gate, or -1 when it holds none. */
    long place = -1;
    /** Set when the request is answered here without being sent (throttled). */
    Result answer;

    Pending(int cxid, Op op, List<Id> auth) {
      this.cxid = cxid;
      this.op = op;
      this.auth = auth;
    }
  }

  private final long sessionId;
  private final byte[] password;
  private final int timeoutMs;
  private final ActorRef<SessionOutput> frontDoor;
  private final Context env;
  /**
   * Requests in client order: those handed on (replies come back in this order), then those
   * held back while the server has no leader.
   */
  private final ArrayDeque<Pending> inFlight = new ArrayDeque<>();
  private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
  /** Writes and syncs sent to the write path (the session's creation among them). */
  private long orderedSent;
  /**
   * Syncs sent and not answered. A write waits behind one: a leader answers a sync once a
   * quorum confirmed its leadership, after committing what came before it, and by then it may
   * have committed a write sent after it, whose reply would overtake the sync's.
   */
  private int syncsInFlight;
  private final List<Id> authIds = new ArrayList<>();
  private boolean open;
  private boolean ended;
  /** Where writes and syncs go; null while the server has no leader. */
  private ActorRef<WritePath> writes;
  /** The write path to take once the tree has flushed the commits of the old one. */
  private ActorRef<WritePath> reattaching;
  private long detachments;
  private long lastTouch;
  /**
   * A typed client's requests take places in the server's request gate here; a front door in
   * this actor system, the client port's connection, takes them itself, as it can stop reading
   * its socket instead of refusing. Typed clients reach the session through an actor of the
   * typed-client endpoint's own actor system (or, from older set-ups, over remoting).
   */
  private final RequestGate gate;
  private final AuditLog audit;

  /**
   * @param isNew true when the session is being created (its CreateSession txn is submitted and
   *     the client hears Connected once it commits); false when an existing session re-attaches
   */
  public static Behavior<Command> create(long sessionId, byte[] password, int timeoutMs,
      boolean isNew, ActorRef<SessionOutput> frontDoor, List<Id> initialIds, Context env) {
    return Behaviors.setup(ctx -> new SessionActor(ctx, sessionId, password, timeoutMs, isNew,
        frontDoor, initialIds, SessionTrackerActor.inSystem(frontDoor, ctx.getSystem()), env));
  }

  /**
   * @param doorGates the front door takes places in the request gate itself (the client port's
   *     connection, which can stop reading its socket instead of refusing)
   */
  public static Behavior<Command> create(long sessionId, byte[] password, int timeoutMs,
      boolean isNew, ActorRef<SessionOutput> frontDoor, List<Id> initialIds, boolean doorGates,
      Context env) {
    return Behaviors.setup(ctx -> new SessionActor(ctx, sessionId, password, timeoutMs, isNew,
        frontDoor, initialIds, doorGates, env));
  }

  private SessionActor(ActorContext<Command> ctx, long sessionId, byte[] password, int timeoutMs,
      boolean isNew, ActorRef<SessionOutput> frontDoor, List<Id> initialIds, boolean doorGates,
      Context env) {
    super(ctx);
    this.sessionId = sessionId;
    this.password = password;
    this.timeoutMs = timeoutMs;
    this.frontDoor = frontDoor;
    this.env = env;
    this.authIds.addAll(initialIds);
    this.gate = doorGates ? null : ClientLoad.get(ctx.getSystem()).gate();
    this.audit = AuditLog.lenient(ctx.getSystem().settings().config());
    this.writes = env.writes();
    ctx.watch(frontDoor);
    env.tree().tell(new DataTreeActor.Attach(sessionId, ctx.getSelf()));
    if (isNew) {
      orderedSent = 1;
      writes.tell(new WritePath.SubmitWrite(
          new WriteRequest(sessionId, 0, new Op.CreateSession(timeoutMs), List.of())));
    } else {
      becomeOpen(-1);
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(Ping.class, p -> {
          touch(true);
          frontDoor.tell(new SessionOutput.Pong(env.view().latest().zxid()));
          return this;
        })
        .onMessage(AddAuth.class, this::onAddAuth)
        .onMessage(Committed.class, this::onCommitted)
        .onMessage(ReadDone.class, r -> complete(r.cxid(), r.zxid(), r.result()))
        .onMessage(Synced.class, s -> complete(s.cxid(), s.zxid(), Result.DONE))
        .onMessage(Notify.class, n -> {
          if (n.acl() == null || Acls.permits(n.acl(), dev.paddock.api.Perms.READ, authIds)) {
            frontDoor.tell(new SessionOutput.Event(n.event()));
          }
          return this;
        })
        .onMessage(Supersede.class, s -> end(s.reason(), s.detail()))
        .onMessage(Detached.class, this::onDetached)
        .onMessage(Reattached.class, this::onReattached)
        .onMessage(Flushed.class, f -> onFlushed())
        .onMessage(HoldExpired.class, h -> h.detachment() == detachments && writes == null
            ? end(SessionOutput.Reason.UNAVAILABLE, "no leader; reconnect") : this)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> {
          releaseAll();
          env.tree().tell(new DataTreeActor.Detach(sessionId, getContext().getSelf()));
          return this;
        })
        .build();
  }

  private Behavior<Command> onSubmit(Submit s) {
    if (ended) {
      return this;
    }
    touch(false);
    Pending p = new Pending(s.cxid(), s.op(), List.copyOf(authIds));
    Code refused = ServerOnlyOps.refusal(s.op());
    if (refused != null) {
      p.answer = Result.fail(refused);
    } else if (gate != null) {
      long size = requestBytes(s.op());
      if (gate.tryEnter(size)) {
        p.place = size;
      } else {
        // ZooKeeper's answer to a request it throttled: it was not executed at all.
        p.answer = Result.fail(Code.THROTTLED_OP);
      }
    }
    waiting.addLast(p);
    sendReady();
    return this;
  }

  /** About what a typed request takes in memory: its data and paths. */
  private static long requestBytes(Op op) {
    if (op instanceof Op.Create c) {
      return 64 + c.path().length() * 2L + (c.data() == null ? 0 : c.data().length);
    } else if (op instanceof Op.SetData d) {
      return 64 + d.path().length() * 2L + (d.data() == null ? 0 : d.data().length);
    } else if (op instanceof Op.Multi m) {
      long sum = 64;
      for (Op.Write w : m.ops()) {
        sum += requestBytes(w);
      }
      return sum;
    }
    return 64;
  }

  private void sendReady() {
    while (!waiting.isEmpty() && writes != null) {
      if (syncsInFlight > 0 && waiting.peekFirst().op instanceof Op.Write) {
        break;
      }
      Pending p = waiting.pollFirst();
      inFlight.addLast(p);
      if (p.answer == null) {
        send(p);
      }
    }
    replyAnswered();
  }

  /** Replies to the requests answered here that have reached the head of the line. */
  private void replyAnswered() {
    while (!inFlight.isEmpty() && inFlight.peekFirst().answer != null) {
      Pending head = inFlight.peekFirst();
      pollHead();
      frontDoor.tell(new SessionOutput.Reply(head.cxid, env.view().latest().zxid(),
          head.answer));
    }
  }

  private void send(Pending p) {
    if (p.op instanceof Op.Write w) {
      orderedSent++;
      writes.tell(new WritePath.SubmitWrite(new WriteRequest(sessionId, p.cxid, w, p.auth)));
    } else if (p.op instanceof Op.Sync) {
      orderedSent++;
      syncsInFlight++;
      writes.tell(new WritePath.SubmitSync(sessionId, p.cxid));
    } else {
      env.tree().tell(new DataTreeActor.Read(sessionId, p.cxid, (Op.Read) p.op, p.auth,
          getContext().getSelf(), orderedSent));
    }
  }

  private Behavior<Command> onCommitted(Committed c) {
    Txn txn = c.entry().txn();
    if (txn instanceof Txn.CreateSession && !open) {
      audit.sessionCreated(sessionId, authIds, timeoutMs, c.zxid());
      becomeOpen(c.zxid());
      return this;
    }
    if (txn instanceof Txn.CloseSession) {
      Pending head = inFlight.peekFirst();
      if (head != null && head.op instanceof Op.CloseSession && head.cxid == c.entry().cxid()) {
        pollHead();
        audit.sessionClosed(sessionId, head.auth, c.zxid());
        frontDoor.tell(new SessionOutput.Reply(head.cxid, c.zxid(), Result.DONE));
        return end(SessionOutput.Reason.CLOSED, "session closed by client");
      }
      return end(SessionOutput.Reason.EXPIRED, "session expired");
    }
    Pending head = inFlight.peekFirst();
    Result result = head == null ? null : WriteResults.of(head.op, c.result());
    if (head != null && head.cxid == c.entry().cxid()) {
      audit.write(sessionId, head.auth, head.op, c.result(), c.zxid());
    }
    return complete(c.entry().cxid(), c.zxid(), result);
  }

  private Behavior<Command> complete(int cxid, long zxid, Result result) {
    Pending head = inFlight.peekFirst();
    if (head == null || head.cxid != cxid) {
      getContext().getLog().error("session 0x{}: reply for cxid {} but next expected is {}",
          Long.toHexString(sessionId), cxid, head == null ? "none" : head.cxid);
      return end(SessionOutput.Reason.UNAVAILABLE, "internal ordering error");
    }
    pollHead();
    frontDoor.tell(new SessionOutput.Reply(cxid, zxid, result));
    sendReady();
    return this;
  }

  private void pollHead() {
    Pending head = inFlight.pollFirst();
    if (head.op instanceof Op.Sync && head.answer == null) {
      syncsInFlight--;
    }
    release(head);
  }

  private void release(Pending p) {
    if (p.place >= 0) {
      gate.leave(p.place);
      p.place = -1;
    }
  }

  private void releaseAll() {
    inFlight.forEach(this::release);
    waiting.forEach(this::release);
  }

  private Behavior<Command> onDetached(Detached d) {
    writes = null;
    reattaching = null;
    long hold = Math.min(d.maxHoldMs(), timeoutMs / 3L);
    getContext().scheduleOnce(java.time.Duration.ofMillis(hold), getContext().getSelf(),
        new HoldExpired(++detachments));
    return this;
  }

  /**
   * Writes sent on the old path either committed under the new leader, and the tree has told
   * us so or will before it answers the flush, or never will: the new leader's history is all
   * that survives of the old epochs.
   */
  private Behavior<Command> onReattached(Reattached r) {
    writes = null;
    reattaching = r.writes();
    detachments++;
    env.tree().tell(new DataTreeActor.Flush(sessionId, getContext().getSelf(), orderedSent));
    return this;
  }

  private Behavior<Command> onFlushed() {
    if (reattaching == null || ended) {
      return this;
    }
    if (!open) {
      // Its CreateSession went to the old leader and never committed.
      return end(SessionOutput.Reason.UNAVAILABLE, "session not created before the leader "
          + "changed; reconnect");
    }
    // What is left went to the old leader, or is a read the tree dropped as it waited for that.
    // CONNECTIONLOSS, as a client hears for requests outstanding when a connection drops.
    while (!inFlight.isEmpty()) {
      Pending head = inFlight.peekFirst();
      pollHead();
      frontDoor.tell(new SessionOutput.Reply(head.cxid, env.view().latest().zxid(),
          head.answer != null ? head.answer : Result.fail(Code.CONNECTION_LOSS)));
    }
    writes = reattaching;
    reattaching = null;
    sendReady();
    return this;
  }

  private Behavior<Command> onAddAuth(AddAuth a) {
    if (Acls.IP.equals(a.scheme())) {
      // ZooKeeper's ip provider accepts any auth packet: the caller's address, which a wire
      // front door already put among the session's initial identities.
      frontDoor.tell(new SessionOutput.AuthReply(Code.OK));
      return this;
    }
    if (Acls.X509.equals(a.scheme()) && authIds.stream()
        .anyMatch(id -> id.scheme().equals(Acls.X509))) {
      // As ZooKeeper's x509 provider: the id comes from the connection's certificate, never
      // from the packet, so a client may only confirm what its certificate already granted.
      frontDoor.tell(new SessionOutput.AuthReply(Code.OK));
      return this;
    }
    if (!Acls.DIGEST.equals(a.scheme()) || a.auth() == null) {
      frontDoor.tell(new SessionOutput.AuthReply(Code.AUTH_FAILED));
      return end(SessionOutput.Reason.AUTH_FAILED, "unsupported auth scheme " + a.scheme());
    }
    String id = Acls.digestId(new String(a.auth(), StandardCharsets.UTF_8));
    if (!env.superDigest().isEmpty() && env.superDigest().equals(id)) {
      authIds.add(new Id(Acls.SUPER, ""));
    }
    Id digest = new Id(Acls.DIGEST, id);
    if (!authIds.contains(digest)) {
      authIds.add(digest);
    }
    frontDoor.tell(new SessionOutput.AuthReply(Code.OK));
    return this;
  }

  private void becomeOpen(long zxid) {
    open = true;
    env.tracker().tell(new SessionTrackerActor.Touch(sessionId));
    lastTouch = System.nanoTime();
    frontDoor.tell(new SessionOutput.Connected(sessionId, password, timeoutMs, zxid,
        getContext().getSelf()));
  }

  /** Touches reach the tracker at most a few times per tick; expiry has tick granularity. */
  private void touch(boolean force) {
    long now = System.nanoTime();
    if (force || now - lastTouch > env.touchIntervalMs() * 1_000_000L) {
      lastTouch = now;
      env.tracker().tell(new SessionTrackerActor.Touch(sessionId));
    }
  }

  private Behavior<Command> end(SessionOutput.Reason reason, String detail) {
    if (!ended) {
      ended = true;
      releaseAll();
      inFlight.clear();
      waiting.clear();
      syncsInFlight = 0;
      frontDoor.tell(new SessionOutput.Closed(reason, detail));
    }
    return Behaviors.stopped();
  }
}
