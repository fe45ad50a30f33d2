package dev.paddock.zab;

import dev.paddock.api.Code;
import dev.paddock.request.RequestPrep;
import dev.paddock.request.WriteRequest;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.tree.DataTree;
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
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The leading role as a pure state machine: events in, effects out, no threads, clocks or I/O.
 *
 * <p>Discovery: with FollowerInfo from a quorum of voters it settles a new epoch above every
 * accepted one and makes it durable as accepted; it records the epoch as current only once a
 * quorum (itself included) acknowledged it, so a leader that gives up during discovery never
 * carries an epoch that could win an election with a short history. Sync: each learner gets
 * DIFF, TRUNC or SNAP through its own {@link LearnerQueue}, then NEWLEADER; a learner's acks
 * count only after it acknowledged NEWLEADER, and once a quorum has, the whole history is
 * committed and the leader serves, preparing requests against a tree that already holds that
 * history. Broadcast: writes get the next zxid, are logged and queued to every learner at once;
 * commits go out strictly in zxid order once a quorum made a txn durable. A sync is answered
 * after every commit before it and after a quorum confirmed, after the sync arrived, that this
 * server still leads, so a deposed leader never answers one.
 */
public final class LeaderState {
  private static final long LAST_COUNTER = 0xffffffffL;

  private record WaitingSync(long afterZxid, long round, int serverId, long sessionId, int cxid) {}

  private final RoleConfig cfg;
  private final ZabTimers time;
  private final Supplier<TreeSnapshot> tree;
  private final LongSupplier wallMillis;
  private final Logger log;
  private final Map<Integer, LearnerPeer> learners = new HashMap<>();
  private final Map<Integer, Long> acceptedEpochs = new HashMap<>();
  private final Set<Integer> epochAcks = new HashSet<>();
  private final ArrayDeque<TxnEntry> uncommitted = new ArrayDeque<>();
  private final ArrayDeque<WaitingSync> syncs = new ArrayDeque<>();
  private final SessionOwners sessions = new SessionOwners();
  private final History history;
  private final AckTracker acks;
  private final long myAcceptedEpoch;
  private final long myCurrentEpoch;
  private final long myLastZxid;
  private final long startedNanos;
  private List<ZabEffect> out = new ArrayList<>();
  private long now;
  private RequestPrep prep;
  private long epoch = -1;
  private boolean epochAccepted;
  private boolean epochCurrentAsked;
  private boolean epochCurrent;
  private boolean established;
  private boolean stopped;
  private long counter;
  private long lastProposed;
  private long lastCommitted;
  private long round;

  /**
   * @param logState the transaction log when the role begins
   * @param tree this server's applied, committed tree (it may lag the commits sent to it)
   * @param wallMillis the wall clock, for the times recorded in txns
   */
  public LeaderState(RoleConfig cfg, TxnLog.Snapshot logState, Supplier<TreeSnapshot> tree,
      LongSupplier wallMillis, long nowNanos, Logger log) {
    this.cfg = cfg;
    this.time = cfg.timers();
    this.tree = tree;
    this.wallMillis = wallMillis;
    this.log = log;
    this.now = nowNanos;
    this.startedNanos = nowNanos;
    TreeSnapshot committed = tree.get();
    long applied = committed.zxid();
    this.myAcceptedEpoch = logState.acceptedEpoch();
    this.myCurrentEpoch = logState.currentEpoch();
    // A follower applies commits before its own copy is durable, so after a crash its tree may
    // be ahead of its log; the history then starts at the tree.
    this.myLastZxid = Math.max(logState.lastZxid(), applied);
    // Everything logged since the newest snapshot: a learner one txn behind gets a DIFF.
    long base = logState.lastZxid() < applied ? applied : Math.min(logState.baseZxid(), applied);
    this.history = new History(base, cfg.diffWindow(), cfg.diffWindowBytes());
    for (TxnEntry e : logState.entries()) {
      if (e.zxid() > base) {
        history.append(e);
        if (e.zxid() > committed.zxid()) {
          uncommitted.addLast(e);
        }
      }
    }
    this.lastProposed = myLastZxid;
    this.lastCommitted = applied;
    this.acks = new AckTracker(cfg.voters());
    acceptedEpochs.put(cfg.myId(), myAcceptedEpoch);
    log.info("leading: history up to {}, committed tree at {}", Zxid.toHex(myLastZxid),
        Zxid.toHex(committed.zxid()));
  }

  /** The effects of taking the role (a lone voter settles its epoch at once). */
  public List<ZabEffect> start() {
    maybeSettleEpoch();
    return drain();
  }

