package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.election.Notification;
import dev.paddock.election.ServerState;
import dev.paddock.election.Vote;
import dev.paddock.peers.PeerLinks;
import dev.paddock.peers.Peers;
import dev.paddock.zab.FollowerActor;
import dev.paddock.zab.LeaderActor;
import dev.paddock.zab.Packet;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Which inbound traffic reaches the current role, and as what. */
class RoleRouteTest {
  private static final ActorTestKit kit = ActorTestKit.create("RoleRouteTest",
      ConfigFactory.parseString("pekko.actor.provider = local"));

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static PeerLinks links() {
    return new PeerLinks(kit.system(), 1, Map.of(1, "127.0.0.1:1", 2, "127.0.0.1:2"), "x");
  }

  private static final Packet.Ack ACK = new Packet.Ack(5, 0x100000001L);
  private static final Notification VOTE =
      new Notification(new Vote(2, 0, 1), 3, ServerState.LOOKING);

  @Test
  void aLeaderGetsPacketsAndResetsButNotVotes() {
    TestProbe<LeaderActor.Command> leader = kit.createTestProbe();
    PeerLinks links = links();
    new RoleRoute(links).toLeader(leader.ref());
    PeerLinks.Route r = links.route();
    assertTrue(r.offer(new Peers.Delivered(2, ACK)));
    assertTrue(r.offer(new Peers.LinkReset(2)));
    assertFalse(r.offer(new Peers.Delivered(2, VOTE)));
    assertEquals(new LeaderActor.FromPeer(2, ACK), leader.receiveMessage());
    assertEquals(new LeaderActor.PeerLost(2), leader.receiveMessage());
    leader.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aLearnerHearsOfALostLinkAndTheRouteEndsWithTheRole() {
    TestProbe<FollowerActor.Command> learner = kit.createTestProbe();
    PeerLinks links = links();
    RoleRoute route = new RoleRoute(links);
    route.toLearner(learner.ref());
    route.linkLost(2);
    assertEquals(new FollowerActor.PeerLost(2), learner.receiveMessage());
    assertTrue(links.route().offer(new Peers.Delivered(2, ACK)));
    assertEquals(new FollowerActor.FromPeer(2, ACK), learner.receiveMessage());

    route.clear();
    route.linkLost(2);
    assertNull(links.route(), "the gateway hands everything to the quorum peer again");
    learner.expectNoMessage(Duration.ofMillis(50));
  }
}
