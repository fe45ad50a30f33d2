package dev.paddock.node;

import dev.paddock.request.WritePath;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.LogBatcher;
import dev.paddock.storage.StoredTree;
import dev.paddock.storage.TreeSnapshotter;
import dev.paddock.storage.TxnLog;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.DataTreeActor;
import dev.paddock.tree.TreeView;
import dev.paddock.txn.TxnEntry;
import dev.paddock.zab.LeaderActor;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The guardian of a standalone server: recovers the log and the newest tree snapshot, rebuilds the
 * tree, bumps the epoch, and then runs as the leader of an ensemble of one.
 */
public final class StandaloneServer {
  public static final String LOG_ID = "paddock-txnlog";
  public static final String TREE_ID = "paddock-tree";
  public static final String JOURNAL = "paddock.journal";
  public static final String SNAPSHOTS = "paddock.snapshot-store";
  /** Name of the session tracker, the front door typed clients connect to. */
  public static final String SESSIONS = "sessions";

  public sealed interface Command {}

  /** Asks whether the server serves clients yet, and for its parts (tests, wire port, words). */
  public record GetStatus(ActorRef<Status> replyTo) implements Command {}

  public record Status(boolean serving, String mode,
      ActorRef<SessionTrackerActor.Command> sessions, ActorRef<DataTreeActor.Command> tree,
      TreeView view) {}

  /** Answered with the client port's bound address once it listens (tests bind port 0). */
  public record GetClientPort(ActorRef<java.net.InetSocketAddress> replyTo) implements Command {}

  private record LogRecovered(TxnLog.Snapshot state) implements Command {}

  private record TreeRecovered(StoredTree stored) implements Command {}

  private record EpochStored(Done done) implements Command {}

  private record WritesReady(ActorRef<WritePath> writes) implements Command {}

  public static Behavior<Command> create(Settings settings) {
    return Behaviors.setup(ctx -> recovering(ctx, settings, spawnStorage(ctx, settings), null, null));
  }

  private record Storage(ActorRef<TxnLog.Command> log, ActorRef<TreeSnapshotter.Command> snaps) {}

  private static Storage spawnStorage(ActorContext<Command> ctx, Settings settings) {
    ActorRef<TxnLog.Command> log = ctx.spawn(TxnLog.create(LOG_ID, JOURNAL,
        ctx.messageAdapter(TxnLog.Snapshot.class, LogRecovered::new)), "txn-log");
    ActorRef<TreeSnapshotter.Command> snaps = ctx.spawn(TreeSnapshotter.create(TREE_ID, JOURNAL,
        SNAPSHOTS, settings.snapRetainCount(), log,
        ctx.messageAdapter(StoredTree.class, TreeRecovered::new)), "tree-snapshots");
    return new Storage(log, snaps);
  }

  private static Behavior<Command> recovering(ActorContext<Command> ctx, Settings settings,
      Storage storage, TxnLog.Snapshot logState, StoredTree stored) {
    if (logState != null && stored != null) {
      return start(ctx, settings, storage, logState, stored);
    }
    return Behaviors.receive(Command.class)
        .onMessage(LogRecovered.class, m ->
            recovering(ctx, settings, storage, m.state(), stored))
        .onMessage(TreeRecovered.class, m ->
            recovering(ctx, settings, storage, logState, m.stored()))
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Status(false, "starting", null, null, null));
          return Behaviors.same();
        })
        .build();
  }

  private static Behavior<Command> start(ActorContext<Command> ctx, Settings settings,
      Storage storage, TxnLog.Snapshot logState, StoredTree stored) {
    DataTree tree = stored.tree() == null ? new DataTree() : DataTree.fromSnapshot(stored.tree());
    ctx.getLog().info("recovered tree at zxid 0x{} ({} nodes); {} txns in the log after it",
        Long.toHexString(tree.lastZxid()), tree.nodeCount(), logState.entries().size());
    TreeView view = new TreeView(tree.snapshot());
    ActorRef<DataTreeActor.Command> treeActor = ctx.spawn(DataTreeActor.create(tree, view,
        s -> storage.snaps().tell(new TreeSnapshotter.Save(s)), settings.snapCount()), "tree");
    ActorRef<SessionTrackerActor.Command> sessions = ctx.spawn(SessionTrackerActor.create(
        new SessionTrackerActor.Config(settings.myId(), SessionSecret.resolve(settings),
            settings.minSessionTimeoutMs(), settings.maxSessionTimeoutMs(), settings.tickMs(),
            settings.superDigest()), view, treeActor), SESSIONS);
    dev.paddock.zab.Zab zab = new dev.paddock.zab.Zab(settings.myId(), Set.of(settings.myId()),
        Set.of(), new dev.paddock.zab.ZabTimers(settings.tickTime(), settings.initLimit(),
            settings.syncLimit()), logState, storage.log(), storage.snaps(), treeActor, view,
        sessions, null, settings.maxBuffer(), settings.diffWindow(),
        settings.containerCheckInterval(),
        dev.paddock.zab.CrashPoints.NONE, writes -> ctx.getSelf().tell(new WritesReady(writes)));
    ctx.spawn(LeaderActor.create(zab), "leader");
    return Behaviors.receive(Command.class)
        .onMessage(WritesReady.class, w -> {
          sessions.tell(new SessionTrackerActor.RoleChanged(w.writes(), true));
          ctx.getLog().info("serving as a standalone server");
          var clientPort = ctx.spawn(dev.paddock.wire.ClientPortServer.create(settings, sessions,
              treeActor, () -> "standalone"), "client-port");
          return serving(sessions, treeActor, view, clientPort);
        })
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Status(false, "starting", null, null, null));
          return Behaviors.same();
        })
        .build();
  }

  private static Behavior<Command> serving(ActorRef<SessionTrackerActor.Command> sessions,
      ActorRef<DataTreeActor.Command> tree, TreeView view,
      ActorRef<dev.paddock.wire.ClientPortServer.Command> clientPort) {
    return Behaviors.receive(Command.class)
        .onMessage(GetStatus.class, g -> {
          g.replyTo().tell(new Status(true, "standalone", sessions, tree, view));
          return Behaviors.same();
        })
        .onMessage(GetClientPort.class, g -> {
          clientPort.tell(new dev.paddock.wire.ClientPortServer.GetBoundAddress(g.replyTo()));
          return Behaviors.same();
        })
        .build();
  }
}
