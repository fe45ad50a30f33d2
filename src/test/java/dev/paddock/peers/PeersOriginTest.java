package dev.paddock.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.zab.Packet;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Envelopes that really cross Artery (plain TCP on loopback, through the peer serializer): the
 * receiving gateway believes the claimed server id only when the sending gateway's address is
 * that server's configured one.
 */
class PeersOriginTest {
  private static final Config REMOTE = ConfigFactory.parseString(
      "pekko.actor.provider = remote\n"
          + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
          + "pekko.remote.artery.canonical.port = 0\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s")
      .withFallback(ConfigFactory.load());
  private static final ActorTestKit server = ActorTestKit.create("paddock", REMOTE);
  private static final ActorTestKit other = ActorTestKit.create("paddock", REMOTE);

  @AfterAll
  static void shutdown() {
    other.shutdownTestKit();
    server.shutdownTestKit();
  }

  private static String hostPort(ActorTestKit kit) {
    Address a = ((ExtendedActorSystem) Adapter.toClassic(kit.system())).provider()
        .getDefaultAddress();
    return a.getHost().get() + ":" + a.getPort().get();
  }

  private static Packet.Ack ack(long zxid) {
    return new Packet.Ack(1, zxid);
  }

  @Test
  void onlyTheConfiguredAddressMaySpeakForAServer() {
    // Server 2 is the other system; server 3 is somewhere else entirely.
    TestProbe<Peers.Inbound> inbox = server.createTestProbe();
    ActorRef<Peers.Command> gateway = server.spawn(Peers.create(1, Map.of(
        1, hostPort(server), 2, hostPort(other), 3, "127.0.0.1:1"), "paddock"), "gateway");
    gateway.tell(new Peers.SetInbox(inbox.ref()));

    TestProbe<Peers.Command> sender = other.createTestProbe();
    ActorRef<Peers.Command> remote = ActorRefResolver.get(other.system()).resolveActorRef(
        ActorRefResolver.get(server.system()).toSerializationFormat(gateway));
    remote.tell(new Peers.Envelope(3, 7, 1, sender.ref(), ack(0x100000005L)));
    // A sender reference forged to name the receiving server itself is still not server 3.
    ActorRef<Peers.Command> forged = ActorRefResolver.get(other.system()).resolveActorRef(
        "pekko://paddock@" + hostPort(server) + "/user/gateway");
    remote.tell(new Peers.Envelope(3, 7, 2, forged, ack(0x100000006L)));
    remote.tell(new Peers.Envelope(2, 9, 1, sender.ref(), ack(0x100000007L)));

    // Artery keeps one sender's messages in order: the genuine one arriving first means both
    // forgeries were dropped, not merely late.
    assertEquals(new Peers.Delivered(2, ack(0x100000007L)), inbox.receiveMessage());
    inbox.expectNoMessage(Duration.ofMillis(300));
  }
}
