package dev.paddock.node;

import dev.paddock.peers.PeerLinks;
import dev.paddock.peers.Peers;
import dev.paddock.zab.FollowerActor;
import dev.paddock.zab.LeaderActor;
import dev.paddock.zab.Packet;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Where a role's inbound traffic goes: the peer gateway hands Zab packets and link resets to
 * the leader or learner actor itself instead of through the quorum peer, one hand-off fewer on
 * every link a write crosses. Election notifications are not the role's and still reach the
 * quorum peer. The quorum peer names the role when it starts one and clears it when the role
 * ends, the points at which it used to switch where it forwarded packets.
 */
final class RoleRoute {
  private final PeerLinks links;

  /** @param links null on a standalone server, which has no peers */
  RoleRoute(PeerLinks links) {
    this.links = links;
  }

  void toLeader(ActorRef<LeaderActor.Command> leader) {
    set(to(leader, LeaderActor.PeerLost::new, LeaderActor.FromPeer::new));
  }

  void toLearner(ActorRef<FollowerActor.Command> learner) {
    set(to(learner, FollowerActor.PeerLost::new, FollowerActor.FromPeer::new));
  }

  private static <C> PeerLinks.Route to(ActorRef<C> role, IntFunction<C> lost,
      BiFunction<Integer, Packet, C> delivered) {
    return in -> {
      if (in instanceof Peers.LinkReset r) {
        role.tell(lost.apply(r.from()));
        return true;
      }
      Peers.Delivered d = (Peers.Delivered) in;
      if (d.message() instanceof Packet p) {
        role.tell(delivered.apply(d.from(), p));
        return true;
      }
      return false;
    };
  }

  void clear() {
    set(null);
  }

  /** What the quorum peer learned itself: the link to {@code from} is gone. */
  void linkLost(int from) {
    PeerLinks.Route current = links == null ? null : links.route();
    if (current != null) {
      current.offer(new Peers.LinkReset(from));
    }
  }

  private void set(PeerLinks.Route next) {
    if (links != null) {
      links.route(next);
    }
  }
}
