package dev.paddock.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The per-connection proxy between a typed client and its session. */
class SessionProxyTest {
  static final ActorTestKit kit = ActorTestKit.create();
  /** Stands for anything a network could hand the proxy: refs of another actor system. */
  static final ActorTestKit elsewhere = ActorTestKit.create("elsewhere");

  @AfterAll
  static void stop() {
    elsewhere.shutdownTestKit();
    kit.shutdownTestKit();
  }

  record Proxy(ActorRef<Object> ref, TestProbe<SessionOutput> client,
      TestProbe<SessionTrackerActor.Command> tracker) {}

  static Proxy open(List<Id> claimed) {
    TestProbe<SessionOutput> client = kit.createTestProbe();
    TestProbe<SessionTrackerActor.Command> tracker = kit.createTestProbe();
    ActorRef<Object> proxy = kit.spawn(SessionProxy.create(new SessionTrackerActor.Connect(
        5000, 0, null, 0, claimed, client.ref()), tracker.ref(), kit.system().name()));
    return new Proxy(proxy, client, tracker);
  }

  @Test
  void theTrackerHearsNoClaimedIdentityAndSeesTheProxyAsFrontDoor() {
    Proxy p = open(List.of(new Id("super", "")));
    SessionTrackerActor.Connect c = p.tracker().expectMessageClass(
        SessionTrackerActor.Connect.class);
    assertEquals(List.of(), c.connectionIds());
    assertEquals(p.ref(), c.frontDoor());
    assertEquals(5000, c.requestedTimeoutMs());
  }

  @Test
  void theClientOnlyEverHoldsTheProxy() {
    Proxy p = open(List.of());
    TestProbe<SessionActor.Command> session = kit.createTestProbe();
    TestProbe<SessionActor.Command> foreign = elsewhere.createTestProbe();
    ActorRef<SessionOutput> door = p.ref().narrow();
    // A Connected naming a session outside the server's system is not believed.
    door.tell(new SessionOutput.Connected(1, new byte[16], 5000, 0, foreign.ref()));
    p.client().expectNoMessage(Duration.ofMillis(100));
    door.tell(new SessionOutput.Connected(1, new byte[16], 5000, 0, session.ref()));
    SessionOutput.Connected seen = p.client().expectMessageClass(SessionOutput.Connected.class);
    assertEquals(p.ref(), seen.session());
    assertNotEquals(session.ref(), seen.session());
    // A second one cannot redirect the proxy either.
    TestProbe<SessionActor.Command> other = kit.createTestProbe();
    door.tell(new SessionOutput.Connected(2, new byte[16], 5000, 0, other.ref()));

    ActorRef<SessionActor.Command> viaProxy = p.ref().narrow();
    viaProxy.tell(new SessionActor.Submit(1, new Op.Exists("/", false)));
    assertEquals(1, session.expectMessageClass(SessionActor.Submit.class).cxid());
    other.expectNoMessage(Duration.ofMillis(100));
    door.tell(new SessionOutput.Reply(1, 5, Result.fail(Code.NO_NODE)));
    assertEquals(1, p.client().expectMessageClass(SessionOutput.Reply.class).cxid());
  }

  @Test
  void aClosedSessionStopsTheProxy() {
    Proxy p = open(List.of());
    TestProbe<Object> watcher = kit.createTestProbe();
    p.tracker().expectMessageClass(SessionTrackerActor.Connect.class);
    p.ref().narrow().tell(new SessionOutput.Closed(SessionOutput.Reason.EXPIRED, "gone"));
    p.client().expectMessageClass(SessionOutput.Closed.class);
    watcher.expectTerminated(p.ref());
  }

  @Test
  void aStoppedSessionStopsTheProxy() {
    Proxy p = open(List.of());
    TestProbe<SessionActor.Command> inbox = kit.createTestProbe();
    ActorRef<SessionActor.Command> session = kit.spawn(Behaviors.receiveMessage(m -> {
      inbox.ref().tell(m);
      return Behaviors.same();
    }));
    p.ref().narrow().tell(new SessionOutput.Connected(1, new byte[16], 60_000, 0, session));
    p.client().expectMessageClass(SessionOutput.Connected.class);
    kit.stop(session);
    kit.createTestProbe().expectTerminated(p.ref());
  }

  @Test
  void aSilentClientIsLetGoAfterASessionTimeoutWhileATalkingOneIsKept() {
    Proxy silent = open(List.of());
    Proxy talking = open(List.of());
    TestProbe<SessionActor.Command> session = kit.createTestProbe();
    silent.ref().narrow().tell(new SessionOutput.Connected(1, new byte[16], 300, 0,
        session.ref()));
    talking.ref().narrow().tell(new SessionOutput.Connected(2, new byte[16], 300, 0,
        session.ref()));
    TestProbe<Object> watcher = kit.createTestProbe();
    TestProbe<Object> pace = kit.createTestProbe();
    long until = System.nanoTime() + 2_000_000_000L;
    ActorRef<SessionActor.Command> ping = talking.ref().narrow();
    // The talking client pings every 100ms (a third of its timeout), as PaddockClient does.
    while (System.nanoTime() < until) {
      ping.tell(new SessionActor.Ping());
      session.expectMessageClass(SessionActor.Ping.class);
      pace.expectNoMessage(Duration.ofMillis(100));
    }
    watcher.expectTerminated(silent.ref(), Duration.ofSeconds(5));
    ping.tell(new SessionActor.Ping());
    session.expectMessageClass(SessionActor.Ping.class);
  }
}
