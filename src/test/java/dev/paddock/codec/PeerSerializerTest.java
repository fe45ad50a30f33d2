package dev.paddock.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.paddock.election.Notification;
import dev.paddock.election.ServerState;
import dev.paddock.election.Vote;
import dev.paddock.peers.PeerMessage;
import dev.paddock.peers.Peers;
import dev.paddock.zab.Packet;
import java.io.NotSerializableException;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Envelopes between servers survive the round trip, whichever gateway sent them. */
class PeerSerializerTest {
  private static final ActorTestKit kit = ActorTestKit.create("PeerSerializerTest",
      ConfigFactory.parseString("pekko.actor.provider = local"));
  private static final PeerSerializer serializer =
      new PeerSerializer((ExtendedActorSystem) Adapter.toClassic(kit.system()));

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  private static ActorRef<Peers.Command> gateway() {
    return kit.spawn(Behaviors.<Peers.Command>ignore());
  }

  private static Peers.Envelope roundTrip(Peers.Envelope e) throws NotSerializableException {
    return (Peers.Envelope) serializer.fromBinary(serializer.toBinary(e), serializer.manifest(e));
  }

  @Test
  void envelopesOfSeveralGatewaysKeepTheirSenders() throws NotSerializableException {
    ActorRef<Peers.Command> one = gateway();
    ActorRef<Peers.Command> two = gateway();
    List<PeerMessage> messages = List.of(new Packet.Ack(7, 0x100000005L),
        new Packet.Commit(7, 0x100000006L), new Packet.LeaderPing(9, 3),
        new Packet.Goodbye(9, "leader stepping down"),
        new Notification(new Vote(2, 0x100000004L, 1), 5, ServerState.LOOKING));
    long seq = 0;
    // Alternating senders: neither side may answer with the gateway it saw last.
    for (PeerMessage m : messages) {
      for (ActorRef<Peers.Command> sender : List.of(one, two, two, one)) {
        Peers.Envelope e = new Peers.Envelope(3, 42, ++seq, sender, m);
        assertEquals(e, roundTrip(e));
      }
    }
  }

  @Test
  void aTruncatedEnvelopeIsRefused() {
    Peers.Envelope e = new Peers.Envelope(3, 42, 1, gateway(), new Packet.Ack(7, 5));
    byte[] bytes = serializer.toBinary(e);
    byte[] cut = Arrays.copyOf(bytes, bytes.length - 3);
    assertThrows(NotSerializableException.class,
        () -> serializer.fromBinary(cut, serializer.manifest(e)));
  }
}