  public List<ZabEffect> step(ZabEvent event, long nowNanos) {
    if (stopped) {
      return List.of();
    }
    now = nowNanos;
    if (event instanceof ZabEvent.Received r) {
      onPacket(r.from(), r.packet());
    } else if (event instanceof ZabEvent.LinkLost l) {
      drop(l.peer(), "link lost");
    } else if (event instanceof ZabEvent.ClientWrite w) {
      if (established) {
        propose(w.request(), cfg.myId());
      }
    } else if (event instanceof ZabEvent.ClientSync s) {
      if (established) {
        sync(cfg.myId(), s.sessionId(), s.cxid());
      }
    } else if (event instanceof ZabEvent.Revalidate r) {
      out.add(new ZabEffect.SessionValid(r.sessionId(), r.token(),
          established && sessions.revalidate(r.sessionId(), cfg.myId())));
    } else if (event instanceof ZabEvent.Logged l) {
      acks.ack(cfg.myId(), l.lastZxid());
      commitReady();
    } else if (event instanceof ZabEvent.Persisted p) {
      onPersisted(p.op());
    } else if (event instanceof ZabEvent.Tick) {
      onTick();
    } else if (event instanceof ZabEvent.Beat) {
      onBeat();
    }
    return drain();
  }

  public boolean established() {
    return established;
  }

  public long epoch() {
    return epoch;
  }

  public long lastCommitted() {
    return lastCommitted;
  }

  public long lastProposed() {
    return lastProposed;
  }

  /** The connected learners by id, with their stage (for status reports). */
  public List<ZabStats.Learner> learners() {
    return learners.values().stream().map(LearnerPeer::view)
        .sorted(java.util.Comparator.comparingInt(ZabStats.Learner::id)).toList();
  }

  private List<ZabEffect> drain() {
    List<ZabEffect> effects = out;
    out = new ArrayList<>();
    return effects;
  }

  // ---- discovery and sync ----

  private void onPacket(int from, Packet p) {
    if (p instanceof Packet.FollowerInfo info) {
      onFollowerInfo(from, info);
      return;
    }
    LearnerPeer l = learners.get(from);
    if (l == null || l.connection != p.connection()) {
      return;
    }
    l.lastHeardNanos = now;
    if (p instanceof Packet.AckEpoch a) {
      onAckEpoch(l, a);
    } else if (p instanceof Packet.AckNewLeader a) {
      onAckNewLeader(l, a);
    } else if (p instanceof Packet.Ack a) {
      if (!l.observer && (l.synced() || cfg.bugs().countAckBeforeNewLeader())) {
        acks.ack(l.id, a.zxid());
      }
      l.send(out, new LearnerQueue.Acked(a.zxid()));
      commitReady();
    } else if (p instanceof Packet.ForwardWrite w) {
      if (checkSeq(l, w.seq()) && established) {
        propose(w.request(), l.id);
      }
    } else if (p instanceof Packet.ForwardSync s) {
      if (checkSeq(l, s.seq()) && established) {
        sync(l.id, s.sessionId(), s.cxid());
      }
    } else if (p instanceof Packet.SnapAck a) {
      l.send(out, new LearnerQueue.SnapAcked(a.index()));
    } else if (p instanceof Packet.Revalidate r) {
      l.send(out, new LearnerQueue.Raw(new Packet.Revalidated(l.connection, r.sessionId(),
          r.token(), established && sessions.revalidate(r.sessionId(), l.id))));
    } else if (p instanceof Packet.LearnerPing ping) {
      if (ping.echo() > l.echoedRound) {
        l.echoedRound = ping.echo();
        l.lastEchoNanos = now;
        answerSyncs();
      }
      if (!ping.touchedSessions().isEmpty()) {
        out.add(new ZabEffect.TouchSessions(ping.touchedSessions()));
      }
    }
  }

  private boolean checkSeq(LearnerPeer l, long seq) {
    if (seq != l.forwardSeq + 1) {
      drop(l.id, "forwarded requests out of sequence");
      return false;
    }
    l.forwardSeq = seq;
    return true;
  }

