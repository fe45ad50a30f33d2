package dev.paddock.zab;

import dev.paddock.request.WriteRequest;
import dev.paddock.tree.DataTree;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txnlog.TxnLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.helpers.NOPLogger;

/**
 * Drives a {@link LeaderState} by hand: events in, effects recorded; committed txns are
 * applied to a tree at once, as the server's tree actor would. Learners are simulated by the
 * test, which sends their packets and reads what the leader queued for them.
 */
final class LeaderHarness {
  static final ZabTimers TIMERS = new ZabTimers(Duration.ofMillis(100), 10, 5,
      Duration.ofMillis(50), Duration.ofMillis(400));

  final DataTree tree;
  final LeaderState leader;
  final List<ZabEffect> effects = new ArrayList<>();
  long now = 1_000_000_000L;
  /** When false the tree lags: commits are recorded but not applied (a busy tree actor). */
  boolean applyCommits = true;

  LeaderHarness(int voters, TxnLog.Snapshot log, DataTree tree, int diffWindow,
      long firstCounter, ZabBugs bugs) {
    Set<Integer> ids = new HashSet<>();
    for (int i = 1; i <= voters; i++) {
      ids.add(i);
    }
    this.tree = tree;
    this.leader = new LeaderState(new RoleConfig(1, ids, Set.of(), TIMERS, 1 << 20, diffWindow,
        64L << 20, firstCounter, bugs), log, tree::snapshot, () -> 1_700_000_000_000L, now,
        NOPLogger.NOP_LOGGER);
    record(leader.start());
  }

  static LeaderHarness fresh(int voters) {
    return new LeaderHarness(voters, new TxnLog.Snapshot(0, 0, 0, 0, List.of()), new DataTree(),
        100, 1, ZabBugs.NONE);
  }

  static long conn(int learner) {
    return 1000 + learner;
  }

  List<ZabEffect> step(ZabEvent e) {
    return record(leader.step(e, now));
  }

  private List<ZabEffect> record(List<ZabEffect> out) {
    for (ZabEffect e : out) {
      effects.add(e);
      if (e instanceof ZabEffect.Apply a && applyCommits) {
        for (TxnEntry t : a.entries()) {
          if (t.zxid() > tree.lastZxid()) {
            tree.apply(t);
          }
        }
      }
    }
    return out;
  }

  List<ZabEffect> from(int learner, Packet p) {
    return step(new ZabEvent.Received(learner, p));
  }

  /** Takes every learner through discovery and sync until the leader serves. */
  void establish(int... learners) {
    for (int l : learners) {
      from(l, new Packet.FollowerInfo(conn(l), 0, 0, false));
    }
    long epoch = confirm(LogOp.AcceptEpoch.class);
    for (int l : learners) {
      from(l, new Packet.AckEpoch(conn(l), 0, 0));
    }
    confirm(LogOp.SetCurrentEpoch.class);
    for (int l : learners) {
      from(l, new Packet.AckNewLeader(conn(l), leader.lastProposed()));
    }
    if (!leader.established() || leader.epoch() != epoch) {
      throw new AssertionError("not established: " + effects);
    }
  }

  /** Confirms the newest persist of this kind; returns the epoch it carries. */
  long confirm(Class<? extends LogOp> kind) {
    for (int i = effects.size() - 1; i >= 0; i--) {
      if (effects.get(i) instanceof ZabEffect.Persist p && kind.isInstance(p.op())) {
        step(new ZabEvent.Persisted(p.op()));
        return p.op() instanceof LogOp.AcceptEpoch a ? a.epoch()
            : p.op() instanceof LogOp.SetCurrentEpoch s ? s.epoch() : 0;
      }
    }
    throw new AssertionError("no " + kind.getSimpleName() + " asked for in " + effects);
  }

  /** Proposes a write from this server and makes it durable here; returns its txn. */
  TxnEntry propose(WriteRequest r) {
    List<ZabEffect> out = step(new ZabEvent.ClientWrite(r));
    TxnEntry e = appended(out);
    step(new ZabEvent.Logged(e.zxid()));
    return e;
  }

  static TxnEntry appended(List<ZabEffect> out) {
    for (ZabEffect e : out) {
      if (e instanceof ZabEffect.Persist p && p.op() instanceof LogOp.Append a) {
        return a.entries().get(a.entries().size() - 1);
      }
    }
    throw new AssertionError("nothing proposed: " + out);
  }

  boolean committed(long zxid) {
    return tree.lastZxid() >= zxid;
  }

  /** Packets the leader queued for a learner, of one type. */
  <P extends Packet> List<P> sent(int learner, Class<P> type) {
    List<P> out = new ArrayList<>();
    for (ZabEffect e : effects) {
      if (e instanceof ZabEffect.Enqueue q && q.learner() == learner
          && q.item() instanceof LearnerQueue.Raw r && type.isInstance(r.packet())) {
        out.add(type.cast(r.packet()));
      }
    }
    return out;
  }

  boolean any(Predicate<ZabEffect> p) {
    return effects.stream().anyMatch(p);
  }

  void advance(Duration d) {
    now += d.toNanos();
  }
}
