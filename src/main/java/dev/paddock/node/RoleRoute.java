package dev.paddock.node;

import dev.paddock.peers.PeerLinks;
import dev.paddock.peers.Peers;
import dev.paddock.zab.FollowerActor;
import dev.paddock.zab.LeaderActor;
import dev.paddock.zab.Packet;
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
  private PeerLinks.Route current;

  /** @param links null on a standalone server, which has no peers */
  RoleRoute(PeerLinks links) {
    this.links = links;
  }

  void toLeader(ActorRef<LeaderActor.Command> leader) {
    set(in -> {
      if (in instanceof Peers.LinkReset r) {
        leader.tell(new LeaderActor.PeerLost(r.from()));
      } else if (((Peers.Delivered) in).message() instanceof Packet p) {
        leader.tell(new LeaderActor.FromPeer(((Peers.Delivered) in).from(), p));
      } else {
        return false;
      }
      return true;
    });
  }

  void toLearner(ActorRef<FollowerActor.Command> learner) {
    set(in -> {
      if (in instanceof Peers.LinkReset r) {
        learner.tell(new FollowerActor.PeerLost(r.from()));
      } else if (((Peers.Delivered) in).message() instanceof Packet p) {
        learner.tell(new FollowerActor.FromPeer(((Peers.Delivered) in).from(), p));
      } else {
        return false;
      }
      return true;
    });
  }

  void clear() {
    set(null);
  }

  /** What the quorum peer learned itself: the link to {@code from} is gone. */
  void linkLost(int from) {
    if (current != null) {
      current.offer(new Peers.LinkReset(from));
    }
  }

  private void set(PeerLinks.Route next) {
    current = next;
    if (links != null) {
      links.route(next);
    }
  }
}
