package dev.paddock.zab;

import dev.paddock.txnlog.TxnLog;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * A learner's role (follower, or observer) as a pure state machine: events in, effects out.
 * Discovery: FollowerInfo, accept the new epoch durably, AckEpoch. Sync: DIFF / TRUNC / SNAP,
 * then NEWLEADER: every synced txn durable, then the new current epoch, then the ack (the order
 * of ZOOKEEPER-3911/4646). Broadcast: log proposals and ack them once durable, apply commits in
 * order, forward this server's writes and syncs, echo the leader's pings. The tree only ever
 * receives committed txns: synced txns are applied on UPTODATE, later ones on COMMIT. While a
 * log record it depends on is being made durable, packets wait, in order.
 */
public final class LearnerState {
  private enum Phase { DISCOVERY, SYNC, SYNCED, BROADCAST }

  private final RoleConfig cfg;
  private final int leaderId;
  private final boolean observer;
  private final long connection;
  private final long startAcceptedEpoch;
  private final Supplier<TreeSnapshot> tree;
  private final Logger log;
  private final ArrayDeque<TxnEntry> pending = new ArrayDeque<>();
  private final ArrayDeque<Packet> deferred = new ArrayDeque<>();
  private final long startedNanos;
  private List<ZabEffect> out = new ArrayList<>();
  private long now;
  private Phase phase = Phase.DISCOVERY;
  private boolean busy;
  private boolean stopped;
  private long acceptedEpoch;
  private long currentEpoch;
  private long lastLogged;
  private long committedUpTo;
  private long forwardSeq;
  private long lastRound;
  private long lastHeardNanos;
  /** When the last tick or beat ran: a long gap means this server was not running. */
  private long lastTimerNanos;
  /** The SNAP chunk expected next; -1 when no SNAP is under way. */
  private int nextSnapChunk = -1;

  /**
   * @param connection a random id for this attempt, so packets of an earlier one are told apart
   * @param tree this server's applied, committed tree
   */
  public LearnerState(RoleConfig cfg, int leaderId, boolean observer, long connection,
      TxnLog.Snapshot logState, Supplier<TreeSnapshot> tree, long nowNanos, Logger log) {
    this.cfg = cfg;
    this.leaderId = leaderId;
    this.observer = observer;
    this.connection = connection;
    this.tree = tree;
    this.log = log;
    this.now = nowNanos;
    this.startedNanos = nowNanos;
    this.lastHeardNanos = nowNanos;
    this.lastTimerNanos = nowNanos;
    this.acceptedEpoch = logState.acceptedEpoch();
    this.startAcceptedEpoch = acceptedEpoch;
    this.currentEpoch = logState.currentEpoch();
    long applied = tree.get().zxid();
    // The log, not the tree, says what to sync from: a commit may be applied before it is
    // durable here, and a tree ahead of its log must not let the log skip those txns.
    this.lastLogged = logState.lastZxid();
    for (TxnEntry e : logState.entries()) {
      if (e.zxid() > applied) {
        pending.addLast(e);
      }
    }
    log.info("{} leader {}: log up to {}, epoch {}", observer ? "observing" : "following",
        leaderId, Zxid.toHex(lastLogged), currentEpoch);
  }

  public List<ZabEffect> start() {
    send(new Packet.FollowerInfo(connection, acceptedEpoch, lastLogged, observer));
    return drain();
  }

