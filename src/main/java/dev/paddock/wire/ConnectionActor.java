package dev.paddock.wire;

import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.security.LogSafe;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.tree.Acls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.util.ByteString;

/**
 * One TCP connection of the client port: the ZooKeeper wire protocol's front door to a session.
 * It answers a four-letter word, or performs the handshake with the session tracker and then
 * turns packets into session ops and session output back into packets. Replies leave in request
 * order; requests it answers itself (malformed bodies, unknown opcodes) wait their turn. It reads
 * the next packet only when the previous one is handled, and not while the session is being
 * established, while the request just read waits for a place in the server's request gate, or
 * while too many replies wait for the client to read them, so a flooding client is slowed at
 * its socket. A client that still lets replies pile up past client-output-limit is dropped.
 */
public final class ConnectionActor extends AbstractBehavior<ConnectionActor.Command> {

  public sealed interface Command {}

  /** What the inbound stream waits for before it sends the next packet. */
  public enum Ack { INSTANCE }

  record StreamInit(ActorRef<Ack> ackTo) implements Command {}

  record StreamElement(ActorRef<Ack> ackTo, FrameDecoder.Inbound element) implements Command {}

  /** The client closed its side (failure null) or the socket failed. */
  record StreamEnded(Throwable failure) implements Command {}

  private record FromSession(SessionOutput output) implements Command {}

  private record WordAnswer(String text) implements Command {}

  private record HandshakeTimeout() implements Command {}

  /** The request gate may have room for the request this connection holds. */
  private record GateOpen() implements Command {}

  /** The client read enough of its queued replies to be read from again. */
  record OutputDrained() implements Command {}

  /** A throttled client had read {@code sentMark} bytes in all when this was scheduled. */
  private record OutputStalled(long sentMark) implements Command {}

  private record CloseTimeout() implements Command {}

  /** ZooKeeper drops connections that send no ConnectRequest within this time. */
  static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  /** How long a closing connection may take to flush its last packets before it is dropped. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** ABORTED: dropped without flushing what is queued (a client that does not read). */
  private enum Phase { FRESH, CONNECTING, OPEN, WORD, CLOSED, ABORTED }

  private final ClientPortEnv env;
  private final Outbox outbox;
  private final Admission admission;
  private final InetSocketAddress remote;
  /** Ids the transport proved (a TLS client's certificate); read once the handshake arrives. */
  private final Supplier<List<Id>> provenIds;
  private final String remoteText;
  private final ConnectionStats cstats;
  private final ActorRef<SessionOutput> door;
  private final TimerScheduler<Command> timers;
  private final ArrayDeque<PendingReply> pending = new ArrayDeque<>();
  private final ArrayDeque<Long> pings = new ArrayDeque<>();
  private final ArrayDeque<Integer> authXids = new ArrayDeque<>();
  private Phase phase = Phase.FRESH;
  private ActorRef<Ack> ackTo;
  private boolean ackOwed;
  private boolean inboundEnded;
  private ActorRef<SessionActor.Command> session;
  private long sessionId;
  private boolean readOnlyForm;
  private int outstanding;
  private int sessionTimeoutMs = (int) HANDSHAKE_TIMEOUT.toMillis();