  private void onFollowerInfo(int from, Packet.FollowerInfo info) {
    boolean configuredObserver = cfg.observers().contains(from);
    if (info.observer() != configuredObserver
        || !cfg.voters().contains(from) && !configuredObserver) {
      out.add(new ZabEffect.Send(from, new Packet.Goodbye(info.connection(), "server " + from
          + " is not configured as a " + (info.observer() ? "observer" : "voter"))));
      return;
    }
    LearnerPeer existing = learners.get(from);
    if (existing != null && existing.connection == info.connection()) {
      return;
    }
    drop(from, "reconnected");
    LearnerPeer l = new LearnerPeer(from, info.connection(), info.observer(), now);
    learners.put(from, l);
    out.add(new ZabEffect.OpenQueue(from, info.connection(), info.observer()));
    if (epoch < 0) {
      if (!info.observer()) {
        acceptedEpochs.put(from, info.acceptedEpoch());
        maybeSettleEpoch();
      }
    } else if (epochAccepted) {
      // A learner that accepted a newer epoch refuses this one and looks elsewhere; it does not
      // depose a leader the others follow (ZooKeeper's getEpochToPropose once settled).
      l.send(out, new LearnerQueue.Raw(new Packet.LeaderInfo(l.connection, epoch)));
    }
  }

  private void maybeSettleEpoch() {
    if (epoch >= 0 || acceptedEpochs.size() < cfg.quorum()) {
      return;
    }
    epoch = acceptedEpochs.values().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
    log.info("new epoch {} settled with {}", epoch, new TreeSet<>(acceptedEpochs.keySet()));
    out.add(new ZabEffect.Persist(new LogOp.AcceptEpoch(epoch)));
  }

  private void onPersisted(LogOp op) {
    if (op instanceof LogOp.AcceptEpoch) {
      epochAccepted = true;
      epochAcks.add(cfg.myId());
      for (LearnerPeer l : learners.values()) {
        l.send(out, new LearnerQueue.Raw(new Packet.LeaderInfo(l.connection, epoch)));
      }
      if (cfg.bugs().currentEpochBeforeQuorum()) {
        askEpochCurrent();
      }
      maybeEpochQuorum();
    } else if (op instanceof LogOp.SetCurrentEpoch) {
      epochCurrent = true;
      acks.ack(cfg.myId(), myLastZxid);
      maybeEstablish();
    }
  }

  /**
   * Before the epoch is established a learner with a newer history than ours means this server
   * should not lead (its election information was stale). Afterwards the established history
   * is the reference, and a returning server's longer old-epoch tail is simply truncated.
   */
  private void onAckEpoch(LearnerPeer l, Packet.AckEpoch a) {
    if (l.stage != LearnerPeer.Stage.DISCOVERING) {
      return;
    }
    if (!established && (a.currentEpoch() > myCurrentEpoch
        || a.currentEpoch() == myCurrentEpoch && a.lastZxid() > myLastZxid)) {
      stepDown("learner " + l.id + " has a newer history (epoch " + a.currentEpoch()
          + ", zxid " + Zxid.toHex(a.lastZxid()) + ")");
      return;
    }
    l.ackedEpoch = true;
    l.lastZxid = a.lastZxid();
    if (!l.observer) {
      epochAcks.add(l.id);
    }
    if (epochCurrentAsked) {
      syncLearner(l);
    } else {
      maybeEpochQuorum();
    }
  }

  /** A quorum acknowledged the new epoch: record it as current and sync those who acked. */
  private void maybeEpochQuorum() {
    if (!epochAccepted || epochAcks.size() < cfg.quorum()) {
      return;
    }
    askEpochCurrent();
    for (LearnerPeer l : new ArrayList<>(learners.values())) {
      if (l.ackedEpoch && l.stage == LearnerPeer.Stage.DISCOVERING) {
        syncLearner(l);
      }
    }
  }

  private void askEpochCurrent() {
    if (!epochCurrentAsked) {
      epochCurrentAsked = true;
      out.add(new ZabEffect.Persist(new LogOp.SetCurrentEpoch(epoch)));
    }
  }

  private void syncLearner(LearnerPeer l) {
    TreeSnapshot t = tree.get();
    SyncPlan plan = SyncPlan.plan(history, l.lastZxid, t.zxid());
    log.info("syncing learner {} from {} by {} ({} txns)", l.id, Zxid.toHex(l.lastZxid),
        plan.mode(), plan.entries().size());
    l.send(out, new LearnerQueue.Raw(new Packet.SyncStart(l.connection, plan.mode(),
        plan.truncateTo())));
    if (plan.mode() == Packet.SyncMode.SNAP) {
      l.send(out, new LearnerQueue.SendSnapshot(t));
    }
    for (TxnEntry e : plan.entries()) {
      l.send(out, new LearnerQueue.Propose(e));
    }
    if (l.observer) {
      // An observer's queue holds proposals until it hears they are committed; the committed
      // part of the sync must not wait for the next commit, which may never come.
      l.send(out, new LearnerQueue.CommitUpTo(lastCommitted));
    }
    l.send(out, new LearnerQueue.Raw(new Packet.NewLeader(l.connection, epoch, lastProposed)));
    l.stage = LearnerPeer.Stage.SYNCING;
  }