  public List<ZabEffect> step(ZabEvent event, long nowNanos) {
    if (stopped) {
      return List.of();
    }
    now = nowNanos;
    if (event instanceof ZabEvent.Received r) {
      if (r.from() == leaderId && r.packet().connection() == connection) {
        lastHeardNanos = now;
        if (busy) {
          deferred.addLast(r.packet());
        } else {
          onPacket(r.packet());
        }
      }
    } else if (event instanceof ZabEvent.LinkLost l) {
      if (l.peer() == leaderId) {
        stepDown("lost the link to the leader");
      }
    } else if (event instanceof ZabEvent.LeaderGone g) {
      if (g.leaderId() == leaderId) {
        stepDown("leader " + leaderId + "'s port refuses connections");
      }
    } else if (event instanceof ZabEvent.ClientWrite w) {
      if (phase == Phase.BROADCAST) {
        send(new Packet.ForwardWrite(connection, ++forwardSeq, w.request()));
      }
    } else if (event instanceof ZabEvent.ClientSync s) {
      if (phase == Phase.BROADCAST) {
        send(new Packet.ForwardSync(connection, ++forwardSeq, s.sessionId(), s.cxid()));
      }
    } else if (event instanceof ZabEvent.Revalidate r) {
      if (phase == Phase.BROADCAST) {
        send(new Packet.Revalidate(connection, r.sessionId(), r.token()));
      } else {
        out.add(new ZabEffect.SessionValid(r.sessionId(), r.token(), false));
      }
    } else if (event instanceof ZabEvent.Logged l) {
      if (phase != Phase.DISCOVERY && !cfg.bugs().ackBeforeFsync()) {
        send(new Packet.Ack(connection, l.lastZxid()));
      }
    } else if (event instanceof ZabEvent.Persisted p) {
      onPersisted(p.op());
    } else if (event instanceof ZabEvent.SnapshotReceived r) {
      onSnapshotReceived(r);
    } else if (event instanceof ZabEvent.SnapshotSaved s) {
      onSnapshotSaved(s);
    } else if (event instanceof ZabEvent.SessionsTouched t) {
      if (phase == Phase.BROADCAST) {
        send(new Packet.LearnerPing(connection, t.sessionIds(), lastRound));
      }
    } else if (event instanceof ZabEvent.Tick) {
      resumeCheck();
      onTick();
    } else if (event instanceof ZabEvent.Beat) {
      resumeCheck();
      onBeat();
    }
    return drain();
  }

  public boolean serving() {
    return phase == Phase.BROADCAST && !stopped;
  }

  private List<ZabEffect> drain() {
    List<ZabEffect> effects = out;
    out = new ArrayList<>();
    return effects;
  }

  private void onPacket(Packet p) {
    if (p instanceof Packet.LeaderInfo info) {
      onLeaderInfo(info);
    } else if (p instanceof Packet.SyncStart s) {
      onSyncStart(s);
    } else if (p instanceof Packet.SnapChunk c) {
      onSnapChunk(c);
    } else if (p instanceof Packet.Proposals props) {
      log(props.entries());
      if (cfg.bugs().ackBeforeFsync() && phase != Phase.DISCOVERY) {
        send(new Packet.Ack(connection, lastLogged));
      }
    } else if (p instanceof Packet.Inform inform) {
      log(inform.entries());
      committedUpTo = Math.max(committedUpTo, lastLogged);
      if (phase == Phase.BROADCAST) {
        applyUpTo(committedUpTo);
      }
    } else if (p instanceof Packet.Commit c) {
      committedUpTo = Math.max(committedUpTo, c.zxid());
      if (phase == Phase.BROADCAST) {
        applyUpTo(committedUpTo);
      }
    } else if (p instanceof Packet.NewLeader n) {
      onNewLeader(n);
    } else if (p instanceof Packet.UpToDate u) {
      onUpToDate(u);
    } else if (p instanceof Packet.SyncDone s) {
      out.add(new ZabEffect.Apply(List.of(),
          List.of(new ZabEffect.SyncAnswer(s.sessionId(), s.cxid()))));
    } else if (p instanceof Packet.LeaderPing ping) {
      lastRound = Math.max(lastRound, ping.round());
      send(new Packet.LearnerPing(connection, List.of(), lastRound));
    } else if (p instanceof Packet.Revalidated r) {
      out.add(new ZabEffect.SessionValid(r.sessionId(), r.token(), r.valid()));
    } else if (p instanceof Packet.Goodbye g) {
      stepDown("leader said goodbye: " + g.reason());
    }
  }

