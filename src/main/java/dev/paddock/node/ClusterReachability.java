package dev.paddock.node;

import dev.paddock.peers.MembershipGuard;
import java.util.Collection;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * What a node takes from Pekko Cluster when its servers form one ({@code pekko.actor.provider =
 * cluster}): reachability reports about the other servers, and a guard that keeps strangers out
 * of the membership. Without a cluster provider there is nothing to watch.
 */
final class ClusterReachability {
  private ClusterReachability() {}

  /**
   * Subscribes {@code events} to reachability changes and spawns the membership guard for the
   * servers at {@code peerAddresses} ("host:port"), if the node runs the cluster provider.
   */
  static void watch(ActorContext<?> ctx, ActorRef<ClusterEvent.ReachabilityEvent> events,
      Collection<String> peerAddresses) {
    if (!ctx.getSystem().settings().config().getString("pekko.actor.provider")
        .equals("cluster")) {
      return;
    }
    Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(events,
        ClusterEvent.ReachabilityEvent.class));
    ctx.spawn(MembershipGuard.create(Set.copyOf(peerAddresses)), MembershipGuard.NAME);
  }

  /** The id of the server that {@code event} reports unreachable, or -1 for any other event. */
  static int unreachableServer(Settings settings, ClusterEvent.ReachabilityEvent event) {
    if (!(event instanceof ClusterEvent.UnreachableMember u)) {
      return -1;
    }
    Address a = u.member().address();
    if (a.host().isEmpty() || a.port().isEmpty()) {
      return -1;
    }
    for (ServerSpec spec : settings.servers()) {
      if ((int) a.port().get() == spec.peerPort() && a.host().get().equals(spec.host())) {
        return spec.id();
      }
    }
    return -1;
  }
}
