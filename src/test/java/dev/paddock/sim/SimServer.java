package dev.paddock.sim;

import dev.paddock.election.ElectionRound;
import dev.paddock.election.Notification;
import dev.paddock.election.ServerState;
import dev.paddock.election.Vote;
import dev.paddock.peers.LinkSequencer;
import dev.paddock.peers.PeerMessage;
import dev.paddock.tree.Applied;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import dev.paddock.tree.TreeSnapshotEncoder;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.zab.LeaderState;
import dev.paddock.zab.LearnerQueue;
import dev.paddock.zab.LearnerState;
import dev.paddock.zab.LogOp;
import dev.paddock.zab.Packet;
import dev.paddock.zab.ZabEffect;
import dev.paddock.zab.ZabEvent;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One simulated server: what {@code QuorumPeer} and the role actors do, with the production
 * pure state machines ({@link ElectionRound}, {@link LeaderState}, {@link LearnerState},
 * {@link LearnerQueue}) and tree ({@link DataTree}) inside, and the simulated network, disk
 * and clock outside. Effects are carried out as the production shells carry them out; a
 * crash point is a place where the simulator may crash the server.
 */
final class SimServer implements SimDisk.Owner {
  private static final org.slf4j.Logger QUIET = org.slf4j.helpers.NOPLogger.NOP_LOGGER;

  final int id;
  final SimDisk disk;
  final SimSessions sessions;
  private final Simulation sim;
  private long incarnation;
  private boolean up;
  private boolean storageOk;
  private long pausedUntil;
  private final ArrayDeque<Runnable> pausedWork = new ArrayDeque<>();
  private LinkSequencer links;
  private DataTree tree;
  private int untilSnapshot;
  private ElectionRound election;
  /** Voters whose process this one saw gone (a refused peer port) since its last election. */
  private final Set<Integer> gone = new HashSet<>();
  private final Map<ElectionRound.Timer, Long> electionTimers = new HashMap<>();
  private LeaderState leader;
  private LearnerState learner;
  private final Map<Integer, LearnerQueue> queues = new HashMap<>();
  private final Map<Integer, TreeSnapshotEncoder> encoders = new HashMap<>();
  private ByteArrayOutputStream spool;
  private long roleGen;
  private long timerTokens;
  private Vote currentVote;
  private long electionClock;
  private ServerState state = ServerState.LOOKING;
  private boolean serving;

  SimServer(int id, Simulation sim) {
    this.id = id;
    this.sim = sim;
    this.disk = new SimDisk(sim.sched, sim.random, 3);
    this.sessions = new SimSessions(this, sim);
  }

  boolean up() {
    return up;
  }

  long incarnation() {
    return incarnation;
  }

  boolean serving() {
    return up && serving;
  }

  boolean leading() {
    return leader != null && serving;
  }

  DataTree tree() {
    return tree;
  }

  long now() {
    return sim.sched.now();
  }

  long acceptedEpoch() {
    return disk.logState().acceptedEpoch();
  }

  long leaderEpoch() {
    return leader == null ? -1 : leader.epoch();
  }

  String role() {
    return !up ? "down" : leader != null ? "leader" : learner != null ? "follower"
        : election != null ? "looking" : "idle";
  }

  // ---- life ----

  void start() {
    incarnation++;
    up = true;
    links = new LinkSequencer();
    serving = false;
    tree = null;
    openStorage();
  }

  /** Opens the log and snapshots; the tree survives a storage failure, not a crash. */
  private void openStorage() {
    SimDisk.Recovered r = disk.open(this);
    if (r.refusal() != null) {
      sim.observer.violation("server " + id + " refuses to start: " + r.refusal());
      crash("refused to start");
      return;
    }
    storageOk = true;
    if (tree == null) {
      tree = DataTree.fromSnapshot(r.tree() == null ? SimDisk.emptyTree() : r.tree());
      untilSnapshot = nextSnapshotDistance();
    }
    sim.trace.add("s" + id + " up #" + incarnation + ": tree " + hex(tree.lastZxid()) + ", log "
        + hex(r.log().lastZxid()) + ", epoch " + r.log().currentEpoch() + "/"
        + r.log().acceptedEpoch());
    lookForLeader();
  }

  void crash(String why) {
    if (!up) {
      return;
    }
    sim.trace.add("s" + id + " CRASH (" + why + ")");
    up = false;
    long dead = incarnation;
    for (SimServer other : sim.servers()) {
      // Its followers' probes find its peer port refusing connects, if it stays down long
      // enough for two refused connects.
      sim.sched.after(sim.random.nextInt(1, 100) * 1_000_000L, () -> {
        if (!up && incarnation == dead && other != this) {
          other.portRefused(id);
        }
      });
    }
    stopRoles();
    // A new process starts its election clock and vote afresh.
    electionClock = 0;
    currentVote = null;
    pausedWork.clear();
    pausedUntil = 0;
    gone.clear();
    disk.crash();
    sessions.dropAll();
  }

