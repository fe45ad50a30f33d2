package dev.paddock.cli;

import dev.paddock.txnlog.StoredTree;
import dev.paddock.txnlog.TreeSnapshotter;
import dev.paddock.txnlog.TxnLog;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Zxid;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.pattern.StatusReply;

/**
 * Writes a tree into an empty data directory the way a learner takes a SNAP from its leader:
 * through the server's own log and snapshot actors, so the result is exactly what a server
 * would have written. The tree becomes a durable snapshot, the log records that history up to
 * its zxid is restored, and the epoch of that zxid becomes the current one, so the next leader
 * starts a newer epoch.
 */
final class DataDirWriter extends AbstractBehavior<DataDirWriter.Command> {

  sealed interface Command {}

  private record LogReady(TxnLog.Snapshot state) implements Command {}

  private record TreeReady(StoredTree stored) implements Command {}

  private record Saved(StatusReply<Done> reply) implements Command {}

  private record Restored(Done done) implements Command {}

  private record EpochSet(Done done) implements Command {}

  private final TreeSnapshot tree;
  private final CompletableFuture<Void> result;
  private final ActorRef<TxnLog.Command> log;
  private final ActorRef<TreeSnapshotter.Command> snapshots;
  private TxnLog.Snapshot logState;
  private StoredTree stored;

  /** Writes {@code tree} into {@code dataDir} (and its journal into {@code logDir} or below). */
  static void write(StorageLayout layout, Path dataDir, Path logDir, TreeSnapshot tree)
      throws Exception {
    CompletableFuture<Void> result = new CompletableFuture<>();
    ActorSystem<Command> system = ActorSystem.create(
        Behaviors.setup(ctx -> new DataDirWriter(ctx, layout, tree, result)), "paddock-restore",
        layout.systemConfig().apply(dataDir, logDir));
    try {
      result.get(10, TimeUnit.MINUTES);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(1, TimeUnit.MINUTES);
    }
  }

  private DataDirWriter(ActorContext<Command> ctx, StorageLayout layout, TreeSnapshot tree,
      CompletableFuture<Void> result) {
    super(ctx);
    this.tree = tree;
    this.result = result;
    this.log = ctx.spawn(TxnLog.create(layout.logId(), layout.journalPlugin(),
        ctx.messageAdapter(TxnLog.Snapshot.class, LogReady::new)), "txn-log");
    this.snapshots = ctx.spawn(TreeSnapshotter.create(layout.treeId(), layout.journalPlugin(),
        layout.snapshotPlugin(), 3, log, ctx.messageAdapter(StoredTree.class, TreeReady::new)),
        "tree-snapshots");
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(LogReady.class, m -> {
          logState = m.state();
          return maybeStart();
        })
        .onMessage(TreeReady.class, m -> {
          stored = m.stored();
          return maybeStart();
        })
        .onMessage(Saved.class, m -> {
          if (m.reply().isError()) {
            return fail("the snapshot could not be written: " + m.reply().getError());
          }
          log.tell(new TxnLog.Restore(tree.zxid(),
              getContext().messageAdapter(Done.class, Restored::new)));
          return this;
        })
        .onMessage(Restored.class, m -> {
          log.tell(new TxnLog.SetCurrentEpoch(Zxid.epoch(tree.zxid()),
              getContext().messageAdapter(Done.class, EpochSet::new)));
          return this;
        })
        .onMessage(EpochSet.class, m -> {
          result.complete(null);
          return Behaviors.stopped();
        })
        .build();
  }

  private Behavior<Command> maybeStart() {
    if (logState == null || stored == null) {
      return this;
    }
    if (logState.lastZxid() != 0 || stored.tree() != null) {
      return fail("the data directory already holds data (last zxid 0x"
          + Long.toHexString(logState.lastZxid()) + ")");
    }
    ActorRef<StatusReply<Done>> replyTo = castRef(
        getContext().messageAdapter(StatusReply.class, r -> new Saved(castReply(r))));
    snapshots.tell(new TreeSnapshotter.Save(tree, replyTo));
    return this;
  }

  /** A message adapter cannot name a generic class; the snapshotter only sends Done replies. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private static ActorRef<StatusReply<Done>> castRef(ActorRef ref) {
    return ref;
  }

  @SuppressWarnings("unchecked")
  private static StatusReply<Done> castReply(StatusReply<?> r) {
    return (StatusReply<Done>) r;
  }

  private Behavior<Command> fail(String why) {
    result.completeExceptionally(new IllegalStateException(why));
    return Behaviors.stopped();
  }
}
