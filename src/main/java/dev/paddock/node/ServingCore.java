package dev.paddock.node;

import dev.paddock.request.ReplySize;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeView;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * What a node serves clients from, across all its roles: the tree actor, the view that reads the
 * tree without asking it, and the session tracker. Spawned once, from the recovered tree; both
 * actors are critical parts.
 *
 * @param view the tree's latest committed state, for reads outside the tree actor
 */
record ServingCore(TreeView view, ActorRef<DataTreeActor.Command> tree,
    ActorRef<SessionTrackerActor.Command> sessions) {

  /**
   * @param saveSnapshot where the tree actor hands a tree to be written as a snapshot
   */
  static ServingCore spawn(ActorContext<?> ctx, Settings settings, DataTree initial,
      DataTreeActor.SnapshotSink saveSnapshot, CriticalParts critical, String sessionsName) {
    TreeView view = new TreeView(initial.snapshot());
    ActorRef<DataTreeActor.Command> tree = ctx.spawn(DataTreeActor.create(initial, view,
        saveSnapshot, settings.snapCount(), settings.snapSizeLimit(),
        settings.maxBuffer() + (long) ReplySize.HEADROOM), "tree");
    ActorRef<SessionTrackerActor.Command> sessions = ctx.spawn(SessionTrackerActor.create(
        new SessionTrackerActor.Config(settings.myId(), SessionSecret.resolve(settings),
            settings.minSessionTimeoutMs(), settings.maxSessionTimeoutMs(), settings.tickMs(),
            settings.superDigest(), settings.initLimit() * (long) settings.tickMs()),
        view, tree), sessionsName);
    critical.watch("tree", tree);
    critical.watch("session tracker", sessions);
    return new ServingCore(view, tree, sessions);
  }
}