  /** A follower of {@code leaderId} finds its port refusing connects. */
  private void portRefused(int leaderId) {
    run(() -> {
      if (learner != null && currentVote != null && currentVote.leaderId() == leaderId) {
        sim.trace.add("s" + id + " finds s" + leaderId + "'s port closed");
        gone.add(leaderId);
        roleStep(new ZabEvent.LeaderGone(leaderId));
      }
    });
  }

  /** Whatever role or election ran ends, with its timers and queues. */
  private void stopRoles() {
    roleGen++;
    leader = null;
    learner = null;
    election = null;
    electionTimers.clear();
    queues.clear();
    encoders.clear();
    serving = false;
  }

  void pause(long nanos) {
    if (up) {
      sim.trace.add("s" + id + " paused for " + nanos / 1_000_000 + "ms");
      pausedUntil = Math.max(pausedUntil, now() + nanos);
      long inc = incarnation;
      sim.sched.at(pausedUntil, () -> {
        if (incarnation == inc && now() >= pausedUntil) {
          while (!pausedWork.isEmpty() && now() >= pausedUntil) {
            pausedWork.pollFirst().run();
          }
        }
      });
    }
  }

  /** Runs work on this server now, or after its pause, in arrival order. */
  void run(Runnable work) {
    if (!up) {
      return;
    }
    if (now() < pausedUntil || !pausedWork.isEmpty()) {
      pausedWork.addLast(work);
    } else {
      work.run();
    }
  }

  private int nextSnapshotDistance() {
    int half = Math.max(1, sim.cfg.snapCount() / 2);
    return half + sim.random.nextInt(half);
  }

  // ---- election ----

  private void lookForLeader() {
    state = ServerState.LOOKING;
    serving = false;
    if (!up || !storageOk || leader != null || learner != null || election != null) {
      return;
    }
    TxnLog.Snapshot log = disk.logState();
    Vote self = new Vote(id, log.lastZxid(), log.currentEpoch());
    election = new ElectionRound(id, sim.voters(), Set.copyOf(gone), sim.voters(), false, self,
        electionClock, new ElectionRound.Timing(Duration.ofMillis(200), Duration.ofMillis(400)));
    gone.clear();
    electionTimers.clear();
    electionEffects(election.start());
  }

  private void electionEffects(List<ElectionRound.Effect> effects) {
    for (ElectionRound.Effect e : effects) {
      if (e instanceof ElectionRound.Send s) {
        sendPeer(s.to(), s.notification());
      } else if (e instanceof ElectionRound.Arm a) {
        long token = ++timerTokens;
        electionTimers.put(a.timer(), token);
        ElectionRound round = election;
        sim.sched.after(a.after().toNanos(), () -> run(() -> {
          if (election == round && Long.valueOf(token).equals(electionTimers.get(a.timer()))) {
            electionTimers.remove(a.timer());
            electionEffects(election.fire(a.timer()));
          }
        }));
      } else if (e instanceof ElectionRound.Decided d) {
        election = null;
        electionTimers.clear();
        currentVote = d.vote();
        electionClock = d.electionEpoch();
        sim.trace.add("s" + id + " elected " + d.vote().leaderId() + " (round "
            + d.electionEpoch() + ")");
        // As production asks the log for its state: after the record being written.
        long inc = incarnation;
        disk.whenIdle(() -> run(() -> {
          if (incarnation == inc && storageOk && leader == null && learner == null
              && election == null) {
            startRole(d.vote());
          }
        }));
        return;
      }
    }
  }

  // ---- roles ----

  private void startRole(Vote vote) {
    roleGen++;
    TxnLog.Snapshot log = disk.logState();
    sim.trace.add("s" + id + " starts role: log base " + hex(log.baseZxid()) + " last "
        + hex(log.lastZxid()) + " entries " + log.entries().size() + ", tree "
        + hex(tree.lastZxid()));
    if (vote.leaderId() == id) {
      state = ServerState.LEADING;
      leader = new LeaderState(sim.roleConfig(id), log, () -> tree.snapshot(),
          () -> 1_700_000_000_000L + now() / 1_000_000, now(), QUIET);
      startTimers();
      roleEffects(leader.start());
    } else {
      state = ServerState.FOLLOWING;
      learner = new LearnerState(sim.roleConfig(id), vote.leaderId(), false,
          sim.random.nextLong(), log, () -> tree.snapshot(), now(), QUIET);
      startTimers();
      roleEffects(learner.start());
    }
  }

