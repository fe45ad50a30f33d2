package dev.paddock.client;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * A typed client of one session. Connects to the first server of its list; keeps the connection
 * alive with pings (the network has no deathwatch outside a cluster); when the server falls
 * silent for two thirds of the session timeout, fails what is outstanding with CONNECTION_LOSS and
 * re-attaches the same session on the next server, replaying its credentials and re-registering
 * its watches. Requests issued while not connected wait in a queue for up to one session timeout,
 * then fail with CONNECTION_LOSS. Expiry, close and rejected credentials are final: later
 * requests fail with SESSION_EXPIRED (AUTH_FAILED), Close answers OK.
 */
public final class PaddockClient extends AbstractBehavior<PaddockClient.Command> {

  public sealed interface Command {}

  /** A command that is one op on the server and one typed reply. */
  public sealed interface Request<T> extends Command {
    Op op();

    ActorRef<Reply<T>> replyTo();

    /** The value of a successful result. */
    T valueOf(Result result);

    /** The value that goes with an error; only multis (their per-op results) carry one. */
    default T failureValue(Result result) {
      return null;
    }
  }

  /** Requests whose only news is success: the value is {@link Done}. */
  public sealed interface DoneRequest extends Request<Done> {
    @Override
    default Done valueOf(Result r) {
      return Done.getInstance();
    }
  }

  /** Requests answered with the node's stat (exists, setData, setACL). */
  public sealed interface StatRequest extends Request<Stat> {
    @Override
    default Stat valueOf(Result r) {
      return ((Result.StatOf) r).stat();
    }
  }

