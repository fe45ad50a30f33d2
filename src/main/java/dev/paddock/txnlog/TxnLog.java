package dev.paddock.txnlog;

import dev.paddock.storage.JournalStats;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * The durable transaction log of one server: every txn is journaled here before anyone acts on
 * it, one event per batch (one fsync per batch). It also records the Zab epochs and the points
 * where history was cut back (TRUNC) or replaced by a snapshot (SNAP). The log's state keeps the
 * txns not yet covered by the newest tree snapshot, for recovery and for DIFF sync.
 */
public final class TxnLog
    extends EventSourcedBehavior<TxnLog.Command, TxnLog.Event, TxnLog.State> {

  public sealed interface Command {}

  /** Journal a batch; the reply comes once it is durable. */
  public record Append(List<TxnEntry> entries, ActorRef<Appended> replyTo) implements Command {}

  public record Appended(long lastZxid, int count) {}

  public record AcceptEpoch(long epoch, ActorRef<Done> replyTo) implements Command {}

  public record SetCurrentEpoch(long epoch, ActorRef<Done> replyTo) implements Command {}

  /** Drop every logged txn above {@code zxid} (a TRUNC from the leader). */
  public record Truncate(long zxid, ActorRef<Done> replyTo) implements Command {}

  /** History up to {@code zxid} now lives in a durable tree snapshot (a SNAP from the leader). */
  public record Restore(long zxid, ActorRef<Done> replyTo) implements Command {}

  /**
   * The newest durable tree snapshot is at {@code newestSnapshotZxid} and the oldest one kept is
   * at {@code oldestKeptZxid}: forget txns up to the first in memory, and delete journal events
   * up to the second (older snapshots stay recoverable with the log behind them).
   */
  public record Purge(long newestSnapshotZxid, long oldestKeptZxid) implements Command {}

  public record GetState(ActorRef<Snapshot> replyTo) implements Command {}

  /** A consistent copy of the log's state. {@code entries} are the txns above {@code baseZxid}. */
  public record Snapshot(
      long acceptedEpoch, long currentEpoch, long lastZxid, long baseZxid, List<TxnEntry> entries) {}

  public sealed interface Event {}

  public record Batch(List<TxnEntry> entries) implements Event {}

  public record EpochAccepted(long epoch) implements Event {}

  public record EpochCurrent(long epoch) implements Event {}

  public record Truncated(long zxid) implements Event {}

  public record Restored(long zxid) implements Event {}

  /** Written before a prefix of the journal is deleted, so the epochs and end survive it. */
  public record Checkpoint(long acceptedEpoch, long currentEpoch, long lastZxid)
      implements Event {}

  /** Mutable, owned by this behavior alone; replies carry copies. */
  public static final class State {
    long acceptedEpoch;
    long currentEpoch;
    long lastZxid;
    long baseZxid;
    final ArrayList<TxnEntry> entries = new ArrayList<>();
    /** (journal sequence number, highest zxid in that event) of each batch still journaled. */
    final ArrayDeque<long[]> batchMarks = new ArrayDeque<>();

    Snapshot copy() {
      return new Snapshot(acceptedEpoch, currentEpoch, lastZxid, baseZxid, List.copyOf(entries));
    }
  }

  private final ActorContext<Command> ctx;
  private final ActorRef<Snapshot> onRecovered;
  private final JournalPurge purge;
  private final JournalStats stats;

  /**
   * @param persistenceId one per server
   * @param onRecovered receives the recovered state once, before any command is handled
   */
  public static Behavior<Command> create(
      String persistenceId, String journalPluginId, ActorRef<Snapshot> onRecovered) {
    return Behaviors.setup(ctx -> new TxnLog(ctx, persistenceId, journalPluginId, onRecovered));
  }

  private TxnLog(ActorContext<Command> ctx, String persistenceId, String journalPluginId,
      ActorRef<Snapshot> onRecovered) {
    super(PersistenceId.ofUniqueId(persistenceId));
    this.ctx = ctx;
    this.onRecovered = onRecovered;
    this.purge = new JournalPurge(ctx, persistenceId, journalPluginId);
    this.stats = JournalStats.forPlugin(ctx.getSystem(), journalPluginId);
  }

  @Override
  public State emptyState() {
    return new State();
  }

  @Override
  public CommandHandler<Command, Event, State> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Append.class, (s, c) -> {
          if (c.entries().isEmpty()) {
            c.replyTo().tell(new Appended(s.lastZxid, 0));
            return Effect().none();
          }
          return Effect().persist(new Batch(c.entries()))
              .thenRun(st -> {
                stats.txnsLogged(c.entries().size());
                c.replyTo().tell(new Appended(st.lastZxid, c.entries().size()));
              });
        })
        .onCommand(AcceptEpoch.class, (s, c) -> Effect().persist(new EpochAccepted(c.epoch()))
            .thenRun(st -> c.replyTo().tell(Done.getInstance())))
        .onCommand(SetCurrentEpoch.class, (s, c) -> Effect().persist(new EpochCurrent(c.epoch()))
            .thenRun(st -> c.replyTo().tell(Done.getInstance())))
        .onCommand(Truncate.class, (s, c) -> Effect().persist(new Truncated(c.zxid()))
            .thenRun(st -> c.replyTo().tell(Done.getInstance())))
        .onCommand(Restore.class, (s, c) -> Effect().persist(new Restored(c.zxid()))
            .thenRun(st -> c.replyTo().tell(Done.getInstance())))
        .onCommand(Purge.class, this::onPurge)
        .onCommand(GetState.class, (s, c) -> {
          c.replyTo().tell(s.copy());
          return Effect().none();
        })
        .build();
  }

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, State> onPurge(
      State s, Purge p) {
    trimMemory(s, p.newestSnapshotZxid());
    long deleteTo = 0;
    for (long[] mark : s.batchMarks) {
      if (mark[1] <= p.oldestKeptZxid()) {
        deleteTo = mark[0];
      } else {
        break;
      }
    }
    if (deleteTo == 0) {
      return Effect().none();
    }
    long upTo = deleteTo;
    return Effect().persist(new Checkpoint(s.acceptedEpoch, s.currentEpoch, s.lastZxid))
        .thenRun(st -> {
          while (!st.batchMarks.isEmpty() && st.batchMarks.peekFirst()[0] <= upTo) {
            st.batchMarks.pollFirst();
          }
          purge.deleteTo(upTo);
        });
  }

  /** Txns at or below a durable tree snapshot are no longer needed in memory. */
  private static void trimMemory(State s, long zxid) {
    if (zxid <= s.baseZxid) {
      return;
    }
    int drop = 0;
    while (drop < s.entries.size() && s.entries.get(drop).zxid() <= zxid) {
      drop++;
    }
    s.entries.subList(0, drop).clear();
    s.baseZxid = zxid;
  }

  @Override
  public EventHandler<State, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Batch.class, (s, e) -> {
          for (TxnEntry t : e.entries()) {
            if (t.zxid() > s.lastZxid) {
              s.entries.add(t);
              s.lastZxid = t.zxid();
            }
          }
          s.batchMarks.addLast(new long[] {lastSequenceNumber(ctx), s.lastZxid});
          return s;
        })
        .onEvent(EpochAccepted.class, (s, e) -> {
          s.acceptedEpoch = Math.max(s.acceptedEpoch, e.epoch());
          return s;
        })
        .onEvent(EpochCurrent.class, (s, e) -> {
          s.currentEpoch = Math.max(s.currentEpoch, e.epoch());
          s.acceptedEpoch = Math.max(s.acceptedEpoch, e.epoch());
          return s;
        })
        .onEvent(Truncated.class, (s, e) -> {
          int keep = s.entries.size();
          while (keep > 0 && s.entries.get(keep - 1).zxid() > e.zxid()) {
            keep--;
          }
          s.entries.subList(keep, s.entries.size()).clear();
          s.lastZxid = Math.min(s.lastZxid, e.zxid());
          return s;
        })
        .onEvent(Restored.class, (s, e) -> {
          s.entries.clear();
          s.lastZxid = e.zxid();
          s.baseZxid = e.zxid();
          return s;
        })
        .onEvent(Checkpoint.class, (s, e) -> {
          s.acceptedEpoch = Math.max(s.acceptedEpoch, e.acceptedEpoch());
          s.currentEpoch = Math.max(s.currentEpoch, e.currentEpoch());
          if (s.entries.isEmpty() && e.lastZxid() > s.lastZxid) {
            s.lastZxid = e.lastZxid();
            s.baseZxid = Math.max(s.baseZxid, e.lastZxid());
          }
          return s;
        })
        .build();
  }

  @Override
  public SignalHandler<State> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> onRecovered.tell(s.copy()))
        .build();
  }

  @Override
  public String journalPluginId() {
    return purge.journalPluginId();
  }
}
