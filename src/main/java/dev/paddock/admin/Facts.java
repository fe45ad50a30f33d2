package dev.paddock.admin;

import dev.paddock.session.DataTreeActor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * What one admin request knows about the server, gathered before the command runs: the node's
 * status and, when the command needs them, the tree's figures, its watches and the log state.
 * Parts that cannot be had (storage down, tree not recovered) are null.
 */
record Facts(NodeAccess.NodeStatus status, DataTreeActor.Info info,
    DataTreeActor.Watches watches, NodeAccess.LogState log, InetSocketAddress clientPort) {

  static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

  /** What a command needs beyond the node's status. */
  record Needs(boolean tree, boolean watches, boolean log) {
    static final Needs STATUS = new Needs(false, false, false);
    static final Needs TREE = new Needs(true, false, false);
    static final Needs WATCHES = new Needs(false, true, false);
    static final Needs ALL = new Needs(true, false, true);
  }

  static CompletionStage<Facts> gather(NodeAccess node, ActorSystem<?> system, Needs needs) {
    return node.status().thenCompose(status -> {
      CompletableFuture<DataTreeActor.Info> info = needs.tree() && status.tree() != null
          ? AskPattern.<DataTreeActor.Command, DataTreeActor.Info>ask(status.tree(),
              DataTreeActor.GetInfo::new, ASK_TIMEOUT, system.scheduler()).toCompletableFuture()
          : CompletableFuture.completedFuture(null);
      CompletableFuture<DataTreeActor.Watches> watches = needs.watches() && status.tree() != null
          ? AskPattern.<DataTreeActor.Command, DataTreeActor.Watches>ask(status.tree(),
              DataTreeActor.GetWatches::new, ASK_TIMEOUT, system.scheduler())
              .toCompletableFuture()
          : CompletableFuture.completedFuture(null);
      CompletableFuture<NodeAccess.LogState> log = needs.log()
          ? node.logState().toCompletableFuture().exceptionally(e -> null)
          : CompletableFuture.completedFuture(null);
      CompletableFuture<InetSocketAddress> port =
          node.clientPort().toCompletableFuture().exceptionally(e -> null);
      return CompletableFuture.allOf(info, watches, log, port).thenApply(v -> new Facts(status,
          info.join(), watches.join(), log.join(), port.join()));
    });
  }
}