  private void startTimers() {
    long gen = roleGen;
    every(sim.cfg.tick().toNanos(), gen, () -> {
      if (learner != null && learner.serving()) {
        roleStep(new ZabEvent.SessionsTouched(sessions.drainTouched()));
      }
      roleStep(new ZabEvent.Tick());
      if (leader != null && serving) {
        sessions.expire();
      }
    });
    every(sim.cfg.beat().toNanos(), gen, () -> roleStep(new ZabEvent.Beat()));
  }

  private void every(long period, long gen, Runnable action) {
    sim.sched.after(period, () -> {
      if (up && roleGen == gen) {
        run(() -> {
          if (roleGen == gen) {
            action.run();
          }
        });
        every(period, gen, action);
      }
    });
  }

  void roleStep(ZabEvent event) {
    if (leader != null) {
      roleEffects(leader.step(event, now()));
    } else if (learner != null) {
      roleEffects(learner.step(event, now()));
    }
  }

  private void roleEffects(List<ZabEffect> effects) {
    long gen = roleGen;
    for (ZabEffect e : effects) {
      if (!up || roleGen != gen) {
        return;
      }
      if (e instanceof ZabEffect.Send s) {
        sendPeer(s.to(), s.packet());
      } else if (e instanceof ZabEffect.OpenQueue o) {
        queues.put(o.learner(), new LearnerQueue(o.connection(), o.observer(), 2));
      } else if (e instanceof ZabEffect.Enqueue q) {
        LearnerQueue queue = queues.get(q.learner());
        if (queue != null) {
          queueOuts(q.learner(), queue, queue.offer(q.item()));
        }
      } else if (e instanceof ZabEffect.CloseQueue c) {
        queues.remove(c.learner());
      } else if (e instanceof ZabEffect.SpoolSnapshot sp) {
        spool(sp);
      } else if (e instanceof ZabEffect.Persist p) {
        disk.persist(p.op());
      } else if (e instanceof ZabEffect.SaveSnapshot s) {
        TreeSnapshot t = s.tree();
        disk.saveSnapshot(t, failure -> run(() -> {
          if (roleGen == gen) {
            roleStep(new ZabEvent.SnapshotSaved(t, failure));
          }
        }));
      } else if (e instanceof ZabEffect.ReplaceTree r) {
        tree = DataTree.fromSnapshot(r.tree());
        sim.trace.add("s" + id + " tree replaced by SNAP at " + hex(r.tree().zxid()));
      } else if (e instanceof ZabEffect.Apply a) {
        apply(a);
      } else if (e instanceof ZabEffect.TrackSession t) {
        sessions.track(t.sessionId(), t.timeoutMs());
      } else if (e instanceof ZabEffect.UntrackSession u) {
        sessions.untrack(u.sessionId());
      } else if (e instanceof ZabEffect.TouchSessions t) {
        sessions.touchAll(t.sessionIds());
      } else if (e instanceof ZabEffect.SessionValid v) {
        sessions.revalidated(v.sessionId(), v.token(), v.valid());
      } else if (e instanceof ZabEffect.Serving) {
        serving = true;
        if (leader != null) {
          sim.observer.established(leader.epoch(), id);
          sim.trace.add("s" + id + " LEADS epoch " + leader.epoch() + " from "
              + hex(leader.lastCommitted()));
          sessions.rearmAll();
        } else {
          sim.trace.add("s" + id + " follows " + currentVote.leaderId() + " at "
              + hex(tree.lastZxid()));
        }
      } else if (e instanceof ZabEffect.StepDown d) {
        sim.trace.add("s" + id + " " + state + " ends: " + d.reason());
        endRole();
        return;
      } else if (e instanceof ZabEffect.CrashPoint c) {
        if (sim.crashAt(c.name())) {
          crash("at " + c.name());
          sim.scheduleRestart(this);
          return;
        }
      }
    }
  }

