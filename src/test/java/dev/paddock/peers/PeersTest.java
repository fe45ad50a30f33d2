package dev.paddock.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import dev.paddock.zab.Packet;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.DeadLetter;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gateway without remoting. Inbound: envelopes are handed to a gateway directly, as the
 * transport would. Outbound: in a local actor system a remote peer's address resolves to dead
 * letters, so what a gateway sends shows up there, numbered, and can be carried to another
 * gateway by hand.
 */
class PeersTest {
  private static final ActorTestKit kit = ActorTestKit.create("PeersTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));

  // Fresh server ids per test keep stray dead letters of earlier tests apart.
  private static final AtomicInteger ids = new AtomicInteger(100);

  private TestProbe<Peers.Inbound> inbox;
  private int me;
  private int a;
  private int b;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void ids() {
    inbox = kit.createTestProbe();
    me = ids.incrementAndGet();
    a = ids.incrementAndGet();
    b = ids.incrementAndGet();
  }

  /**
   * Every gateway of this test lives in one actor system, so every server's configured address
   * is that system's: the origin check lets their envelopes through.
   */
  private static final String HERE = "127.0.0.1:1";

  private static Peers.Envelope env(int from, long incarnation, long seq, PeerMessage m) {
    return new Peers.Envelope(from, incarnation, seq, kit.system().deadLetters(), m);
  }

  private static PeerMessage msg(long n) {
    return new Packet.LeaderPing(n, 0);
  }

  private ActorRef<Peers.Command> gateway(int id, ActorRef<Peers.Inbound> to) {
    ActorRef<Peers.Command> g = kit.spawn(Peers.create(id,
        Map.of(me, HERE, a, HERE, b, HERE), "NoSuchSystem"));
    if (to != null) {
      g.tell(new Peers.SetInbox(to));
    }
    return g;
  }

  private void expectDelivered(int from, long n) {
    assertEquals(new Peers.Delivered(from, msg(n)), inbox.receiveMessage());
  }

  private void expectReset(int from) {
    assertEquals(new Peers.LinkReset(from), inbox.receiveMessage());
  }

  /** Envelopes a gateway sent, in the order it sent them. */
  private TestProbe<DeadLetter> outbound() {
    TestProbe<DeadLetter> p = kit.createTestProbe();
    // The classic subscribe takes effect before it returns; the typed one is a message and
    // could come after the first envelope.
    Adapter.toClassic(kit.system()).getEventStream()
        .subscribe(Adapter.toClassic(p.ref()), DeadLetter.class);
    return p;
  }

  private Peers.Envelope nextEnvelope(TestProbe<DeadLetter> out, int from) {
    while (true) {
      Object m = out.receiveMessage().message();
      if (m instanceof Peers.Envelope e && e.from() == from) {
        return e;
      }
    }
  }

  @Test
  void deliversInOrder() {
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    for (long seq = 1; seq <= 5; seq++) {
      g.tell(env(a, 42, seq, msg(seq)));
    }
    for (long seq = 1; seq <= 5; seq++) {
      expectDelivered(a, seq);
    }
  }

  @Test
  void aGapInTheSequenceResetsTheLinkBeforeDelivering() {
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    g.tell(env(a, 42, 1, msg(1)));
    g.tell(env(a, 42, 2, msg(2)));
    g.tell(env(a, 42, 4, msg(4)));
    g.tell(env(a, 42, 5, msg(5)));
    expectDelivered(a, 1);
    expectDelivered(a, 2);
    expectReset(a);
    expectDelivered(a, 4);
    expectDelivered(a, 5);
  }

  @Test
  void aNewIncarnationOfThePeerResetsTheLink() {
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    g.tell(env(a, 42, 1, msg(1)));
    g.tell(env(a, 42, 2, msg(2)));
    g.tell(env(a, 43, 1, msg(10)));
    g.tell(env(a, 43, 2, msg(11)));
    expectDelivered(a, 1);
    expectDelivered(a, 2);
    expectReset(a);
    expectDelivered(a, 10);
    expectDelivered(a, 11);
  }

  @Test
  void linksAreNumberedIndependently() {
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    g.tell(env(a, 42, 1, msg(1)));
    g.tell(env(b, 7, 1, msg(2)));
    g.tell(env(a, 42, 2, msg(3)));
    g.tell(env(b, 7, 3, msg(4)));
    expectDelivered(a, 1);
    expectDelivered(b, 2);
    expectDelivered(a, 3);
    expectReset(b);
    expectDelivered(b, 4);
  }

  @Test
  void cutDropsInboundUntilHealedAndTheLossIsReported() {
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    g.tell(env(a, 42, 1, msg(1)));
    g.tell(new Peers.Cut(a));
    g.tell(env(a, 42, 2, msg(2)));
    g.tell(env(b, 7, 1, msg(3)));
    g.tell(new Peers.Heal(a));
    g.tell(env(a, 42, 3, msg(4)));
    expectDelivered(a, 1);
    expectDelivered(b, 3);
    expectReset(a);
    expectDelivered(a, 4);
  }

  @Test
  void sendsNumberedEnvelopesAndCutDropsOutbound() {
    TestProbe<DeadLetter> out = outbound();
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    g.tell(new Peers.Send(a, msg(1)));
    g.tell(new Peers.Send(a, msg(2)));
    g.tell(new Peers.Cut(a));
    g.tell(new Peers.Send(a, msg(3)));
    g.tell(new Peers.Send(b, msg(4)));
    g.tell(new Peers.Heal(a));
    g.tell(new Peers.Send(a, msg(5)));

    Peers.Envelope first = nextEnvelope(out, me);
    assertEquals(1, first.seq());
    assertEquals(msg(1), first.message());
    Peers.Envelope second = nextEnvelope(out, me);
    assertEquals(2, second.seq());
    assertEquals(first.incarnation(), second.incarnation());
    Peers.Envelope toB = nextEnvelope(out, me);
    assertEquals(new Peers.Envelope(me, first.incarnation(), 1, g, msg(4)), toB);
    // The dropped message used up a number, so the far side will see the gap.
    assertEquals(new Peers.Envelope(me, first.incarnation(), 4, g, msg(5)),
        nextEnvelope(out, me));
    inbox.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aCutLinkIsCutBothWays() {
    TestProbe<DeadLetter> out = outbound();
    TestProbe<Peers.Inbound> inboxA = kit.createTestProbe();
    ActorRef<Peers.Command> gMe = gateway(me, inbox.ref());
    ActorRef<Peers.Command> gA = gateway(a, inboxA.ref());

    gMe.tell(new Peers.Send(a, msg(1)));
    gA.tell(nextEnvelope(out, me));
    assertEquals(new Peers.Delivered(me, msg(1)), inboxA.receiveMessage());

    gMe.tell(new Peers.Cut(a));
    gMe.tell(new Peers.Send(a, msg(2)));
    gMe.tell(new Peers.Send(b, msg(3)));
    Peers.Envelope toB = nextEnvelope(out, me);
    assertEquals(msg(3), toB.message(), "nothing went to the cut peer");

    gA.tell(new Peers.Send(me, msg(4)));
    gMe.tell(nextEnvelope(out, a));
    gMe.tell(env(b, 9, 1, msg(5)));
    expectDelivered(b, 5);

    gMe.tell(new Peers.Heal(a));
    gMe.tell(new Peers.Send(a, msg(6)));
    gA.tell(nextEnvelope(out, me));
    assertEquals(new Peers.LinkReset(me), inboxA.receiveMessage());
    assertEquals(new Peers.Delivered(me, msg(6)), inboxA.receiveMessage());

    gA.tell(new Peers.Send(me, msg(7)));
    gMe.tell(nextEnvelope(out, a));
    // msg(4) was dropped on arrival, so the link from a is reset before msg(7) arrives.
    expectReset(a);
    expectDelivered(a, 7);
  }

  @Test
  void aRestartedGatewayIsANewIncarnation() {
    TestProbe<DeadLetter> out = outbound();
    ActorRef<Peers.Command> receiver = gateway(a, inbox.ref());
    ActorRef<Peers.Command> before = gateway(me, null);
    before.tell(new Peers.Send(a, msg(1)));
    receiver.tell(nextEnvelope(out, me));
    expectDelivered(me, 1);
    kit.stop(before);

    ActorRef<Peers.Command> after = gateway(me, null);
    after.tell(new Peers.Send(a, msg(2)));
    Peers.Envelope e = nextEnvelope(out, me);
    assertEquals(1, e.seq());
    receiver.tell(e);
    expectReset(me);
    expectDelivered(me, 2);
  }

  private PeerLinks links(int id) {
    return new PeerLinks(kit.system(), id, Map.of(me, HERE, a, HERE, b, HERE), "NoSuchSystem");
  }

  @Test
  void linksAndTheGatewayShareOneNumberingPerPeer() {
    TestProbe<DeadLetter> out = outbound();
    PeerLinks links = links(me);
    ActorRef<Peers.Command> g = kit.spawn(Peers.create(links,
        Map.of(me, HERE, a, HERE, b, HERE)));
    Peers.attach(links, g);
    links.send(a, msg(1));
    g.tell(new Peers.Send(a, msg(2)));
    Peers.Envelope first = nextEnvelope(out, me);
    Peers.Envelope second = nextEnvelope(out, me);
    assertEquals(new Peers.Envelope(me, first.incarnation(), 1, g, msg(1)), first);
    assertEquals(new Peers.Envelope(me, first.incarnation(), 2, g, msg(2)), second);
    links.send(a, msg(3));
    assertEquals(3, nextEnvelope(out, me).seq());
    assertThrows(IllegalArgumentException.class, () -> links.send(999, msg(4)));
  }

  @Test
  void sendingBeforeTheGatewayIsNamedFailsLoudly() {
    PeerLinks links = links(me);
    assertThrows(IllegalStateException.class, () -> links.send(a, msg(1)));
  }

  @Test
  void aRouteTakesWhatItIsForAndTheRestReachesTheInbox() {
    PeerLinks links = links(me);
    ActorRef<Peers.Command> g = kit.spawn(Peers.create(links,
        Map.of(me, HERE, a, HERE, b, HERE)));
    g.tell(new Peers.SetInbox(inbox.ref()));
    TestProbe<Peers.Inbound> role = kit.createTestProbe();
    links.route(in -> {
      if (in instanceof Peers.Delivered d && d.message() instanceof Packet.LeaderPing p
          && p.connection() % 2 == 1) {
        return false;
      }
      role.ref().tell(in);
      return true;
    });
    g.tell(env(a, 42, 1, msg(2)));
    g.tell(env(a, 42, 2, msg(3)));
    g.tell(env(a, 42, 4, msg(4)));
    assertEquals(new Peers.Delivered(a, msg(2)), role.receiveMessage());
    expectDelivered(a, 3);
    // The reset of a link goes where the packets go, ahead of the packet that revealed it.
    assertEquals(new Peers.LinkReset(a), role.receiveMessage());
    assertEquals(new Peers.Delivered(a, msg(4)), role.receiveMessage());

    links.route(null);
    g.tell(env(a, 42, 5, msg(6)));
    expectDelivered(a, 6);
    role.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void nothingIsDeliveredWithoutAnInbox() {
    ActorRef<Peers.Command> g = gateway(me, null);
    g.tell(env(a, 42, 1, msg(1)));
    g.tell(new Peers.SetInbox(inbox.ref()));
    g.tell(env(a, 42, 2, msg(2)));
    expectDelivered(a, 2);
  }

  @Test
  void aCutBeforeFirstContactStillShowsTheLoss() {
    ActorRef<Peers.Command> g = gateway(me, inbox.ref());
    g.tell(new Peers.Cut(a));
    g.tell(env(a, 42, 1, msg(1)));
    g.tell(new Peers.Heal(a));
    g.tell(env(a, 42, 2, msg(2)));
    expectReset(a);
    expectDelivered(a, 2);
  }

  @Test
  void anEnvelopeFromAnotherAddressThanTheClaimedServersIsDropped() {
    // Here only `me` is configured at this system's address, and b is at this address too.
    ActorRef<Peers.Command> g = kit.spawn(Peers.create(me,
        Map.of(me, HERE, a, "127.0.0.1:2", b, HERE), "NoSuchSystem"));
    g.tell(new Peers.SetInbox(inbox.ref()));
    g.tell(env(a, 42, 1, msg(1)));
    // A server never sends to itself: an envelope in its own name is forged.
    g.tell(env(me, 42, 1, msg(2)));
    g.tell(env(b + 1000, 42, 1, msg(3)));
    g.tell(env(b, 42, 1, msg(4)));
    expectDelivered(b, 4);
    inbox.expectNoMessage(Duration.ofMillis(100));
  }
}
