package dev.paddock.zab;

import dev.paddock.peers.PeerSender;
import dev.paddock.request.WritePath;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.tree.TreeView;
import dev.paddock.txnlog.TreeSnapshotter;
import dev.paddock.txnlog.TxnLog;
import java.time.Duration;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a role actor (leader or learner) works with: the pure role's configuration, its log
 * state when the role began, and the long-lived actors it drives.
 *
 * @param onServing called by the role (itself, then its write path) once it serves clients
 * @param snapPacing how a leader sends SNAPs
 * @param spool where a learner keeps the SNAP it is receiving
 */
public record Zab(
    RoleConfig role,
    TxnLog.Snapshot logState,
    ActorRef<TxnLog.Command> log,
    ActorRef<TreeSnapshotter.Command> snapshots,
    ActorRef<DataTreeActor.Command> tree,
    TreeView view,
    ActorRef<SessionTrackerActor.Command> tracker,
    PeerSender peers,
    Duration containerCheckInterval,
    CrashPoints crashPoints,
    BiConsumer<ActorRef<?>, ActorRef<WritePath>> onServing,
    SnapPacing snapPacing,
    java.nio.file.Path spool) {
  public int myId() {
    return role.myId();
  }

  public ZabTimers timers() {
    return role.timers();
  }
}