  private void onAckNewLeader(LearnerPeer l, Packet.AckNewLeader a) {
    if (l.stage != LearnerPeer.Stage.SYNCING) {
      return;
    }
    l.stage = LearnerPeer.Stage.SYNCED;
    if (!l.observer) {
      acks.ack(l.id, a.zxid());
    }
    if (established) {
      makeUpToDate(l);
      commitReady();
    } else {
      maybeEstablish();
    }
  }

  private void maybeEstablish() {
    if (established || !epochCurrent) {
      return;
    }
    int synced = 1;
    for (LearnerPeer l : learners.values()) {
      if (!l.observer && l.stage == LearnerPeer.Stage.SYNCED) {
        synced++;
      }
    }
    if (synced < cfg.quorum()) {
      return;
    }
    established = true;
    counter = cfg.firstCounter() - 1;
    // The server's tree gets the history as commits, but later: requests must be checked
    // against all of it now (ZooKeeper replays its log before serving), or a create could
    // succeed twice.
    TreeSnapshot committed = DataTree.withApplied(tree.get(), uncommitted);
    prep = new RequestPrep(committed, cfg.maxDataBytes());
    sessions.reset(committed);
    log.info("epoch {} established; serving", epoch);
    commitReady();
    for (LearnerPeer l : learners.values()) {
      if (l.stage == LearnerPeer.Stage.SYNCED) {
        makeUpToDate(l);
      }
    }
    out.add(new ZabEffect.Serving());
  }

  private void makeUpToDate(LearnerPeer l) {
    l.send(out, new LearnerQueue.Raw(new Packet.UpToDate(l.connection, lastCommitted)));
    l.stage = LearnerPeer.Stage.UP_TO_DATE;
    l.lastEchoNanos = now;
  }

  // ---- broadcast ----

  private void propose(WriteRequest request, int origin) {
    if (counter + 1 >= LAST_COUNTER) {
      // The next zxid would wrap into a lower one (ZOOKEEPER-1277): a new epoch restarts it.
      stepDown("zxid counter of epoch " + epoch + " exhausted; a new epoch must begin");
      return;
    }
    prep.committed(tree.get());
    long zxid = Zxid.of(epoch, ++counter);
    Code moved = sessions.check(request, origin);
    TxnEntry entry = moved != null
        ? new TxnEntry(zxid, request.sessionId(), request.cxid(), wallMillis.getAsLong(),
            new Txn.Error(moved))
        : prep.prepare(request, zxid, wallMillis.getAsLong());
    sessions.prepared(entry, origin);
    lastProposed = zxid;
    uncommitted.addLast(entry);
    history.append(entry);
    out.add(new ZabEffect.Persist(new LogOp.Append(List.of(entry))));
    for (LearnerPeer l : learners.values()) {
      if (l.stage != LearnerPeer.Stage.DISCOVERING) {
        l.send(out, new LearnerQueue.Propose(entry));
      }
    }
  }

  /**
   * Answered after every txn proposed before it commits, and after a quorum echoed a ping sent
   * after the sync arrived: a server that echoes still follows this leader, so no newer leader
   * can have committed anything this sync's reader would miss.
   */
  private void sync(int serverId, long sessionId, int cxid) {
    long r = ++round;
    syncs.addLast(new WaitingSync(uncommitted.isEmpty() ? lastCommitted : lastProposed, r,
        serverId, sessionId, cxid));
    pingLearners();
    answerSyncs();
  }

  private void pingLearners() {
    for (LearnerPeer l : learners.values()) {
      if (l.stage == LearnerPeer.Stage.UP_TO_DATE) {
        l.send(out, new LearnerQueue.Raw(new Packet.LeaderPing(l.connection, round)));
      }
    }
  }

  /**
   * The value a quorum of voters has reached: this server's own, and one per serving voting
   * learner (their echoed ping round, or when they last echoed). -1 without enough learners.
   */
  private long quorumReached(long mine, ToLongFunction<LearnerPeer> theirs) {
    List<Long> values = new ArrayList<>();
    values.add(mine);
    for (LearnerPeer l : learners.values()) {
      if (!l.observer && l.stage == LearnerPeer.Stage.UP_TO_DATE) {
        values.add(theirs.applyAsLong(l));
      }
    }
    if (values.size() < cfg.quorum()) {
      return -1;
    }
    values.sort(null);
    return values.get(values.size() - cfg.quorum());
  }