  private void onLeaderInfo(Packet.LeaderInfo info) {
    if (info.newEpoch() < acceptedEpoch) {
      stepDown("leader offers epoch " + info.newEpoch() + " below accepted " + acceptedEpoch);
      return;
    }
    if (info.newEpoch() == acceptedEpoch) {
      send(new Packet.AckEpoch(connection, currentEpoch, lastLogged));
      return;
    }
    acceptedEpoch = info.newEpoch();
    persist(new LogOp.AcceptEpoch(info.newEpoch()));
  }

  private void onSyncStart(Packet.SyncStart s) {
    phase = Phase.SYNC;
    log.info("sync from leader {}: {} {}", leaderId, s.mode(), Zxid.toHex(s.zxid()));
    switch (s.mode()) {
      case DIFF -> { }
      case TRUNC -> {
        long applied = tree.get().zxid();
        if (s.zxid() < applied) {
          // The tree ran ahead of the log (a SNAP, or commits applied before this server's
          // own copy was durable); it holds committed txns only, so only the log is cut.
          log.info("truncating the log to {} below the tree at {}", Zxid.toHex(s.zxid()),
              Zxid.toHex(applied));
        }
        out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_IN_TRUNC));
        if (cfg.bugs().skipTruncate()) {
          return;
        }
        pending.removeIf(e -> e.zxid() > s.zxid());
        lastLogged = s.zxid();
        persist(new LogOp.Truncate(s.zxid()));
      }
      case SNAP -> nextSnapChunk = 0;
    }
  }

  private void onSnapChunk(Packet.SnapChunk c) {
    if (nextSnapChunk < 0 || c.index() != nextSnapChunk) {
      stepDown("snapshot chunk " + c.index() + " out of order");
      return;
    }
    nextSnapChunk++;
    if (c.index() > 0 && !c.last()) {
      out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_SNAP_PARTIAL));
    }
    out.add(new ZabEffect.SpoolSnapshot(c.index(), c.bytes(), c.last()));
    send(new Packet.SnapAck(connection, c.index()));
    if (c.last()) {
      nextSnapChunk = -1;
      busy = true;
    }
  }

  private void onSnapshotReceived(ZabEvent.SnapshotReceived r) {
    if (r.failure() != null) {
      stepDown("leader's snapshot is unreadable: " + r.failure());
      return;
    }
    out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_SNAP_RECEIVED));
    // The tree holds committed txns only, so it may change before the snapshot is durable;
    // it must change even if this role ends before then, or a snapshot that becomes durable
    // later would have the log forget txns the tree does not hold.
    out.add(new ZabEffect.ReplaceTree(r.tree()));
    out.add(new ZabEffect.SaveSnapshot(r.tree()));
  }

  /** The SNAP tree is durable: only now may the log say its history starts there. */
  private void onSnapshotSaved(ZabEvent.SnapshotSaved s) {
    if (s.failure() != null) {
      stepDown("cannot store the leader's snapshot: " + s.failure());
      return;
    }
    out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_SNAP_DURABLE));
    TreeSnapshot t = s.tree();
    pending.clear();
    lastLogged = t.zxid();
    persist(new LogOp.Restore(t.zxid()));
  }

  private void log(List<TxnEntry> entries) {
    List<TxnEntry> fresh = new ArrayList<>(entries.size());
    for (TxnEntry e : entries) {
      if (e.zxid() > lastLogged) {
        fresh.add(e);
        pending.addLast(e);
        lastLogged = e.zxid();
      }
    }
    if (!fresh.isEmpty()) {
      out.add(new ZabEffect.Persist(new LogOp.Append(fresh)));
    }
  }

  /** Everything synced is durable before the epoch is recorded, and both before the ack. */
  private void onNewLeader(Packet.NewLeader n) {
    out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_BEFORE_NEWLEADER_ACK));
    persist(new LogOp.SetCurrentEpoch(n.epoch()));
  }

  private void onPersisted(LogOp op) {
    if (op instanceof LogOp.AcceptEpoch) {
      send(new Packet.AckEpoch(connection, currentEpoch, lastLogged));
    } else if (op instanceof LogOp.SetCurrentEpoch e) {
      currentEpoch = e.epoch();
      phase = Phase.SYNCED;
      send(new Packet.AckNewLeader(connection, lastLogged));
      out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_AFTER_NEWLEADER_ACK));
    }
    busy = false;
    while (!busy && !stopped && !deferred.isEmpty()) {
      onPacket(deferred.pollFirst());
    }
  }

  private void onUpToDate(Packet.UpToDate u) {
    out.add(new ZabEffect.CrashPoint(CrashPoints.LEARNER_BEFORE_UPTODATE));
    committedUpTo = Math.max(committedUpTo, u.committedZxid());
    applyUpTo(committedUpTo);
    phase = Phase.BROADCAST;
    log.info("up to date with leader {} at {}; serving", leaderId, Zxid.toHex(committedUpTo));
    out.add(new ZabEffect.Serving());
  }

  private void applyUpTo(long zxid) {
    if (pending.isEmpty() || pending.peekFirst().zxid() > zxid) {
      return;
    }
    List<TxnEntry> batch = new ArrayList<>();
    while (!pending.isEmpty() && pending.peekFirst().zxid() <= zxid) {
      batch.add(pending.pollFirst());
    }
    out.add(new ZabEffect.Apply(batch, List.of()));
  }

  /**
   * A serving leader pings every leader-beat (proposals and commits count too), so silence
   * beyond leader-timeout means it died or the link did: look for a new leader well before
   * sync-limit, as a ZooKeeper follower does when its leader socket ends.
   */
  private void onBeat() {
    if (phase == Phase.DISCOVERY && acceptedEpoch == startAcceptedEpoch) {
      // The leader may not have been leading yet when the first one arrived; it ignores
      // repeats of the same connection.
      send(new Packet.FollowerInfo(connection, acceptedEpoch, lastLogged, observer));
    }
    long silent = now - lastHeardNanos;
    if (phase == Phase.BROADCAST && silent > cfg.timers().leaderTimeout().toNanos()) {
      stepDown("heard nothing from leader " + leaderId + " for " + silent / 1_000_000 + "ms");
    }
  }

  /**
   * Ticks and beats come at least every leader-beat. A gap of half a leader-timeout between two
   * means this server was not running (a GC pause, a stopped VM), not that its leader went
   * silent: what the leader sent meanwhile is still on its way in, so the leader gets a whole
   * leader-timeout from now before its silence counts. A leader that died meanwhile is still
   * found by its refused port, or one leader-timeout later.
   */
  private void resumeCheck() {
    long gap = now - lastTimerNanos;
    lastTimerNanos = now;
    if (gap > cfg.timers().leaderTimeout().toNanos() / 2 && now > lastHeardNanos) {
      log.info("resumed after {} ms without running; waiting for leader {} again", gap / 1_000_000,
          leaderId);
      lastHeardNanos = now;
    }
  }

  private void onTick() {
    long limit = (phase == Phase.BROADCAST ? cfg.timers().syncLimit()
        : cfg.timers().initLimit()).toNanos();
    if (now - lastHeardNanos > limit) {
      stepDown("leader " + leaderId + " silent for too long");
    } else if (phase != Phase.BROADCAST
        && now - startedNanos > cfg.timers().initLimit().toNanos()) {
      stepDown("not synced with leader " + leaderId + " within init-limit");
    }
  }

  private void persist(LogOp op) {
    busy = true;
    out.add(new ZabEffect.Persist(op));
  }

  private void send(Packet p) {
    out.add(new ZabEffect.Send(leaderId, p));
  }

  private void stepDown(String reason) {
    log.warn("leaving leader {}: {}", leaderId, reason);
    out.add(new ZabEffect.StepDown(reason));
    stopped = true;
  }
}
