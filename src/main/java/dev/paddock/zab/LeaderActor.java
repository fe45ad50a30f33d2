package dev.paddock.zab;

import dev.paddock.peers.Peers;
import dev.paddock.request.Op;
import dev.paddock.request.RequestPrep;
import dev.paddock.request.WritePath;
import dev.paddock.request.WriteRequest;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.LogBatcher;
import dev.paddock.storage.TxnLog;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTreeActor;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The leading role. Discovery: with FollowerInfo from a quorum of voters it settles a new epoch
 * above every accepted one. Sync: each learner gets DIFF, TRUNC or SNAP through its own
 * {@link ProposalQueue}, then NEWLEADER; once a quorum (itself included) has acked NEWLEADER the
 * leader's whole history is committed and it starts serving. Broadcast: every write is prepared
 * against the tree plus what is in flight, given the next zxid, logged locally (group commit)
 * and queued to every learner without waiting for earlier proposals; commits go out strictly in
 * zxid order once a quorum of voters made a txn durable. A standalone server is a leader whose
 * only voter is itself. Steps down when it loses touch with a quorum.
 */
public final class LeaderActor extends AbstractBehavior<LeaderActor.Command> {

  public sealed interface Command {}

  public record FromPeer(int from, Packet packet) implements Command {}

  /** FIFO delivery from this peer was broken, or the cluster considers it unreachable. */
  public record PeerLost(int peer) implements Command {}

  private record FromSession(WritePath request) implements Command {}

  private record FromLog(LogBatcher.Logged logged) implements Command {}

  private record EpochAccepted(Done done) implements Command {}

  private record EpochCurrent(Done done) implements Command {}

  private record Tick() implements Command {}

  private record Beat() implements Command {}

  private record ReapContainers() implements Command {}

  private record WaitingSync(long afterZxid, int serverId, long sessionId, int cxid) {}

  private final Zab env;
  private final ZabTimers time;
  private final Set<Integer> voters;
  private final ActorRef<LogBatcher.Command> batcher;
  private final ActorRef<WritePath> writesRef;
  private final Map<Integer, LearnerHandle> learners = new HashMap<>();
  private final Map<Integer, Long> acceptedEpochs = new HashMap<>();
  private final ArrayDeque<TxnEntry> uncommitted = new ArrayDeque<>();
  private final ArrayDeque<WaitingSync> syncs = new ArrayDeque<>();
  private final History history;
  private final AckTracker acks;
  private final long myCurrentEpoch;
  private final long myLastZxid;
  private RequestPrep prep;
  private long epoch = -1;
  private boolean epochAccepted;
  private boolean epochCurrent;
  private boolean established;
  private long counter;
  private long lastProposed;
  private long lastCommitted;
  private final long startedNanos = System.nanoTime();
  private final ZabStats stats;
  private final ZabStats.ProposalClock proposalClock;