  private void answerSyncs() {
    if (syncs.isEmpty()) {
      return;
    }
    long confirmed = quorumReached(round, l -> l.echoedRound);
    List<ZabEffect.SyncAnswer> local = new ArrayList<>();
    while (!syncs.isEmpty() && syncs.peekFirst().afterZxid() <= lastCommitted
        && syncs.peekFirst().round() <= confirmed) {
      WaitingSync s = syncs.pollFirst();
      if (s.serverId() == cfg.myId()) {
        local.add(new ZabEffect.SyncAnswer(s.sessionId(), s.cxid()));
      } else {
        LearnerPeer l = learners.get(s.serverId());
        if (l != null) {
          l.send(out, new LearnerQueue.Raw(new Packet.SyncDone(l.connection, s.sessionId(),
              s.cxid())));
        }
      }
    }
    if (!local.isEmpty()) {
      out.add(new ZabEffect.Apply(List.of(), local));
    }
  }

  private void commitReady() {
    if (!established) {
      return;
    }
    long committable = acks.committable();
    if (uncommitted.isEmpty() || uncommitted.peekFirst().zxid() > committable) {
      return;
    }
    out.add(new ZabEffect.CrashPoint(CrashPoints.LEADER_BEFORE_COMMIT));
    List<TxnEntry> batch = new ArrayList<>();
    while (!uncommitted.isEmpty() && uncommitted.peekFirst().zxid() <= committable) {
      TxnEntry e = uncommitted.pollFirst();
      batch.add(e);
      trackSessions(e);
    }
    lastCommitted = batch.get(batch.size() - 1).zxid();
    for (LearnerPeer l : learners.values()) {
      if (l.stage != LearnerPeer.Stage.DISCOVERING) {
        l.send(out, new LearnerQueue.CommitUpTo(lastCommitted));
      }
    }
    out.add(new ZabEffect.Apply(batch, List.of()));
    answerSyncs();
    history.trim(tree.get().zxid());
  }

  private void trackSessions(TxnEntry e) {
    sessions.committed(e);
    if (e.txn() instanceof Txn.CreateSession c) {
      out.add(new ZabEffect.TrackSession(e.sessionId(), c.timeoutMs()));
    } else if (e.txn() instanceof Txn.CloseSession) {
      out.add(new ZabEffect.UntrackSession(e.sessionId()));
    }
  }

  // ---- liveness ----

  /**
   * Pings every serving learner, which echoes at once. A leader that has not heard a quorum
   * echo within leader-timeout steps down: its followers give up on it within the same bound,
   * and it must not go on answering reads meanwhile.
   */
  private void onBeat() {
    if (!established) {
      return;
    }
    round++;
    pingLearners();
    long quorumHeard = quorumReached(now, l -> l.lastEchoNanos);
    if (quorumHeard < 0) {
      stepDown("lost contact with a quorum");
    } else if (now - quorumHeard > time.leaderTimeout().toNanos()) {
      stepDown("no quorum echoed within " + time.leaderTimeout().toMillis() + "ms");
    }
  }

  private void onTick() {
    if (!established && now - startedNanos > time.initLimit().toNanos()) {
      stepDown("no quorum synced within init-limit");
      return;
    }
    long limit = time.syncLimit().toNanos();
    for (LearnerPeer l : new ArrayList<>(learners.values())) {
      long allowed = l.stage == LearnerPeer.Stage.UP_TO_DATE ? limit : time.initLimit().toNanos();
      if (now - l.lastHeardNanos > allowed) {
        drop(l.id, "silent for too long");
      }
    }
  }

  private void drop(int id, String reason) {
    LearnerPeer l = learners.remove(id);
    if (l != null) {
      log.info("dropping learner {}: {}", id, reason);
      out.add(new ZabEffect.Send(id, new Packet.Goodbye(l.connection, reason)));
      out.add(new ZabEffect.CloseQueue(id));
      // Its acks are of a connection that no longer exists; after a resync it acks again.
      acks.reset(id, 0);
      if (!established && epoch < 0) {
        acceptedEpochs.remove(id);
      }
      epochAcks.remove(id);
    }
  }

  private void stepDown(String reason) {
    log.warn("stepping down as leader: {}", reason);
    for (int id : new ArrayList<>(learners.keySet())) {
      drop(id, "leader stepping down");
    }
    out.add(new ZabEffect.StepDown(reason));
    stopped = true;
  }
}