  private void queueOuts(int learnerId, LearnerQueue queue, List<LearnerQueue.Out> outs) {
    for (LearnerQueue.Out o : outs) {
      if (o instanceof LearnerQueue.Transmit t) {
        sendPeer(learnerId, t.packet());
      } else if (o instanceof LearnerQueue.OpenSnapshot s) {
        encoders.put(learnerId, new TreeSnapshotEncoder(s.tree()));
      } else if (o instanceof LearnerQueue.NextChunks n) {
        TreeSnapshotEncoder encoder = encoders.get(learnerId);
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < n.count() && encoder.hasMore(); i++) {
          parts.add(encoder.next(sim.cfg.snapChunkBytes()));
        }
        boolean finished = !encoder.hasMore();
        long gen = roleGen;
        // Encoding runs off the queue's thread in production: the parts come back later.
        sim.sched.after(100_000, () -> run(() -> {
          if (roleGen == gen && queues.get(learnerId) == queue) {
            queueOuts(learnerId, queue, queue.chunks(parts, finished));
          }
        }));
      }
    }
  }

  /** A learner's spool: the SNAP chunks so far; decoded after the last. */
  private void spool(ZabEffect.SpoolSnapshot s) {
    if (s.index() == 0) {
      spool = new ByteArrayOutputStream();
    }
    spool.writeBytes(s.bytes());
    if (s.last()) {
      byte[] bytes = spool.toByteArray();
      spool = null;
      long gen = roleGen;
      sim.sched.after(300_000, () -> run(() -> {
        if (roleGen != gen) {
          return;
        }
        try {
          roleStep(new ZabEvent.SnapshotReceived(TreeSnapshotCodec.read(new DataInputStream(
              new ByteArrayInputStream(bytes))), null));
        } catch (IOException e) {
          roleStep(new ZabEvent.SnapshotReceived(null, e.getMessage()));
        }
      }));
    }
  }

  private void apply(ZabEffect.Apply a) {
    for (TxnEntry e : a.entries()) {
      sim.observer.seen(id, e);
      if (e.zxid() <= tree.lastZxid()) {
        continue;
      }
      sim.observer.applying(id, tree.lastZxid(), e);
      Applied applied = tree.apply(e);
      sessions.committed(e, applied.result(), tree.lastZxid());
      if (--untilSnapshot <= 0) {
        disk.saveSnapshot(tree.snapshot(), null);
        untilSnapshot = nextSnapshotDistance();
      }
    }
    for (ZabEffect.SyncAnswer s : a.syncs()) {
      sessions.synced(s.sessionId(), s.cxid(), tree.lastZxid());
    }
  }

  private void endRole() {
    disk.roleEnded();
    roleGen++;
    leader = null;
    learner = null;
    queues.clear();
    serving = false;
    state = ServerState.LOOKING;
    sessions.dropAll();
    long inc = incarnation;
    sim.sched.after(50_000_000, () -> run(() -> {
      if (incarnation == inc) {
        lookForLeader();
      }
    }));
  }

  // ---- peers ----

  private void sendPeer(int to, PeerMessage m) {
    SimServer target = sim.server(to);
    sim.net.send(id, incarnation, to, target.incarnation(), links.nextSeq(to), m);
  }

  /** A message arrived from the network for incarnation {@code toIncarnation}. */
  void receive(long toIncarnation, int from, long fromIncarnation, long seq, PeerMessage m) {
    if (!up || toIncarnation != incarnation) {
      return;
    }
    run(() -> {
      if (links.arrivedNeedsReset(from, fromIncarnation, seq)) {
        roleStep(new ZabEvent.LinkLost(from));
      }
      if (m instanceof Notification n) {
        if (election != null) {
          electionEffects(election.receive(from, n));
        } else if (state != ServerState.LOOKING && n.state() == ServerState.LOOKING
            && currentVote != null) {
          sendPeer(from, new Notification(currentVote, electionClock, state));
        }
      } else if (m instanceof Packet p) {
        roleStep(new ZabEvent.Received(from, p));
      }
    });
  }

  // ---- storage ----

  @Override
  public void logged(long lastZxid) {
    run(() -> roleStep(new ZabEvent.Logged(lastZxid)));
  }

  @Override
  public void persisted(LogOp op) {
    run(() -> roleStep(new ZabEvent.Persisted(op)));
  }

  @Override
  public boolean crashesAfterFsync() {
    if (sim.crashAt("after-fsync")) {
      crash("durable, not yet acknowledged");
      sim.scheduleRestart(this);
      return true;
    }
    return false;
  }

  /** The log failed a write: stop serving, and try the storage again every five ticks. */
  @Override
  public void storageFailed(String why) {
    run(() -> {
      sim.trace.add("s" + id + " storage failed: " + why);
      storageOk = false;
      stopRoles();
      state = ServerState.LOOKING;
      sessions.dropAll();
      retryStorage();
    });
  }

  private void retryStorage() {
    long inc = incarnation;
    sim.sched.after(sim.cfg.tick().toNanos() * 5, () -> run(() -> {
      if (incarnation != inc || storageOk) {
        return;
      }
      if (disk.writable()) {
        openStorage();
      } else {
        retryStorage();
      }
    }));
  }

  static String hex(long zxid) {
    return Long.toHexString(zxid);
  }
}