  public static Behavior<Command> create(Zab env) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new LeaderActor(ctx, timers, env)));
  }

  private LeaderActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Zab env) {
    super(ctx);
    this.env = env;
    this.time = env.timers();
    this.voters = env.voters();
    TxnLog.Snapshot log = env.logState();
    TreeSnapshot committed = env.view().latest();
    this.myCurrentEpoch = log.currentEpoch();
    this.myLastZxid = log.lastZxid();
    this.history = new History(committed.zxid(), env.diffWindow(), 256L << 20);
    for (TxnEntry e : log.entries()) {
      if (e.zxid() > committed.zxid()) {
        uncommitted.addLast(e);
        history.append(e);
      }
    }
    this.lastProposed = log.lastZxid();
    this.lastCommitted = committed.zxid();
    this.acks = new AckTracker(voters);
    acks.ack(env.myId(), 0);
    this.batcher = ctx.spawn(LogBatcher.create(env.log(),
        ctx.messageAdapter(LogBatcher.Logged.class, FromLog::new)), "log-batcher");
    this.writesRef = ctx.messageAdapter(WritePath.class, FromSession::new);
    acceptedEpochs.put(env.myId(), log.acceptedEpoch());
    this.stats = ZabStats.get(ctx.getSystem());
    this.proposalClock = stats.proposalClock();
    stats.publish(learners.values());
    timers.startTimerWithFixedDelay(new Tick(), time.tick());
    timers.startTimerWithFixedDelay(new Beat(), time.leaderBeat());
    if (!env.containerCheckInterval().isZero()) {
      timers.startTimerWithFixedDelay(new ReapContainers(), env.containerCheckInterval());
    }
    ctx.getLog().info("leading: history up to 0x{}, committed tree at 0x{}",
        Long.toHexString(myLastZxid), Long.toHexString(committed.zxid()));
    maybeSettleEpoch();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromPeer.class, this::onPeer)
        .onMessage(PeerLost.class, p -> {
          drop(p.peer(), "link lost");
          return this;
        })
        .onMessage(FromSession.class, f -> onRequest(f.request()))
        .onMessage(FromLog.class, f -> {
          acks.ack(env.myId(), f.logged().lastZxid());
          return commitReady();
        })
        .onMessage(EpochAccepted.class, e -> {
          epochAccepted = true;
          for (LearnerHandle l : learners.values()) {
            l.send(new Packet.LeaderInfo(l.connection, epoch));
          }
          batcher.tell(new LogBatcher.Control(new TxnLog.SetCurrentEpoch(epoch,
              getContext().messageAdapter(Done.class, EpochCurrent::new))));
          return this;
        })
        .onMessage(EpochCurrent.class, e -> {
          epochCurrent = true;
          acks.ack(env.myId(), myLastZxid);
          return maybeEstablish();
        })
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Beat.class, b -> beat())
        .onMessage(ReapContainers.class, r -> reapContainers())
        .build();
  }

  // ---- discovery and sync ----

  private Behavior<Command> onPeer(FromPeer f) {
    Packet p = f.packet();
    if (p instanceof Packet.FollowerInfo info) {
      return onFollowerInfo(f.from(), info);
    }
    LearnerHandle l = learners.get(f.from());
    if (l == null || l.connection != p.connection()) {
      return this;
    }
    l.lastHeardNanos = System.nanoTime();
    if (p instanceof Packet.AckEpoch a) {
      return onAckEpoch(l, a);
    } else if (p instanceof Packet.AckNewLeader a) {
      l.stage = LearnerHandle.Stage.SYNCED;
      if (!l.observer) {
        acks.ack(l.id, a.zxid());
      }
      if (established) {
        makeUpToDate(l);
        return commitReady();
      }
      return maybeEstablish();
    } else if (p instanceof Packet.Ack a) {
      if (!l.observer) {
        acks.ack(l.id, a.zxid());
      }
      l.queue.tell(new ProposalQueue.Acked(a.zxid()));
      return commitReady();
    } else if (p instanceof Packet.ForwardWrite w) {
      if (checkSeq(l, w.seq())) {
        propose(w.request());
      }
    } else if (p instanceof Packet.ForwardSync s) {
      if (checkSeq(l, s.seq())) {
        sync(l.id, s.sessionId(), s.cxid());
      }
    } else if (p instanceof Packet.LearnerPing ping) {
      if (!ping.touchedSessions().isEmpty()) {
        env.tracker().tell(new SessionTrackerActor.TouchAll(ping.touchedSessions()));
      }
    }
    return this;
  }

  private boolean checkSeq(LearnerHandle l, long seq) {
    if (seq != l.forwardSeq + 1) {
      drop(l.id, "forwarded requests out of sequence");
      return false;
    }
    l.forwardSeq = seq;
    return true;
  }

  private Behavior<Command> onFollowerInfo(int from, Packet.FollowerInfo info) {
    boolean configuredObserver = env.observers().contains(from);
    if (info.observer() != configuredObserver || !voters.contains(from) && !configuredObserver) {
      env.peers().tell(new Peers.Send(from, new Packet.Goodbye(info.connection(),
          "server " + from + " is not configured as a " + (info.observer() ? "observer" : "voter"))));
      return this;
    }
    LearnerHandle existing = learners.get(from);
    if (existing != null && existing.connection == info.connection()) {
      return this;
    }
    drop(from, "reconnected");
    ActorRef<ProposalQueue.Command> queue = getContext().spawnAnonymous(
        ProposalQueue.create(from, info.connection(), info.observer(), env.peers()));
    LearnerHandle l = new LearnerHandle(from, info.connection(), info.observer(),
        info.acceptedEpoch(), queue);
    learners.put(from, l);
    if (epoch >= 0) {
      if (info.acceptedEpoch() > epoch) {
        return stepDown("learner " + from + " accepted epoch " + info.acceptedEpoch()
            + " above ours " + epoch);
      }
      if (epochAccepted) {
        l.send(new Packet.LeaderInfo(l.connection, epoch));
      }
    } else if (!info.observer()) {
      acceptedEpochs.put(from, info.acceptedEpoch());
      maybeSettleEpoch();
    }
    return this;
  }

  private void maybeSettleEpoch() {
    if (epoch >= 0 || acceptedEpochs.size() < acks.quorumSize()) {
      return;
    }
    epoch = acceptedEpochs.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    getContext().getLog().info("new epoch {} settled with {}", epoch, acceptedEpochs.keySet());
    batcher.tell(new LogBatcher.Control(new TxnLog.AcceptEpoch(epoch,
        getContext().messageAdapter(Done.class, EpochAccepted::new))));
  }

  /**
   * Before the epoch is established a learner with a newer history than ours means this server
   * should not lead (its election information was stale). Afterwards the established history
   * is the reference, and a returning server's longer old-epoch tail is simply truncated.
   */
  private Behavior<Command> onAckEpoch(LearnerHandle l, Packet.AckEpoch a) {
    if (!established && (a.currentEpoch() > myCurrentEpoch
        || a.currentEpoch() == myCurrentEpoch && a.lastZxid() > myLastZxid)) {
      return stepDown("learner " + l.id + " has a newer history (epoch " + a.currentEpoch()
          + ", zxid 0x" + Long.toHexString(a.lastZxid()) + ")");
    }
    TreeSnapshot tree = env.view().latest();
    SyncPlan plan = SyncPlan.plan(history, a.lastZxid(), tree.zxid());
    getContext().getLog().info("syncing learner {} from 0x{} by {} ({} txns)", l.id,
        Long.toHexString(a.lastZxid()), plan.mode(), plan.entries().size());
    l.send(new Packet.SyncStart(l.connection, plan.mode(), plan.truncateTo()));
    if (plan.mode() == Packet.SyncMode.SNAP) {
      l.queue.tell(new ProposalQueue.SendSnapshot(tree));
    }
    for (TxnEntry e : plan.entries()) {
      l.queue.tell(new ProposalQueue.Propose(e));
    }
    if (l.observer) {
      // An observer's queue holds proposals until it hears they are committed; the committed
      // part of the sync must not wait for the next commit, which may never come.
      l.queue.tell(new ProposalQueue.CommitUpTo(lastCommitted));
    }
    l.send(new Packet.NewLeader(l.connection, epoch, lastProposed));
    l.stage = LearnerHandle.Stage.SYNCING;
    return this;
  }

  private Behavior<Command> maybeEstablish() {
    if (established || !epochCurrent) {
      return this;
    }
    int synced = 1;
    for (LearnerHandle l : learners.values()) {
      if (!l.observer && l.stage == LearnerHandle.Stage.SYNCED) {
        synced++;
      }
    }
    if (synced < acks.quorumSize()) {
      return this;
    }
    established = true;
    prep = new RequestPrep(env.view().latest(), env.maxDataBytes());
    getContext().getLog().info("epoch {} established; serving", epoch);
    commitReady();
    for (LearnerHandle l : learners.values()) {
      if (l.stage == LearnerHandle.Stage.SYNCED) {
        makeUpToDate(l);
      }
    }
    env.onServing().accept(getContext().getSelf(), writesRef);
    return this;
  }

  private void makeUpToDate(LearnerHandle l) {
    l.send(new Packet.UpToDate(l.connection, lastCommitted));
    l.stage = LearnerHandle.Stage.UP_TO_DATE;
    stats.publish(learners.values());
  }

  // ---- broadcast ----

  private Behavior<Command> onRequest(WritePath request) {
    if (!established) {
      return this;
    }
    if (request instanceof WritePath.SubmitWrite w) {
      propose(w.request());
    } else if (request instanceof WritePath.SubmitSync s) {
      sync(env.myId(), s.sessionId(), s.cxid());
    }
    return this;
  }

  private void propose(WriteRequest request) {
    if (!established) {
      return;
    }
    prep.committed(env.view().latest());
    long zxid = Zxid.of(epoch, ++counter);
    TxnEntry entry = prep.prepare(request, zxid, System.currentTimeMillis());
    lastProposed = zxid;
    proposalClock.proposed(zxid);
    uncommitted.addLast(entry);
    history.append(entry);
    batcher.tell(new LogBatcher.Append(entry));
    for (LearnerHandle l : learners.values()) {
      if (l.stage != LearnerHandle.Stage.DISCOVERING) {
        l.queue.tell(new ProposalQueue.Propose(entry));
      }
    }
  }

  private void sync(int serverId, long sessionId, int cxid) {
    if (uncommitted.isEmpty()) {
      answerSync(new WaitingSync(lastCommitted, serverId, sessionId, cxid));
    } else {
      syncs.addLast(new WaitingSync(lastProposed, serverId, sessionId, cxid));
    }
  }

  private void answerSync(WaitingSync s) {
    if (s.serverId() == env.myId()) {
      env.tree().tell(new DataTreeActor.Apply(List.of(),
          List.of(new DataTreeActor.SyncPoint(s.sessionId(), s.cxid()))));
    } else {
      LearnerHandle l = learners.get(s.serverId());
      if (l != null) {
        l.send(new Packet.SyncDone(l.connection, s.sessionId(), s.cxid()));
      }
    }
  }

  private Behavior<Command> commitReady() {
    if (!established) {
      return this;
    }
    long committable = acks.committable();
    if (uncommitted.isEmpty() || uncommitted.peekFirst().zxid() > committable) {
      return this;
    }
    if (env.crashPoints().reached(CrashPoints.LEADER_BEFORE_COMMIT)) {
      return Behaviors.stopped();
    }
    List<TxnEntry> batch = new ArrayList<>();
    while (!uncommitted.isEmpty() && uncommitted.peekFirst().zxid() <= committable) {
      TxnEntry e = uncommitted.pollFirst();
      batch.add(e);
      trackSessions(e);
    }
    lastCommitted = batch.get(batch.size() - 1).zxid();
    proposalClock.committed(lastCommitted);
    for (LearnerHandle l : learners.values()) {
      if (l.stage != LearnerHandle.Stage.DISCOVERING) {
        l.queue.tell(new ProposalQueue.CommitUpTo(lastCommitted));
      }
    }
    List<DataTreeActor.SyncPoint> local = new ArrayList<>();
    while (!syncs.isEmpty() && syncs.peekFirst().afterZxid() <= lastCommitted) {
      WaitingSync s = syncs.pollFirst();
      if (s.serverId() == env.myId()) {
        local.add(new DataTreeActor.SyncPoint(s.sessionId(), s.cxid()));
      } else {
        answerSync(s);
      }
    }
    env.tree().tell(new DataTreeActor.Apply(batch, local));
    return this;
  }

  private void trackSessions(TxnEntry e) {
    if (e.txn() instanceof Txn.CreateSession c) {
      env.tracker().tell(new SessionTrackerActor.Track(e.sessionId(), c.timeoutMs()));
    } else if (e.txn() instanceof Txn.CloseSession) {
      env.tracker().tell(new SessionTrackerActor.Untrack(e.sessionId()));
    }
  }

  // ---- liveness ----

  /** Lets serving learners tell a dead leader from a quiet one within their leader-timeout. */
  private Behavior<Command> beat() {
    for (LearnerHandle l : learners.values()) {
      if (l.stage == LearnerHandle.Stage.UP_TO_DATE) {
        l.send(new Packet.LeaderPing(l.connection));
      }
    }
    return this;
  }

  private Behavior<Command> onTick() {
    long now = System.nanoTime();
    if (!established && now - startedNanos > time.initLimit().toNanos()) {
      return stepDown("no quorum synced within init-limit");
    }
    long limit = time.syncLimit().toNanos();
    int alive = 1;
    for (LearnerHandle l : new ArrayList<>(learners.values())) {
      if (now - l.lastHeardNanos > (l.stage == LearnerHandle.Stage.UP_TO_DATE
          ? limit : time.initLimit().toNanos())) {
        drop(l.id, "silent for too long");
        continue;
      }
      if (l.stage == LearnerHandle.Stage.UP_TO_DATE) {
        if (!l.observer) {
          alive++;
        }
      }
    }
    if (established && alive < acks.quorumSize()) {
      return stepDown("lost contact with a quorum");
    }
    stats.publish(learners.values());
    return this;
  }

  private void drop(int id, String reason) {
    LearnerHandle l = learners.remove(id);
    if (l != null) {
      getContext().getLog().info("dropping learner {}: {}", id, reason);
      env.peers().tell(new Peers.Send(id, new Packet.Goodbye(l.connection, reason)));
      getContext().stop(l.queue);
    }
  }

  private Behavior<Command> stepDown(String reason) {
    getContext().getLog().warn("stepping down as leader: {}", reason);
    for (int id : new HashSet<>(learners.keySet())) {
      drop(id, "leader stepping down");
    }
    stats.publish(learners.values());
    return Behaviors.stopped();
  }

  /** Proposes removal of empty containers and expired TTL nodes (ZooKeeper's ContainerManager). */
  private Behavior<Command> reapContainers() {
    if (!established) {
      return this;
    }
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

  static long newConnectionId() {
    return ThreadLocalRandom.current().nextLong();
  }
}
