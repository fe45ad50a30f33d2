package dev.paddock.zab;

import dev.paddock.request.Op;
import dev.paddock.request.RequestPrep;
import dev.paddock.request.WritePath;
import dev.paddock.request.WriteRequest;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.LogBatcher;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTreeActor;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeView;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The leader's broadcast phase: prepares each write against the tree plus what is in flight,
 * gives it the next zxid, logs it (group commit through the {@link LogBatcher}), and commits in
 * zxid order as soon as a quorum of voters has made it durable. Proposing never waits for earlier
 * proposals (pipelining). A standalone server is a leader whose only voter is itself.
 */
public final class LeaderActor extends AbstractBehavior<LeaderActor.Command> {

  public sealed interface Command {}

  private record FromSession(WritePath request) implements Command {}

  private record FromLog(LogBatcher.Logged logged) implements Command {}

  private record ReapContainers() implements Command {}

  /** What a leader works with. */
  public record Env(
      int myId,
      Set<Integer> voters,
      long epoch,
      ActorRef<DataTreeActor.Command> tree,
      TreeView view,
      ActorRef<SessionTrackerActor.Command> tracker,
      ActorRef<LogBatcher.Command> batcherOrNull,
      int maxDataBytes,
      Duration containerCheckInterval) {}

  private record WaitingSync(long afterZxid, DataTreeActor.SyncPoint sync) {}

  private final Env env;
  private final RequestPrep prep;
  private final AckTracker acks;
  private final ActorRef<LogBatcher.Command> batcher;
  private final ArrayDeque<TxnEntry> uncommitted = new ArrayDeque<>();
  private final ArrayDeque<WaitingSync> syncs = new ArrayDeque<>();
  private long counter;
  private long lastProposed;

  /**
   * @param makeBatcher builds the log batcher that reports to the given ref
   */
  public static Behavior<Command> create(Env env,
      java.util.function.Function<ActorRef<LogBatcher.Logged>, Behavior<LogBatcher.Command>>
          makeBatcher,
      java.util.function.Consumer<ActorRef<WritePath>> onReady) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new LeaderActor(ctx, timers, env, makeBatcher, onReady)));
  }

  private LeaderActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Env env,
      java.util.function.Function<ActorRef<LogBatcher.Logged>, Behavior<LogBatcher.Command>>
          makeBatcher,
      java.util.function.Consumer<ActorRef<WritePath>> onReady) {
    super(ctx);
    this.env = env;
    TreeSnapshot committed = env.view().latest();
    this.prep = new RequestPrep(committed, env.maxDataBytes());
    this.acks = new AckTracker(env.voters());
    this.lastProposed = committed.zxid();
    ActorRef<LogBatcher.Logged> loggedRef = ctx.messageAdapter(LogBatcher.Logged.class,
        FromLog::new);
    this.batcher = ctx.spawn(makeBatcher.apply(loggedRef), "log-batcher");
    acks.ack(env.myId(), committed.zxid());
    if (!env.containerCheckInterval().isZero()) {
      timers.startTimerWithFixedDelay(new ReapContainers(), env.containerCheckInterval());
    }
    onReady.accept(ctx.messageAdapter(WritePath.class, FromSession::new));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromSession.class, f -> onRequest(f.request()))
        .onMessage(FromLog.class, f -> onLogged(f.logged()))
        .onMessage(ReapContainers.class, r -> reapContainers())
        .build();
  }

  private Behavior<Command> onRequest(WritePath request) {
    if (request instanceof WritePath.SubmitWrite w) {
      propose(w.request());
    } else if (request instanceof WritePath.SubmitSync s) {
      DataTreeActor.SyncPoint point = new DataTreeActor.SyncPoint(s.sessionId(), s.cxid());
      if (uncommitted.isEmpty()) {
        env.tree().tell(new DataTreeActor.Apply(List.of(), List.of(point)));
      } else {
        syncs.addLast(new WaitingSync(lastProposed, point));
      }
    }
    return this;
  }

  private void propose(WriteRequest request) {
    prep.committed(env.view().latest());
    long zxid = Zxid.of(env.epoch(), ++counter);
    TxnEntry entry = prep.prepare(request, zxid, System.currentTimeMillis());
    lastProposed = zxid;
    uncommitted.addLast(entry);
    batcher.tell(new LogBatcher.Append(entry));
  }

  private Behavior<Command> onLogged(LogBatcher.Logged logged) {
    acks.ack(env.myId(), logged.lastZxid());
    commitReady();
    return this;
  }

  private void commitReady() {
    long committable = acks.committable();
    if (uncommitted.isEmpty() || uncommitted.peekFirst().zxid() > committable) {
      return;
    }
    List<TxnEntry> batch = new ArrayList<>();
    while (!uncommitted.isEmpty() && uncommitted.peekFirst().zxid() <= committable) {
      TxnEntry e = uncommitted.pollFirst();
      batch.add(e);
      trackSessions(e);
    }
    List<DataTreeActor.SyncPoint> ready = new ArrayList<>();
    while (!syncs.isEmpty() && syncs.peekFirst().afterZxid() <= committable) {
      ready.add(syncs.pollFirst().sync());
    }
    env.tree().tell(new DataTreeActor.Apply(batch, ready));
  }

  private void trackSessions(TxnEntry e) {
    if (e.txn() instanceof Txn.CreateSession c) {
      env.tracker().tell(new SessionTrackerActor.Track(e.sessionId(), c.timeoutMs()));
    } else if (e.txn() instanceof Txn.CloseSession) {
      env.tracker().tell(new SessionTrackerActor.Untrack(e.sessionId()));
    }
  }

  /** Proposes removal of empty containers and expired TTL nodes (ZooKeeper's ContainerManager). */
  private Behavior<Command> reapContainers() {
    TreeSnapshot t = env.view().latest();
    long now = System.currentTimeMillis();
    for (String path : PersistentColls.toList(t.containers())) {
      DataNode n = t.node(path);
      if (n != null && n.numChildren() == 0 && n.createCount() > 0) {
        propose(new WriteRequest(0, 0, new Op.DeleteContainer(path), List.of()));
      }
    }
    for (String path : PersistentColls.toList(t.ttls())) {
      DataNode n = t.node(path);
      if (n != null && n.numChildren() == 0
          && now - n.mtime() > NodeKind.ttlOf(n.ephemeralOwner())) {
        propose(new WriteRequest(0, 0, new Op.DeleteContainer(path), List.of()));
      }
    }
    return this;
  }
}
