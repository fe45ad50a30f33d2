package dev.paddock.zab;

import dev.paddock.peers.Peers;
import dev.paddock.request.WritePath;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.tree.TreeSnapshotCodec;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txnlog.LogBatcher;
import dev.paddock.txnlog.TreeSnapshotter;
import dev.paddock.txnlog.TxnLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * A learner's role: follower, or observer when {@code observer} is set. Discovery (FollowerInfo,
 * accept the new epoch durably, AckEpoch), sync (DIFF / TRUNC / SNAP, then NEWLEADER: every synced
 * txn durable, then the new current epoch, then the ack), and broadcast: log proposals and ack
 * them once durable, apply commits in order, forward this server's writes and syncs to the
 * leader, ping it with the sessions heard from. The tree only ever receives committed txns:
 * synced txns are applied on UPTODATE, later ones on COMMIT. Steps down (the role ends and the
 * server looks for a leader again) when the leader goes silent or the link breaks.
 */
public final class FollowerActor extends AbstractBehavior<FollowerActor.Command> {

  public sealed interface Command {}

  public record FromPeer(int from, Packet packet) implements Command {}

  public record PeerLost(int peer) implements Command {}

  private record FromSession(WritePath request) implements Command {}

  private record FromLog(LogBatcher.Logged logged) implements Command {}

  private record Persisted(Done done, Runnable then) implements Command {}

  private record SnapshotSaved(StatusReply<Done> reply, TreeSnapshot tree) implements Command {}

  private record Touched(List<Long> sessions) implements Command {}

  private record Tick() implements Command {}

  private record Beat() implements Command {}

  private enum Phase { DISCOVERY, SYNC, SYNCED, BROADCAST }

  private final Zab env;
  private final int leaderId;
  private final boolean observer;
  private final long connection = LeaderActor.newConnectionId();
  private final ActorRef<LogBatcher.Command> batcher;
  private final StashBuffer<Command> stash;
  private final ArrayDeque<TxnEntry> pending = new ArrayDeque<>();
  private final ActorRef<List<Long>> touchedAdapter;
  private Phase phase = Phase.DISCOVERY;
  private boolean busy;
  private long acceptedEpoch;
  private long currentEpoch;
  private long lastLogged;
  private long committedUpTo;
  private long forwardSeq;
  private long lastHeardNanos = System.nanoTime();
  private final long startedNanos = System.nanoTime();
  private ByteArrayOutputStream snapBytes;

  public static Behavior<Command> create(Zab env, int leaderId, boolean observer) {
    return Behaviors.setup(ctx -> Behaviors.withStash(100_000, stash ->
        Behaviors.withTimers(timers -> new FollowerActor(ctx, stash, timers, env, leaderId,
            observer))));
  }

  private FollowerActor(ActorContext<Command> ctx, StashBuffer<Command> stash,
      TimerScheduler<Command> timers, Zab env, int leaderId, boolean observer) {
    super(ctx);
    this.env = env;
    this.leaderId = leaderId;
    this.observer = observer;
    this.stash = stash;
    TxnLog.Snapshot log = env.logState();
    this.acceptedEpoch = log.acceptedEpoch();
    this.currentEpoch = log.currentEpoch();
    this.lastLogged = log.lastZxid();
    long applied = env.view().latest().zxid();
    for (TxnEntry e : log.entries()) {
      if (e.zxid() > applied) {
        pending.addLast(e);
      }
    }
    this.batcher = ctx.spawn(LogBatcher.create(env.log(),
        ctx.messageAdapter(LogBatcher.Logged.class, FromLog::new)), "log-batcher");
    this.touchedAdapter = ctx.messageAdapter(listClass(), Touched::new);
    timers.startTimerWithFixedDelay(new Tick(), env.timers().tick());
    timers.startTimerWithFixedDelay(new Beat(), env.timers().leaderBeat());
    ctx.getLog().info("{} leader {}: log up to 0x{}, epoch {}",
        observer ? "observing" : "following", leaderId, Long.toHexString(lastLogged),
        currentEpoch);
    send(new Packet.FollowerInfo(connection, acceptedEpoch, lastLogged, observer));
  }

