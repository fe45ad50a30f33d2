package dev.paddock.txnlog;

import dev.paddock.storage.JournalStats;
import dev.paddock.txn.TxnEntry;
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
    extends EventSourcedBehavior<TxnLog.Command, TxnLog.Event, TxnLogState> {

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

  /**
   * Written with the checkpoint before a prefix of the journal is deleted: the txns up to
   * {@code zxid} may be gone from the journal, so recovery knows where its history begins and
   * that a tree older than this cannot be continued from the log.
   */
  public record Purged(long zxid) implements Event {}

  private final ActorContext<Command> ctx;
  private final ActorRef<Snapshot> onRecovered;
  private final JournalPurge purge;
  private final JournalStats stats;
  private final long startedNanos = System.nanoTime();

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
  public TxnLogState emptyState() {
    return new TxnLogState();
  }

  @Override
  public CommandHandler<Command, Event, TxnLogState> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Append.class, (s, c) -> {
          if (c.entries().isEmpty()) {
            c.replyTo().tell(new Appended(s.lastZxid(), 0));
            return Effect().none();
          }
          return Effect().persist(new Batch(c.entries()))
              .thenRun(st -> {
                stats.txnsLogged(c.entries().size());
                c.replyTo().tell(new Appended(st.lastZxid(), c.entries().size()));
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

  private org.apache.pekko.persistence.typed.javadsl.Effect<Event, TxnLogState> onPurge(
      TxnLogState s, Purge p) {
    s.trimMemory(p.newestSnapshotZxid());
    long[] point = s.purgePoint(p.oldestKeptZxid());
    if (point == null) {
      return Effect().none();
    }
    long upTo = point[0];
    return Effect().persist(List.of(s.checkpoint(), new Purged(point[1]))).thenRun(st -> {
      st.forgetBatchesUpTo(upTo);
      purge.deleteTo(upTo);
    });
  }

  @Override
  public EventHandler<TxnLogState, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onAnyEvent((s, e) -> {
          s.apply(e, lastSequenceNumber(ctx));
          return s;
        });
  }

  @Override
  public SignalHandler<TxnLogState> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), s -> {
          Snapshot recovered = s.copy();
          ctx.getLog().info("transaction log recovered in {} ms: up to zxid 0x{}, {} txns after "
              + "0x{} in memory", (System.nanoTime() - startedNanos) / 1_000_000,
              Long.toHexString(recovered.lastZxid()), recovered.entries().size(),
              Long.toHexString(recovered.baseZxid()));
          onRecovered.tell(recovered);
        })
        .build();
  }

  @Override
  public String journalPluginId() {
    return purge.journalPluginId();
  }
}
