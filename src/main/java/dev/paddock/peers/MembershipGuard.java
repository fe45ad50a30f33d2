package dev.paddock.peers;

import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Keeps the cluster to the configured servers: any member whose address is not the peer port of
 * one of {@code paddock.servers} is downed as soon as this server hears of it. Pekko has no hook
 * that vets a join by the joiner's real address (its join check compares configuration the
 * joiner reports about itself), so every server watches and downs; downing is idempotent. Zab
 * never looks at cluster membership, so a stranger that got in for a moment decides nothing; this
 * keeps it from lingering in gossip and failure detection.
 */
public final class MembershipGuard {
  public static final String NAME = "membership-guard";

  private MembershipGuard() {}

  /** @param allowed "host:port" of every configured server's peer port */
  public static Behavior<ClusterEvent.MemberEvent> create(Set<String> allowed) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      // The initial state arrives as events too, so members present before this started count.
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf(),
          ClusterEvent.MemberEvent.class));
      // By incarnation: a stranger that comes back on the same host:port is downed again. An
      // entry lives only until the member is removed, so the set stays small.
      Set<UniqueAddress> downed = new HashSet<>();
      return Behaviors.receive(ClusterEvent.MemberEvent.class)
          .onAnyMessage(event -> {
            Member m = event.member();
            if (event instanceof ClusterEvent.MemberRemoved) {
              downed.remove(m.uniqueAddress());
              return Behaviors.same();
            }
            Address a = m.address();
            String hostPort = a.getHost().orElse("") + ":" + a.getPort().orElse(-1);
            if (!allowed.contains(hostPort) && downed.add(m.uniqueAddress())) {
              ctx.getLog().warn("downing cluster member {}: {} is not the peer port of any "
                  + "server in paddock.servers", a, hostPort);
              cluster.manager().tell(new Down(a));
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