  @SuppressWarnings("unchecked")
  private static Class<List<Long>> listClass() {
    return (Class<List<Long>>) (Class<?>) List.class;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromPeer.class, this::onPeer)
        .onMessage(PeerLost.class, p -> p.peer() == leaderId
            ? stepDown("lost the link to the leader") : this)
        .onMessage(FromSession.class, this::onSession)
        .onMessage(FromLog.class, f -> onLogged(f.logged()))
        .onMessage(Persisted.class, p -> {
          p.then().run();
          return env.crashPoints().crashed() ? Behaviors.stopped() : resume();
        })
        .onMessage(SnapshotSaved.class, this::onSnapshotSaved)
        .onMessage(Touched.class, t -> {
          send(new Packet.LearnerPing(connection, t.sessions()));
          return this;
        })
        .onMessage(Tick.class, t -> onTick())
        .onMessage(Beat.class, b -> onBeat())
        .build();
  }

  private Behavior<Command> onPeer(FromPeer f) {
    if (f.from() != leaderId || f.packet().connection() != connection) {
      return this;
    }
    lastHeardNanos = System.nanoTime();
    if (busy) {
      stash.stash(f);
      return this;
    }
    Packet p = f.packet();
    if (p instanceof Packet.LeaderInfo info) {
      return onLeaderInfo(info);
    } else if (p instanceof Packet.SyncStart s) {
      return onSyncStart(s);
    } else if (p instanceof Packet.SnapChunk c) {
      return onSnapChunk(c);
    } else if (p instanceof Packet.Proposals props) {
      log(props.entries());
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
      return onNewLeader(n);
    } else if (p instanceof Packet.UpToDate u) {
      return onUpToDate(u);
    } else if (p instanceof Packet.SyncDone s) {
      env.tree().tell(new DataTreeActor.Apply(List.of(),
          List.of(new DataTreeActor.SyncPoint(s.sessionId(), s.cxid()))));
    } else if (p instanceof Packet.Goodbye g) {
      return stepDown("leader said goodbye: " + g.reason());
    }
    return this;
  }

  private Behavior<Command> onLeaderInfo(Packet.LeaderInfo info) {
    if (info.newEpoch() < acceptedEpoch) {
      return stepDown("leader offers epoch " + info.newEpoch() + " below accepted "
          + acceptedEpoch);
    }
    if (info.newEpoch() == acceptedEpoch) {
      send(new Packet.AckEpoch(connection, currentEpoch, lastLogged));
      return this;
    }
    acceptedEpoch = info.newEpoch();
    return persist(ref -> new TxnLog.AcceptEpoch(info.newEpoch(), ref),
        () -> send(new Packet.AckEpoch(connection, currentEpoch, lastLogged)));
  }

  private Behavior<Command> onSyncStart(Packet.SyncStart s) {
    phase = Phase.SYNC;
    getContext().getLog().info("sync from leader {}: {} 0x{}", leaderId, s.mode(),
        Long.toHexString(s.zxid()));
    switch (s.mode()) {
      case DIFF -> { }
      case TRUNC -> {
        long applied = env.view().latest().zxid();
        if (s.zxid() < applied) {
          return stepDown("leader asks to truncate to 0x" + Long.toHexString(s.zxid())
              + " below the committed tree 0x" + Long.toHexString(applied));
        }
        if (env.crashPoints().reached(CrashPoints.LEARNER_IN_TRUNC)) {
          return Behaviors.stopped();
        }
        pending.removeIf(e -> e.zxid() > s.zxid());
        lastLogged = s.zxid();
        return persist(ref -> new TxnLog.Truncate(s.zxid(), ref), () -> { });
      }
      case SNAP -> snapBytes = new ByteArrayOutputStream();
    }
    return this;
  }

  private Behavior<Command> onSnapChunk(Packet.SnapChunk c) {
    if (snapBytes == null) {
      return stepDown("snapshot chunk without SNAP");
    }
    snapBytes.writeBytes(c.bytes());
    if (!c.last()) {
      return this;
    }
    TreeSnapshot tree;
    try {
      tree = TreeSnapshotCodec.read(new DataInputStream(
          new ByteArrayInputStream(snapBytes.toByteArray())));
    } catch (IOException e) {
      return stepDown("leader's snapshot is unreadable: " + e.getMessage());
    }
    snapBytes = null;
    if (env.crashPoints().reached(CrashPoints.LEARNER_SNAP_RECEIVED)) {
      return Behaviors.stopped();
    }
    busy = true;
    env.snapshots().tell(new TreeSnapshotter.Save(tree, getContext().messageAdapter(
        statusClass(), r -> new SnapshotSaved(r, tree))));
    return this;
  }

  @SuppressWarnings("unchecked")
  private static Class<StatusReply<Done>> statusClass() {
    return (Class<StatusReply<Done>>) (Class<?>) StatusReply.class;
  }

  /** The SNAP tree is durable: only now may the log say its history starts there. */
  private Behavior<Command> onSnapshotSaved(SnapshotSaved s) {
    if (s.reply().isError()) {
      return stepDown("cannot store the leader's snapshot: " + s.reply().getError().getMessage());
    }
    if (env.crashPoints().reached(CrashPoints.LEARNER_SNAP_DURABLE)) {
      return Behaviors.stopped();
    }
    TreeSnapshot tree = s.tree();
    pending.clear();
    lastLogged = tree.zxid();
    env.tree().tell(new DataTreeActor.Replace(tree));
    busy = false;
    return persist(ref -> new TxnLog.Restore(tree.zxid(), ref), () -> { });
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
      batcher.tell(new LogBatcher.AppendAll(fresh));
    }
  }

  /**
   * Acks flow from the sync phase on: after any TRUNC or SNAP the log is a prefix of the
   * leader's history, so a durable txn here is a durable copy the leader may count.
   */
  private Behavior<Command> onLogged(LogBatcher.Logged logged) {
    if (phase != Phase.DISCOVERY) {
      send(new Packet.Ack(connection, logged.lastZxid()));
    }
    return this;
  }

  /** Everything synced is durable before the epoch is recorded, and both before the ack. */
  private Behavior<Command> onNewLeader(Packet.NewLeader n) {
    if (env.crashPoints().reached(CrashPoints.LEARNER_BEFORE_NEWLEADER_ACK)) {
      return Behaviors.stopped();
    }
    return persist(ref -> new TxnLog.SetCurrentEpoch(n.epoch(), ref), () -> {
      currentEpoch = n.epoch();
      phase = Phase.SYNCED;
      send(new Packet.AckNewLeader(connection, lastLogged));
      // When it fires, the role stops once this callback returns (see Persisted).
      env.crashPoints().reached(CrashPoints.LEARNER_AFTER_NEWLEADER_ACK);
    });
  }

  private Behavior<Command> onUpToDate(Packet.UpToDate u) {
    if (env.crashPoints().reached(CrashPoints.LEARNER_BEFORE_UPTODATE)) {
      return Behaviors.stopped();
    }
    committedUpTo = Math.max(committedUpTo, u.committedZxid());
    applyUpTo(committedUpTo);
    phase = Phase.BROADCAST;
    getContext().getLog().info("up to date with leader {} at 0x{}; serving", leaderId,
        Long.toHexString(committedUpTo));
    env.onServing().accept(getContext().getSelf(),
        getContext().messageAdapter(WritePath.class, FromSession::new));
    return this;
  }

  private void applyUpTo(long zxid) {
    if (pending.isEmpty() || pending.peekFirst().zxid() > zxid) {
      return;
    }
    List<TxnEntry> batch = new ArrayList<>();
    while (!pending.isEmpty() && pending.peekFirst().zxid() <= zxid) {
      batch.add(pending.pollFirst());
    }
    env.tree().tell(new DataTreeActor.Apply(batch, List.of()));
  }

  private Behavior<Command> onSession(FromSession f) {
    if (phase != Phase.BROADCAST) {
      return this;
    }
    if (f.request() instanceof WritePath.SubmitWrite w) {
      send(new Packet.ForwardWrite(connection, ++forwardSeq, w.request()));
    } else if (f.request() instanceof WritePath.SubmitSync s) {
      send(new Packet.ForwardSync(connection, ++forwardSeq, s.sessionId(), s.cxid()));
    }
    return this;
  }

  /**
   * The follower's short clock. A serving leader beats every leader-beat (proposals and commits
   * count too), so silence beyond leader-timeout means it died or the link did: look for a new
   * leader well before sync-limit, as a ZooKeeper follower does when its leader socket ends.
   */
  private Behavior<Command> onBeat() {
    if (phase == Phase.DISCOVERY && acceptedEpoch == env.logState().acceptedEpoch()) {
      // The leader may not have been leading yet when the first one arrived; it ignores
      // repeats of the same connection.
      send(new Packet.FollowerInfo(connection, acceptedEpoch, lastLogged, observer));
    }
    long silent = System.nanoTime() - lastHeardNanos;
    if (phase == Phase.BROADCAST && silent > env.timers().leaderTimeout().toNanos()) {
      return stepDown("heard nothing from leader " + leaderId + " for "
          + silent / 1_000_000 + "ms");
    }
    return this;
  }

  private Behavior<Command> onTick() {
    long now = System.nanoTime();
    long limit = (phase == Phase.BROADCAST ? env.timers().syncLimit()
        : env.timers().initLimit()).toNanos();
    if (now - lastHeardNanos > limit) {
      return stepDown("leader " + leaderId + " silent for too long");
    }
    if (phase != Phase.BROADCAST && now - startedNanos > env.timers().initLimit().toNanos()) {
      return stepDown("not synced with leader " + leaderId + " within init-limit");
    }
    if (phase == Phase.BROADCAST) {
      env.tracker().tell(new SessionTrackerActor.DrainTouched(touchedAdapter));
    }
    return this;
  }

  /** Runs a log command after every append queued before it; packets wait meanwhile. */
  private Behavior<Command> persist(java.util.function.Function<ActorRef<Done>, TxnLog.Command>
      command, Runnable then) {
    busy = true;
    ActorRef<Done> done = getContext().messageAdapter(Done.class, d -> new Persisted(d, then));
    batcher.tell(new LogBatcher.Control(command.apply(done)));
    return this;
  }

  private Behavior<Command> resume() {
    busy = false;
    return stash.unstashAll(this);
  }

  private void send(Packet p) {
    env.peers().tell(new Peers.Send(leaderId, p));
  }

  private Behavior<Command> stepDown(String reason) {
    getContext().getLog().warn("leaving leader {}: {}", leaderId, reason);
    return Behaviors.stopped();
  }
}
