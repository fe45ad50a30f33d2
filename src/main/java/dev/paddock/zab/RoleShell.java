package dev.paddock.zab;

import dev.paddock.request.WritePath;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.txnlog.LogBatcher;
import dev.paddock.txnlog.TreeSnapshotter;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.session.DataTreeActor;
import dev.paddock.tree.TreeSnapshot;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.pattern.StatusReply;

/**
 * Carries out a pure role's effects for its actor, in order: sends through the peer gateway,
 * log records through the role's {@link LogBatcher} (group commit), trees and syncs to the tree
 * actor, session bookkeeping to the tracker. Log records other than appends are confirmed in
 * the order they were asked for, which is the order the batcher writes them.
 *
 * @param <C> the role actor's protocol
 */
final class RoleShell<C> {
  private final ActorContext<C> ctx;
  private final Zab env;
  private final ActorRef<LogBatcher.Command> batcher;
  private final ActorRef<Done> controlDone;
  private final ActorRef<WritePath> writes;
  private final Function<TreeSnapshot, ActorRef<StatusReply<Done>>> snapshotReply;
  private final ArrayDeque<LogOp> controls = new ArrayDeque<>();

  /**
   * @param logged the role's adapter for durable appends
   * @param controlDone the role's adapter for durable log records other than appends; the role
   *     hands each confirmation back to {@link #confirmed()}
   */
  RoleShell(ActorContext<C> ctx, Zab env, ActorRef<LogBatcher.Logged> logged,
      ActorRef<Done> controlDone, ActorRef<WritePath> writes,
      Function<TreeSnapshot, ActorRef<StatusReply<Done>>> snapshotReply) {
    this.ctx = ctx;
    this.env = env;
    this.batcher = ctx.spawn(LogBatcher.create(env.log(), logged), "log-batcher");
    this.controlDone = controlDone;
    this.writes = writes;
    this.snapshotReply = snapshotReply;
  }

  ActorRef<LogBatcher.Command> batcher() {
    return batcher;
  }

  /** The oldest log record still waiting for its confirmation, now durable. */
  ZabEvent.Persisted confirmed() {
    return new ZabEvent.Persisted(controls.pollFirst());
  }

  /**
   * Runs {@code effects}; queue effects go to {@code queues}. Returns false when the role must
   * end now (it stepped down, or a crash point fired).
   */
  boolean run(List<ZabEffect> effects, Function<ZabEffect, Boolean> queues) {
    for (ZabEffect e : effects) {
      if (e instanceof ZabEffect.Send s) {
        env.peers().send(s.to(), s.packet());
      } else if (e instanceof ZabEffect.Persist p) {
        persist(p.op());
      } else if (e instanceof ZabEffect.Apply a) {
        List<DataTreeActor.SyncPoint> syncs = new ArrayList<>(a.syncs().size());
        for (ZabEffect.SyncAnswer s : a.syncs()) {
          syncs.add(new DataTreeActor.SyncPoint(s.sessionId(), s.cxid()));
        }
        env.tree().tell(new DataTreeActor.Apply(a.entries(), syncs));
      } else if (e instanceof ZabEffect.SaveSnapshot s) {
        env.snapshots().tell(new TreeSnapshotter.Save(s.tree(), snapshotReply.apply(s.tree())));
      } else if (e instanceof ZabEffect.ReplaceTree r) {
        env.tree().tell(new DataTreeActor.Replace(r.tree()));
      } else if (e instanceof ZabEffect.TrackSession t) {
        env.tracker().tell(new SessionTrackerActor.Track(t.sessionId(), t.timeoutMs()));
      } else if (e instanceof ZabEffect.UntrackSession u) {
        env.tracker().tell(new SessionTrackerActor.Untrack(u.sessionId()));
      } else if (e instanceof ZabEffect.TouchSessions t) {
        env.tracker().tell(new SessionTrackerActor.TouchAll(t.sessionIds()));
      } else if (e instanceof ZabEffect.SessionValid v) {
        env.tracker().tell(new SessionTrackerActor.Revalidated(v.sessionId(), v.token(),
            v.valid()));
      } else if (e instanceof ZabEffect.Serving) {
        env.onServing().accept(ctx.getSelf(), writes);
      } else if (e instanceof ZabEffect.StepDown) {
        return false;
      } else if (e instanceof ZabEffect.CrashPoint c) {
        if (env.crashPoints().reached(c.name())) {
          return false;
        }
      } else if (!queues.apply(e)) {
        throw new IllegalStateException("effect without a handler: " + e);
      }
    }
    return !env.crashPoints().crashed();
  }

  private void persist(LogOp op) {
    if (op instanceof LogOp.Append a) {
      batcher.tell(new LogBatcher.AppendAll(a.entries()));
      return;
    }
    controls.addLast(op);
    TxnLog.Command c;
    if (op instanceof LogOp.AcceptEpoch a) {
      c = new TxnLog.AcceptEpoch(a.epoch(), controlDone);
    } else if (op instanceof LogOp.SetCurrentEpoch s) {
      c = new TxnLog.SetCurrentEpoch(s.epoch(), controlDone);
    } else if (op instanceof LogOp.Truncate t) {
      c = new TxnLog.Truncate(t.zxid(), controlDone);
    } else {
      c = new TxnLog.Restore(((LogOp.Restore) op).zxid(), controlDone);
    }
    batcher.tell(new LogBatcher.Control(c));
  }
}