  static Behavior<Command> create(ClientPortEnv env, BoundedSourceQueue<ByteString> out,
      OutputMeter meter, InetSocketAddress remote, Supplier<List<Id>> provenIds) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ConnectionActor(ctx, timers, env, out, meter, remote, provenIds)));
  }

  private ConnectionActor(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ClientPortEnv env, BoundedSourceQueue<ByteString> out, OutputMeter meter,
      InetSocketAddress remote, Supplier<List<Id>> provenIds) {
    super(ctx);
    this.env = env;
    this.outbox = new Outbox(out, meter, env.limits());
    ActorRef<Command> self = ctx.getSelf();
    this.admission = new Admission(env.gate(), () -> self.tell(new GateOpen()));
    this.remote = remote;
    this.provenIds = provenIds;
    this.remoteText = remote.toString();
    this.timers = timers;
    this.cstats = env.stats().register(remoteText);
    this.door = ctx.messageAdapter(SessionOutput.class, FromSession::new);
    timers.startSingleTimer(new HandshakeTimeout(), HANDSHAKE_TIMEOUT);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StreamInit.class, i -> {
          ackTo = i.ackTo();
          ackOwed = true;
          maybeAck();
          return this;
        })
        .onMessage(StreamElement.class, e -> unlessAborted(onElement(e)))
        .onMessage(StreamEnded.class, this::onStreamEnded)
        .onMessage(FromSession.class, f -> unlessAborted(onSession(f.output())))
        .onMessage(WordAnswer.class, w -> unlessAborted(answerWord(w.text())))
        .onMessage(HandshakeTimeout.class, t -> {
          if (phase != Phase.FRESH) {
            return this;
          }
          log().info("closing connection from {}: no session request within {}s", remoteText,
              HANDSHAKE_TIMEOUT.toSeconds());
          return close();
        })
        .onMessage(CloseTimeout.class, t -> Behaviors.stopped())
        .onMessage(GateOpen.class, g -> unlessAborted(onGateOpen()))
        .onMessage(OutputDrained.class, d -> {
          outbox.drained();
          timers.cancel(OutputStalled.class);
          readingChanged();
          maybeAck();
          return this;
        })
        .onMessage(OutputStalled.class, this::onOutputStalled)
        .onSignal(PostStop.class, s -> {
          finish();
          return this;
        })
        .build();
  }

  /** A connection dropped while handling a message stops at once. */
  private Behavior<Command> unlessAborted(Behavior<Command> next) {
    return phase == Phase.ABORTED ? Behaviors.stopped() : next;
  }

  private org.slf4j.Logger log() {
    return getContext().getLog();
  }

  // ---- inbound ----

  private Behavior<Command> onElement(StreamElement e) {
    ackTo = e.ackTo();
    ackOwed = true;
    if (phase == Phase.CLOSED) {
      // Keep the inbound side moving so its end reaches us; nothing read now is acted on.
      maybeAck();
      return this;
    }
    FrameDecoder.Inbound in = e.element();
    if (in instanceof FrameDecoder.Malformed m) {
      log().warn("closing connection from {}: {}", remoteText, LogSafe.text(m.reason()));
      return close();
    }
    env.stats().packetReceived();
    cstats.received();
    if (in instanceof FrameDecoder.FourLetterWord w) {
      return onWord(w.word(), w.argument());
    }
    byte[] payload = ((FrameDecoder.Frame) in).payload();
    Behavior<Command> next = phase == Phase.FRESH ? onHandshake(payload) : onRequest(payload);
    maybeAck();
    return next;
  }

  private Behavior<Command> onStreamEnded(StreamEnded e) {
    inboundEnded = true;
    if (phase == Phase.CLOSED) {
      return Behaviors.stopped();
    }
    if (phase == Phase.WORD) {
      // A client may half-close right after its four-letter word; it still gets the answer.
      return this;
    }
    if (e.failure() != null) {
      log().info("connection from {} (session 0x{}) failed: {}", remoteText,
          Long.toHexString(sessionId), LogSafe.text(e.failure()));
    } else {
      log().debug("connection from {} (session 0x{}) closed by the client", remoteText,
          Long.toHexString(sessionId));
    }
    return close();
  }

  private Behavior<Command> onHandshake(byte[] payload) {
    Handshake h;
    try {
      h = Handshake.parse(payload);
    } catch (IOException | RuntimeException ex) {
      log().warn("closing connection from {}: first packet is not a session request ({})",
          remoteText, LogSafe.text(ex));
      return close();
    }
    if (h.protocolVersion() != 0) {
      log().warn("closing connection from {}: first packet is not a session request "
          + "(protocol version {})", remoteText, h.protocolVersion());
      return close();
    }
    timers.cancel(new HandshakeTimeout());
    readOnlyForm = h.hasReadOnly();
    sessionId = h.sessionId();
    phase = Phase.CONNECTING;
    List<Id> ids = new ArrayList<>(provenIds.get());
    ids.add(0, new Id(Acls.IP, remote.getAddress().getHostAddress()));
    env.sessions().tell(new SessionTrackerActor.Connect(h.timeoutMs(), h.sessionId(),
        h.password(), h.lastZxidSeen(), ids, door, true));
    return this;
  }

  private Behavior<Command> onRequest(byte[] payload) {
    Requests.Decoded d = Requests.decode(payload, env.view().latest().zxid());
    boolean needsPlace = d instanceof Requests.Local || d instanceof Requests.ToSession;
    if (needsPlace && !admission.enter(d, payload.length)) {
      readingChanged();
      return this;
    }
    return handle(d, needsPlace ? payload.length : -1);
  }

  /** A place may have come free: act on the held request, or wait again. */
  private Behavior<Command> onGateOpen() {
    if (phase != Phase.OPEN) {
      admission.close();
      return this;
    }
    Requests.Decoded d = admission.woken();
    if (d == null) {
      return this;
    }
    readingChanged();
    Behavior<Command> next = handle(d, admission.heldSize());
    maybeAck();
    return next;
  }

  /** @param place bytes this request holds in the gate, or -1 when it holds no place */
  private Behavior<Command> handle(Requests.Decoded d, long place) {
    if (d instanceof Requests.Fatal f) {
      log().warn("closing connection from {} (session 0x{}): {}", remoteText,
          Long.toHexString(sessionId), LogSafe.text(f.why()));
      return close();
    } else if (d instanceof Requests.Ping) {
      pings.addLast(System.nanoTime());
      session.tell(new SessionActor.Ping());
    } else if (d instanceof Requests.Auth a) {
      authXids.addLast(a.xid());
      session.tell(new SessionActor.AddAuth(a.scheme(), a.auth()));
    } else if (d instanceof Requests.Local l) {
      if (l.why() != null) {
        log().warn("session 0x{} from {}: answering xid {} with {}: {}",
            Long.toHexString(sessionId), remoteText, l.xid(), l.code(), LogSafe.text(l.why()));
      }
      PendingReply entry = new PendingReply(l.xid(), l.opcode(), null, place);
      entry.zxid = l.zxid();
      entry.bytes = Packets.reply(l.xid(), l.zxid(), l.code().value(), l.body());
      pending.addLast(entry);
      flush();
    } else if (d instanceof Requests.Refused r) {
      env.stats().authFailed();
      log().warn("session 0x{} from {}: answering xid {} with {} and closing: {}",
          Long.toHexString(sessionId), remoteText, r.xid(), r.code(), r.why());
      PendingReply entry = new PendingReply(r.xid(), r.opcode(), null, place);
      entry.bytes = Packets.reply(r.xid(), 0, r.code().value(), r.body());
      entry.last = true;
      pending.addLast(entry);
      flush();
    } else if (d instanceof Requests.ToSession t) {
      pending.addLast(new PendingReply(t.xid(), t.opcode(), t, place));
      outstanding++;
      session.tell(new SessionActor.Submit(t.xid(), t.op()));
      readingChanged();
    }
    return phase == Phase.CLOSED ? close() : this;
  }

  /** Whether this connection reads its socket now, as cons shows it. */
  private boolean reading() {
    return outstanding < ClientPortEnv.MAX_OUTSTANDING && !admission.holding()
        && !outbox.throttled();
  }

  private void readingChanged() {
    cstats.queued(outstanding, reading());
  }

  private void maybeAck() {
    if (!ackOwed || ackTo == null) {
      return;
    }
    boolean ready = phase == Phase.FRESH || phase == Phase.CLOSED
        || phase == Phase.OPEN && reading();
    if (ready) {
      ackOwed = false;
      ackTo.tell(Ack.INSTANCE);
    }
  }

  // ---- session output ----

  private Behavior<Command> onSession(SessionOutput o) {
    if (phase == Phase.CLOSED || phase == Phase.ABORTED) {
      // Nothing more is sent: a reply is not even encoded.
      return this;
    }
    if (o instanceof SessionOutput.Connected c) {
      return onConnected(c);
    } else if (o instanceof SessionOutput.Closed c) {
      return onClosed(c);
    } else if (o instanceof SessionOutput.Reply r) {
      return onReply(r);
    } else if (o instanceof SessionOutput.Event e) {
      send(Replies.notification(e.event()));
    } else if (o instanceof SessionOutput.Pong p) {
      Long start = pings.pollFirst();
      if (start != null) {
        long ms = (System.nanoTime() - start) / 1_000_000L;
        env.stats().requestFinished(ms, OpCodes.PING);
        cstats.responded(OpCodes.PING_XID, p.zxid(), OpCodes.PING, ms);
      }
      send(Packets.reply(OpCodes.PING_XID, p.zxid(), 0, null));
    } else if (o instanceof SessionOutput.AuthReply a) {
      if (a.code() != Code.OK) {
        env.stats().authFailed();
      }
      Integer xid = authXids.pollFirst();
      send(Packets.reply(xid == null ? OpCodes.AUTH_XID : xid, 0, a.code().value(), null));
    }
    return phase == Phase.CLOSED ? close() : this;
  }

  private Behavior<Command> onConnected(SessionOutput.Connected c) {
    if (phase != Phase.CONNECTING) {
      log().warn("unexpected session 0x{} for connection from {} in phase {}",
          Long.toHexString(c.sessionId()), remoteText, phase);
      return close();
    }
    phase = Phase.OPEN;
    session = c.session();
    sessionId = c.sessionId();
    cstats.session(sessionId, c.timeoutMs());
    sessionTimeoutMs = c.timeoutMs();
    log().debug("session 0x{} established for {} with timeout {}ms",
        Long.toHexString(sessionId), remoteText, c.timeoutMs());
    send(Replies.connectResponse(c.timeoutMs(), sessionId, c.password(), readOnlyForm));
    maybeAck();
    return this;
  }

  private Behavior<Command> onClosed(SessionOutput.Closed c) {
    String id = Long.toHexString(sessionId);
    if (phase == Phase.CONNECTING) {
      switch (c.reason()) {
        case EXPIRED -> {
          log().info("Invalid session 0x{} for client {}, probably expired ({})", id,
              remoteText, LogSafe.text(c.detail()));
          // What ZooKeeper answers for an expired session or a wrong password: timeout 0.
          send(Replies.connectResponse(0, 0, new byte[16], readOnlyForm));
        }
        case STALE_SERVER -> log().info("Refusing session(0x{}) request for client {}: {}; "
            + "client must try another server", id, remoteText, LogSafe.text(c.detail()));
        default -> log().info("closing connection from {} before its session opened: {} ({})",
            remoteText, c.reason(), LogSafe.text(c.detail()));
      }
      return close();
    }
    switch (c.reason()) {
      case CLOSED -> log().debug("session 0x{} closed by client {}", id, remoteText);
      default -> log().info("closing connection from {} of session 0x{}: {} ({})", remoteText,
          id, c.reason(), LogSafe.text(c.detail()));
    }
    return close();
  }

  private Behavior<Command> onReply(SessionOutput.Reply r) {
    PendingReply entry = null;
    for (PendingReply e : pending) {
      if (e.bytes == null) {
        entry = e;
        break;
      }
    }
    if (entry == null || entry.xid != r.cxid()) {
      log().error("session 0x{}: reply for xid {} but the next request awaiting one is {}; "
          + "closing the connection", Long.toHexString(sessionId), r.cxid(),
          entry == null ? "none" : entry.xid);
      return close();
    }
    entry.zxid = r.zxid();
    try {
      entry.bytes = Replies.reply(entry.request, r.zxid(), r.result());
    } catch (RuntimeException ex) {
      log().error("session 0x{}: cannot encode the reply to xid {} (opcode {}): {}",
          Long.toHexString(sessionId), entry.xid, entry.opcode, LogSafe.text(ex));
      entry.bytes = Packets.reply(entry.xid, r.zxid(), Code.MARSHALLING_ERROR.value(), null);
    }
    outstanding--;
    flush();
    readingChanged();
    maybeAck();
    return phase == Phase.CLOSED ? close() : this;
  }

  /** Sends answered requests from the head of the line. */
  private void flush() {
    while (!pending.isEmpty() && pending.peekFirst().bytes != null) {
      PendingReply e = pending.pollFirst();
      long ms = (System.nanoTime() - e.startNanos) / 1_000_000L;
      env.stats().requestFinished(ms, e.opcode);
      cstats.responded(e.xid, e.zxid, e.opcode, ms);
      if (e.place >= 0) {
        env.gate().leave(e.place);
      }
      send(e.bytes);
      if (e.last) {
        phase = Phase.CLOSED;
        return;
      }
    }
  }

  private void send(ByteString bytes) {
    if (phase == Phase.ABORTED) {
      return;
    }
    Outbox.Offer offer = outbox.offer(bytes);
    if (offer == Outbox.Offer.QUEUED || offer == Outbox.Offer.THROTTLED) {
      env.stats().packetSent();
      cstats.sent();
    }
    if (offer == Outbox.Offer.THROTTLED) {
      readingChanged();
      stallTimer();
    } else if (offer == Outbox.Offer.OVER_LIMIT) {
      abort("client is not reading its replies (" + outbox.queued() + " bytes queued, "
          + "client-output-limit is " + env.limits().outputLimitBytes() + ")");
    } else if (offer == Outbox.Offer.FULL && phase != Phase.CLOSED) {
      log().warn("closing connection from {} (session 0x{}): client is not reading its "
          + "replies ({} undelivered packets)", remoteText, Long.toHexString(sessionId),
          outbox.packets());
      phase = Phase.CLOSED;
    }
  }

  // ---- four-letter words ----

  private Behavior<Command> onWord(String word, long argument) {
    timers.cancel(new HandshakeTimeout());
    phase = Phase.WORD;
    if (!env.words().contains(word) || !FourLetterWords.IMPLEMENTED.contains(word)) {
      log().debug("four-letter word {} from {} is not enabled", word, remoteText);
      return answerWord(FourLetterWords.notEnabled(word));
    }
    log().info("Processing {} command from {}", word, remoteText);
    if (word.equals("stmk")) {
      env.stats().traceMask(argument);
    }
    getContext().pipeToSelf(WordAnswers.answer(word, env, getContext().getSystem()),
        (text, failure) -> new WordAnswer(failure == null ? text : FourLetterWords.NOT_SERVING));
    return this;
  }

  private Behavior<Command> answerWord(String text) {
    send(ByteString.fromString(text, java.nio.charset.StandardCharsets.UTF_8));
    return close();
  }

  // ---- ending ----

  /**
   * Completes the outgoing side, which closes the socket once what is queued is written. The
   * actor stays until the incoming side has ended too: stopping earlier would cancel it, and
   * Pekko's TCP aborts a connection whose reading side is cancelled after its writing side
   * completed, losing the last packets. The session (if any) notices the stop and ends.
   */
  private Behavior<Command> close() {
    phase = Phase.CLOSED;
    outbox.complete();
    if (inboundEnded) {
      return Behaviors.stopped();
    }
    maybeAck();
    timers.startSingleTimer(new CloseTimeout(), CLOSE_TIMEOUT);
    return this;
  }

  /**
   * A client that read nothing of its replies for a whole session timeout is as good as gone
   * (its own library expects a ping reply every third of it); holding its replies any longer
   * would only keep memory from clients that read.
   */
  private Behavior<Command> onOutputStalled(OutputStalled s) {
    if (!outbox.throttled() || phase == Phase.CLOSED) {
      return this;
    }
    if (outbox.sentTotal() != s.sentMark()) {
      stallTimer();
      return this;
    }
    abort("client is not reading its replies (" + outbox.queued() + " bytes queued, none read "
        + "for " + sessionTimeoutMs + " ms)");
    return Behaviors.stopped();
  }

  private void stallTimer() {
    timers.startSingleTimer(OutputStalled.class, new OutputStalled(outbox.sentTotal()),
        Duration.ofMillis(sessionTimeoutMs));
  }

  /**
   * Drops the connection at once: what is queued for a client that does not read it would
   * never be written, and holding it is what the limit prevents.
   */
  private void abort(String why) {
    log().warn("closing connection from {} (session 0x{}): {}", remoteText,
        Long.toHexString(sessionId), LogSafe.text(why));
    phase = Phase.ABORTED;
    outbox.fail(why);
  }

  private void finish() {
    if (phase != Phase.ABORTED) {
      phase = Phase.CLOSED;
    }
    outbox.complete();
    for (PendingReply e : pending) {
      if (e.place >= 0) {
        env.gate().leave(e.place);
      }
    }
    admission.close();
    pending.clear();
    pings.clear();
    env.stats().unregister(cstats);
  }
}
