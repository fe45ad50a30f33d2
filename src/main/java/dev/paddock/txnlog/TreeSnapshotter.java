package dev.paddock.txnlog;

import dev.paddock.tree.TreeSnapshot;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.SnapshotCompleted;
import org.apache.pekko.persistence.typed.SnapshotFailed;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * Saves tree snapshots through the Pekko snapshot store. Each save journals a tiny marker event;
 * the behavior's state is the tree itself, and Pekko writes that state after every marker. Once
 * a snapshot is durable, older markers and all but the newest N snapshots are deleted, and the
 * transaction log is told it may forget what the snapshots cover. Writing happens on the store's
 * I/O thread from an immutable tree, so applies never stall. A marker replayed without its
 * snapshot (a crash between the two) changes nothing.
 *
 * <p>Deliberately not Pekko's count-based retention: with it, a recovery that replays markers
 * (because the newest snapshot is unreadable or gone) saves the recovered state at once, under
 * the sequence number of the missing snapshot. That would overwrite the damaged file, and write
 * to a data directory the server is about to refuse to start on.
 */
public final class TreeSnapshotter
    extends EventSourcedBehavior<TreeSnapshotter.Command, TreeSnapshotter.Event, StoredTree> {

  public sealed interface Command {}

  /**
   * Saves {@code tree}. Without a reply address the save is skipped while another is in
   * progress (the next one will do); with one, it waits its turn and the reply says when the
   * snapshot is durable (a learner must know that before it records a SNAP in its log).
   */
  public record Save(TreeSnapshot tree, ActorRef<StatusReply<Done>> replyTo) implements Command {
    public Save(TreeSnapshot tree) {
      this(tree, null);
    }
  }

  private record SaveFinished(Throwable failure) implements Command {}

  public sealed interface Event {}

  public record Taken(long zxid) implements Event {}

  private final ActorContext<Command> ctx;
  private final ActorRef<StoredTree> onRecovered;
  private final ActorRef<TxnLog.Command> log;
  private final int keep;
  private final String journalPluginId;
  private final String snapshotPluginId;
  private final TreeRetention retention;
  private TreeSnapshot pending;
  private ActorRef<StatusReply<Done>> pendingReply;
  private boolean saving;
  private final long startedNanos = System.nanoTime();

  public static Behavior<Command> create(String persistenceId, String journalPluginId,
      String snapshotPluginId, int keep, ActorRef<TxnLog.Command> log,
      ActorRef<StoredTree> onRecovered) {
    StoredTree.registerReader();
    return Behaviors.setup(ctx -> new TreeSnapshotter(ctx, persistenceId, journalPluginId,
        snapshotPluginId, keep, log, onRecovered));
  }

  private TreeSnapshotter(ActorContext<Command> ctx, String persistenceId,
      String journalPluginId, String snapshotPluginId, int keep, ActorRef<TxnLog.Command> log,
      ActorRef<StoredTree> onRecovered) {
    super(PersistenceId.ofUniqueId(persistenceId));
    this.ctx = ctx;
    this.onRecovered = onRecovered;
    this.log = log;
    this.keep = keep;
    this.journalPluginId = journalPluginId;
    this.snapshotPluginId = snapshotPluginId;
    this.retention = new TreeRetention(ctx, persistenceId, journalPluginId, snapshotPluginId,
        keep);
  }

  @Override
  public StoredTree emptyState() {
    return StoredTree.empty();
  }

  @Override
  public CommandHandler<Command, Event, StoredTree> commandHandler() {
    return newCommandHandlerBuilder()
        .forAnyState()
        .onCommand(Save.class, (state, save) -> {
          if (saving) {
            return save.replyTo() == null ? Effect().none() : Effect().stash();
          }
          if (state.tree() != null && save.tree().zxid() <= state.tree().zxid()) {
            // Trees hold committed txns only, so a newer durable one covers everything the
            // older one does: a learner syncing from an older tree may go on from it.
            if (save.replyTo() != null) {
              save.replyTo().tell(StatusReply.ack());
            }
            return Effect().none();
          }
          saving = true;
          pending = save.tree();
          pendingReply = save.replyTo();
          return Effect().persist(new Taken(save.tree().zxid()));
        })
        .onCommand(SaveFinished.class, (state, done) -> {
          saving = false;
          if (pendingReply != null) {
            pendingReply.tell(done.failure() == null
                ? StatusReply.ack() : StatusReply.error(done.failure()));
            pendingReply = null;
          }
          return Effect().unstashAll();
        })
        .build();
  }

  @Override
  public EventHandler<StoredTree, Event> eventHandler() {
    return newEventHandlerBuilder()
        .forAnyState()
        .onEvent(Taken.class, (state, taken) -> {
          if (pending == null || pending.zxid() != taken.zxid()) {
            return state;
          }
          List<Long> kept = new ArrayList<>(state.keptZxids());
          kept.add(taken.zxid());
          while (kept.size() > keep) {
            kept.remove(0);
          }
          StoredTree next = new StoredTree(pending, kept);
          pending = null;
          return next;
        })
        .build();
  }

  @Override
  public boolean shouldSnapshot(StoredTree state, Event event, long sequenceNr) {
    return event instanceof Taken;
  }

  @Override
  public SignalHandler<StoredTree> signalHandler() {
    return newSignalHandlerBuilder()
        .onSignal(RecoveryCompleted.instance(), onRecoveredSignal())
        .onSignal(SnapshotCompleted.class, (state, done) -> {
          ctx.getSelf().tell(new SaveFinished(null));
          retention.afterSnapshot(done.metadata().sequenceNr());
          if (state.tree() != null && !state.keptZxids().isEmpty()) {
            ctx.getLog().info("tree snapshot at zxid 0x{} is durable ({} nodes)",
                Long.toHexString(state.tree().zxid()), state.tree().nodeCount());
            log.tell(new TxnLog.Purge(state.tree().zxid(), state.keptZxids().get(0)));
          }
        })
        .onSignal(SnapshotFailed.class, (state, failed) -> {
          ctx.getSelf().tell(new SaveFinished(failed.getFailure()));
          ctx.getLog().warn("tree snapshot failed; the log keeps everything until the next one",
              failed.getFailure());
        })
        .build();
  }

  private java.util.function.Consumer<StoredTree> onRecoveredSignal() {
    return state -> {
      ctx.getLog().info("tree recovered in {} ms: {}",
          (System.nanoTime() - startedNanos) / 1_000_000, state.tree() == null ? "no snapshot" : state.tree().nodeCount() + " nodes at zxid 0x"
              + Long.toHexString(state.tree().zxid()));
      onRecovered.tell(state);
    };
  }

  @Override
  public String journalPluginId() {
    return journalPluginId;
  }

  @Override
  public String snapshotPluginId() {
    return snapshotPluginId;
  }
}