  /** Replies with the created path (sequential names included) and the new node's stat. */
  public record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttl,
      ActorRef<Reply<Result.Created>> replyTo) implements Request<Result.Created> {
    public Create(String path, byte[] data, List<Acl> acl, CreateMode mode,
        ActorRef<Reply<Result.Created>> replyTo) {
      this(path, data, acl, mode, -1, replyTo);
    }

    @Override
    public Op op() {
      return new Op.Create(path, data, acl, mode, ttl);
    }

    @Override
    public Result.Created valueOf(Result r) {
      return (Result.Created) r;
    }
  }

  /** {@code version} -1 matches any version. */
  public record Delete(String path, int version, ActorRef<Reply<Done>> replyTo)
      implements DoneRequest {
    @Override
    public Op op() {
      return new Op.Delete(path, version);
    }
  }

  /** A missing node is code NO_NODE; with {@code watch} it still arms a watch for creation. */
  public record Exists(String path, boolean watch, ActorRef<Reply<Stat>> replyTo)
      implements StatRequest {
    @Override
    public Op op() {
      return new Op.Exists(path, watch);
    }
  }

  public record GetData(String path, boolean watch, ActorRef<Reply<Result.Data>> replyTo)
      implements Request<Result.Data> {
    @Override
    public Op op() {
      return new Op.GetData(path, watch);
    }

    @Override
    public Result.Data valueOf(Result r) {
      return (Result.Data) r;
    }
  }

  public record SetData(String path, byte[] data, int version, ActorRef<Reply<Stat>> replyTo)
      implements StatRequest {
    @Override
    public Op op() {
      return new Op.SetData(path, data, version);
    }
  }

  public record GetChildren(String path, boolean watch,
      ActorRef<Reply<Result.Children>> replyTo) implements Request<Result.Children> {
    @Override
    public Op op() {
      return new Op.GetChildren(path, watch);
    }

    @Override
    public Result.Children valueOf(Result r) {
      return (Result.Children) r;
    }
  }

  public record GetAcl(String path, ActorRef<Reply<Result.AclOf>> replyTo)
      implements Request<Result.AclOf> {
    @Override
    public Op op() {
      return new Op.GetAcl(path);
    }

    @Override
    public Result.AclOf valueOf(Result r) {
      return (Result.AclOf) r;
    }
  }

  public record SetAcl(String path, List<Acl> acl, int version, ActorRef<Reply<Stat>> replyTo)
      implements StatRequest {
    @Override
    public Op op() {
      return new Op.SetAcl(path, acl, version);
    }
  }

  public record Sync(String path, ActorRef<Reply<Done>> replyTo) implements DoneRequest {
    @Override
    public Op op() {
      return new Op.Sync(path);
    }
  }

  /**
   * All or nothing. Replies with one result per op; when it fails, the code is the first error
   * and the value still lists every op: Failed(OK) before the culprit, Failed(code) for it,
   * Failed(RUNTIME_INCONSISTENCY) after it.
   */
  public record Multi(List<Op.Write> ops, ActorRef<Reply<List<Result>>> replyTo)
      implements Request<List<Result>> {
    @Override
    public Op op() {
      return new Op.Multi(ops);
    }

    @Override
    public List<Result> valueOf(Result r) {
      return ((Result.Multi) r).results();
    }

    @Override
    public List<Result> failureValue(Result r) {
      return r instanceof Result.Multi m ? m.results() : null;
    }
  }

  public record AddWatch(String path, WatchMode mode, ActorRef<Reply<Done>> replyTo)
      implements DoneRequest {
    @Override
    public Op op() {
      return new Op.AddWatch(path, mode);
    }
  }

  /** Code NO_WATCHER when nothing of that type was watched at {@code path}. */
  public record RemoveWatches(String path, WatcherType type, ActorRef<Reply<Done>> replyTo)
      implements DoneRequest {
    @Override
    public Op op() {
      return new Op.RemoveWatches(path, type);
    }
  }

  /** Any other op (getAllChildrenNumber, getEphemerals, checkWatches, multiRead, whoAmI...). */
  public record Execute(Op op, ActorRef<Reply<Result>> replyTo) implements Request<Result> {
    @Override
    public Result valueOf(Result r) {
      return r;
    }

    @Override
    public Result failureValue(Result r) {
      return r;
    }
  }

  /** Ends the session; its ephemerals go. Answers OK also when the session already ended. */
  public record Close(ActorRef<Reply<Done>> replyTo) implements DoneRequest {
    @Override
    public Op op() {
      return new Op.CloseSession();
    }
  }

  /** Credentials for this session, replayed on every re-attach once the server accepted them. */
  public record AddAuth(String scheme, byte[] auth, ActorRef<Reply<Done>> replyTo)
      implements Command {}

  /** What the server said through link {@code link}; the client only listens to the newest. */
  record FromServer(int link, SessionOutput output) implements Command {}

  private record Tick() implements Command {}

  private enum Phase { CONNECTING, CONNECTED, ENDED }

  private final ClientSettings settings;
  private final ActorRef<WatchEvent> watcher;
  private final ActorRef<ConnectionState> listener;
  private final TimerScheduler<Command> timers;
  private final WatchRegistry watches = new WatchRegistry();
  private final PendingRequests pending = new PendingRequests();
  /** Credentials the server accepted; replayed on every re-attach. */
  private final List<SessionActor.AddAuth> auths = new ArrayList<>();
  private final ServerRotation servers;

  private Phase phase = Phase.CONNECTING;
  private int linkId;
  /** Null while pausing between rounds of failed attempts. */
  private ActorRef<SessionOutput> link;
  private ActorRef<SessionActor.Command> session;
  private long sessionId;
  /** Null until the first Connected: then every later attempt re-attaches. */
  private byte[] password;
  private int timeoutMs;
  private long lastZxid;
  private long lastSent;
  private long lastHeard;
  private boolean closing;
  private Code endCode;

  public static Behavior<Command> create(ClientSettings settings, ActorRef<WatchEvent> watcher,
      ActorRef<ConnectionState> listener) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new PaddockClient(ctx, timers, settings, watcher, listener)));
  }

  private PaddockClient(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ClientSettings settings, ActorRef<WatchEvent> watcher,
      ActorRef<ConnectionState> listener) {
    super(ctx);
    this.settings = settings;
    this.watcher = watcher;
    this.listener = listener;
    this.timers = timers;
    this.timeoutMs = settings.requestedTimeoutMs();
    this.servers = new ServerRotation(settings);
    startTicking();
    startAttempt();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromServer.class, this::onServer)
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Command.class, this::onCommand)
        .build();
  }

  private Behavior<Command> onCommand(Command c) {
    Op op = null;
    if (c instanceof Request<?> r) {
      try {
        op = r.op();
      } catch (RuntimeException e) {
        // e.g. a null list in a multi: the op cannot even be built, let alone sent
        PendingRequests.complete(r, Result.fail(Code.BAD_ARGUMENTS), lastZxid);
        return this;
      }
    }
    boolean isClose = op instanceof Op.CloseSession;
    if (phase == Phase.ENDED) {
      PendingRequests.answer(c, isClose ? Code.OK : endCode, lastZxid);
    } else if (closing) {
      if (isClose) {
        pending.extraClose((Request<?>) c);
      } else {
        PendingRequests.answer(c, Code.SESSION_EXPIRED, lastZxid);
      }
    } else {
      closing = isClose;
      if (phase == Phase.CONNECTED) {
        send(c, op);
      } else {
        pending.queue(c, op, now() + timeoutMs * 1_000_000L);
      }
    }
    return this;
  }

  private void send(Command c, Op op) {
    lastSent = now();
    if (c instanceof AddAuth a) {
      pending.authSent(a, false);
      session.tell(new SessionActor.AddAuth(a.scheme(), a.auth()));
    } else {
      session.tell(new SessionActor.Submit(pending.sent((Request<?>) c, op), op));
    }
  }

  private Behavior<Command> onServer(FromServer f) {
    if (f.link() != linkId || phase == Phase.ENDED) {
      return this;
    }
    lastHeard = now();
    SessionOutput out = f.output();
    if (out instanceof SessionOutput.Connected c) {
      if (phase == Phase.CONNECTING) {
        onConnected(c);
      }
    } else if (out instanceof SessionOutput.Reply r) {
      onReply(r);
    } else if (out instanceof SessionOutput.Event e) {
      watches.onEvent(e.event());
      watcher.tell(e.event());
    } else if (out instanceof SessionOutput.AuthReply a) {
      onAuthReply(a.code());
    } else if (out instanceof SessionOutput.Closed c) {
      onClosed(c);
    }
    return this;
  }

  private void onConnected(SessionOutput.Connected c) {
    boolean reattached = password != null;
    session = c.session();
    sessionId = c.sessionId();
    password = c.password();
    lastZxid = Math.max(lastZxid, c.lastZxid());
    phase = Phase.CONNECTED;
    servers.connected();
    lastSent = now();
    if (c.timeoutMs() != timeoutMs) {
      timeoutMs = c.timeoutMs();
      startTicking();
    }
    getContext().getLog().info("session 0x{} {} on {} (timeout {}ms)",
        Long.toHexString(sessionId), reattached ? "re-attached" : "opened", servers.current(),
        timeoutMs);
    listener.tell(new ConnectionState.Connected(sessionId, servers.current(), timeoutMs));
    // Credentials first, then watches, then what waited: each sees the session as before.
    for (SessionActor.AddAuth a : auths) {
      pending.authSent(null, true);
      session.tell(a);
    }
    Op.SetWatches rewatch = reattached ? watches.toSetWatches(lastZxid) : null;
    if (rewatch != null) {
      send(new Execute(rewatch, getContext().getSystem().ignoreRef()), rewatch);
    }
    for (PendingRequests.Queued q = pending.pollQueued(); q != null; q = pending.pollQueued()) {
      send(q.command(), q.op());
    }
  }

  private void onReply(SessionOutput.Reply r) {
    PendingRequests.Sent s = pending.replied(r.cxid());
    if (s == null) {
      return;
    }
    lastZxid = Math.max(lastZxid, r.zxid());
    watches.onReply(s.op(), r.result());
    PendingRequests.complete(s.request(), r.result(), r.zxid());
  }

  private void onAuthReply(Code code) {
    AddAuth a = pending.authReplied();
    if (a != null) {
      if (code == Code.OK) {
        auths.add(new SessionActor.AddAuth(a.scheme(), a.auth()));
      }
      PendingRequests.answer(a, code, lastZxid);
    }
  }

  private void onClosed(SessionOutput.Closed c) {
    switch (c.reason()) {
      case EXPIRED -> end(new ConnectionState.Expired(sessionId, c.detail()),
          Code.SESSION_EXPIRED, Code.OK);
      case CLOSED -> end(new ConnectionState.Closed(sessionId), Code.SESSION_EXPIRED, Code.OK);
      case AUTH_FAILED -> end(new ConnectionState.AuthFailed(sessionId, c.detail()),
          Code.AUTH_FAILED, Code.OK);
      case MOVED, STALE_SERVER, UNAVAILABLE -> {
        String why = c.reason() + ": " + c.detail();
        if (phase == Phase.CONNECTED) {
          connectionLost(why);
        } else {
          attemptFailed(why);
        }
      }
    }
  }

  private Behavior<Command> onTick() {
    long now = now();
    if (phase == Phase.CONNECTED) {
      if (now - lastHeard > timeoutMs * 2_000_000L / 3) {
        connectionLost("no answer from the server for " + (now - lastHeard) / 1_000_000 + "ms");
      } else if (now - lastSent >= timeoutMs * 1_000_000L / 3) {
        lastSent = now;
        session.tell(new SessionActor.Ping());
      }
    } else if (phase == Phase.CONNECTING) {
      if (pending.expire(now, lastZxid)) {
        // The session can no longer be closed from here; it will expire on the server.
        end(new ConnectionState.Closed(sessionId), Code.SESSION_EXPIRED, Code.CONNECTION_LOSS);
      }
      if (phase == Phase.CONNECTING && servers.due(now)) {
        if (link == null) {
          startAttempt();
        } else {
          attemptFailed("no answer to connect within "
              + settings.attemptTimeoutMs(timeoutMs) + "ms");
        }
      }
    }
    return this;
  }

  private void startAttempt() {
    retireLink();
    link = getContext().spawn(ServerLink.create(linkId, getContext().getSelf()),
        "link-" + linkId);
    servers.attemptStarted(now(), timeoutMs);
    String target = settings.trackerAddress(servers.current());
    getContext().getLog().debug("connecting to {} (session 0x{})", target,
        Long.toHexString(sessionId));
    // Through a selection, not a resolved ref: after a server shut down gracefully, remoting
    // drops plain messages to its address until a new incarnation shook hands, and only
    // selection messages are let through to start that handshake.
    Adapter.toClassic(getContext().getSystem()).actorSelection(target).tell(
        new SessionTrackerActor.Connect(settings.requestedTimeoutMs(), sessionId, password,
            lastZxid, List.of(), link), org.apache.pekko.actor.ActorRef.noSender());
  }

  private void attemptFailed(String why) {
    getContext().getLog().debug("connect to {} failed: {}", servers.current(), why);
    retireLink();
    if (!servers.failed(now(), timeoutMs)) {
      startAttempt();
    }
  }

  private void connectionLost(String why) {
    String lost = servers.current();
    getContext().getLog().info("lost connection to {}: {}", lost, why);
    retireLink();
    session = null;
    phase = Phase.CONNECTING;
    if (closing) {
      // Whether the close committed is unknown; either way this session is done for us.
      end(new ConnectionState.Closed(sessionId), Code.SESSION_EXPIRED, Code.CONNECTION_LOSS);
      return;
    }
    pending.failSent(Code.CONNECTION_LOSS, Code.CONNECTION_LOSS, lastZxid);
    listener.tell(new ConnectionState.Disconnected(lost, why));
    servers.lost();
    startAttempt();
  }

  private void end(ConnectionState state, Code code, Code closeCode) {
    phase = Phase.ENDED;
    endCode = code;
    retireLink();
    session = null;
    timers.cancelAll();
    pending.failAll(code, closeCode, lastZxid);
    getContext().getLog().info("session 0x{} ended: {}", Long.toHexString(sessionId), state);
    listener.tell(state);
  }

  /** Stops the current link and bumps the id so anything it already forwarded is ignored. */
  private void retireLink() {
    if (link != null) {
      getContext().stop(link);
      link = null;
    }
    linkId++;
  }

  private void startTicking() {
    long tickMs = Math.max(10, Math.min(1000, timeoutMs / 10));
    timers.startTimerWithFixedDelay("tick", new Tick(), Duration.ofMillis(tickMs));
  }

  private static long now() {
    return System.nanoTime();
  }
}
