package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.api.Code;
import dev.paddock.api.EventType;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's side of the session protocol against a scripted server: xids, pings, loss
 * detection, what a re-attach sends, queueing, and the final states.
 */
class ClientProtocolTest {
  /** Pings after 1s idle, declares the connection lost after 2s of silence. */
  static final Duration TIMEOUT = Duration.ofMillis(3000);
  static final Duration WAIT = Duration.ofSeconds(10);
  static final Stat STAT = new Stat(1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1);
  static final byte[] PASSWORD = bytes("password");

  static ActorTestKit kit;
  FakeServer server;
  TestProbe<WatchEvent> watcher;
  TestProbe<ConnectionState> states;
  ActorRef<PaddockClient.Command> client;

  @BeforeAll
  static void startClientSystem() {
    kit = TestServer.clientKit();
  }

  @AfterAll
  static void stopClientSystem() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startServer() {
    server = new FakeServer();
    watcher = kit.createTestProbe();
    states = kit.createTestProbe();
  }

  @AfterEach
  void stopServer() {
    if (client != null) {
      kit.stop(client);
    }
    server.stop();
  }

  private ActorRef<PaddockClient.Command> client(List<String> servers) {
    client = kit.spawn(PaddockClient.create(ClientSettings.of(servers, TIMEOUT), watcher.ref(),
        states.ref()));
    return client;
  }

  private SessionTrackerActor.Connect expectConnect(FakeServer s) {
    return s.tracker.expectMessageClass(SessionTrackerActor.Connect.class, WAIT);
  }

  /** Accepts a connect as session 0x77 and returns the probe that plays the session. */
  private TestProbe<SessionActor.Command> accept(FakeServer s, SessionTrackerActor.Connect c,
      long lastZxid) {
    TestProbe<SessionActor.Command> session = s.kit.createTestProbe();
    c.frontDoor().tell(new SessionOutput.Connected(0x77, PASSWORD, (int) TIMEOUT.toMillis(),
        lastZxid, session.ref()));
    ConnectionState.Connected up = states.expectMessageClass(ConnectionState.Connected.class,
        WAIT);
    assertEquals(0x77, up.sessionId());
    return session;
  }

  /** The next submit; pings may come first when the test is slow. */
  private static SessionActor.Submit expectSubmit(TestProbe<SessionActor.Command> session,
      int cxid, Op op) {
    SessionActor.Command next = session.receiveMessage(WAIT);
    while (next instanceof SessionActor.Ping) {
      next = session.receiveMessage(WAIT);
    }
    SessionActor.Submit s = assertInstanceOf(SessionActor.Submit.class, next);
    assertEquals(cxid, s.cxid());
    assertEquals(op, s.op());
    return s;
  }

  private <T> TestProbe<Reply<T>> ask(ActorRef<PaddockClient.Command> client,
      Function<ActorRef<Reply<T>>, PaddockClient.Command> make) {
    TestProbe<Reply<T>> probe = kit.createTestProbe();
    client.tell(make.apply(probe.ref()));
    return probe;
  }

  @Test
  void xidsPingsLossAndReattach() {
    ActorRef<PaddockClient.Command> client = client(List.of(server.address));
    SessionTrackerActor.Connect first = expectConnect(server);
    assertEquals(TIMEOUT.toMillis(), first.requestedTimeoutMs());
    assertEquals(0, first.sessionId());
    assertNull(first.password());
    ActorRef<SessionOutput> door = first.frontDoor();
    TestProbe<SessionActor.Command> session = accept(server, first, 0x10);

    TestProbe<Reply<Result.Data>> data = ask(client, r -> new PaddockClient.GetData("/a", true, r));
    expectSubmit(session, 1, new Op.GetData("/a", true));
    door.tell(new SessionOutput.Reply(1, 0x11, new Result.Data(bytes("v"), STAT)));
    Reply<Result.Data> got = data.receiveMessage(WAIT);
    assertEquals(Code.OK, got.code());
    assertArrayEquals(bytes("v"), got.value().data());
    assertEquals(0x11, got.zxid());

    TestProbe<Reply<Stat>> exists = ask(client, r -> new PaddockClient.Exists("/b", true, r));
    expectSubmit(session, 2, new Op.Exists("/b", true));
    door.tell(new SessionOutput.Reply(2, 0x12, Result.fail(Code.NO_NODE)));
    assertEquals(Code.NO_NODE, exists.receiveMessage(WAIT).code());

    TestProbe<Reply<Result.Children>> kids =
        ask(client, r -> new PaddockClient.GetChildren("/c", true, r));
    expectSubmit(session, 3, new Op.GetChildren("/c", true));
    door.tell(new SessionOutput.Reply(3, 0x13, new Result.Children(List.of("x"), STAT)));
    assertEquals(List.of("x"), kids.receiveMessage(WAIT).value().children());

    TestProbe<Reply<Done>> watch =
        ask(client, r -> new PaddockClient.AddWatch("/p", WatchMode.PERSISTENT, r));
    expectSubmit(session, 4, new Op.AddWatch("/p", WatchMode.PERSISTENT));
    door.tell(new SessionOutput.Reply(4, 0x14, Result.DONE));
    assertEquals(Code.OK, watch.receiveMessage(WAIT).code());

    // The data watch on /a fires and is gone; the others stay.
    WatchEvent changed = new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", 0x15);
    door.tell(new SessionOutput.Event(changed));
    assertEquals(changed, watcher.receiveMessage(WAIT));

    // Idle: the client pings; an answered ping keeps the connection.
    session.expectMessageClass(SessionActor.Ping.class, WAIT);
    door.tell(new SessionOutput.Pong(0x20));
    session.expectMessageClass(SessionActor.Ping.class, WAIT);

    TestProbe<Reply<Result.Data>> lost =
        ask(client, r -> new PaddockClient.GetData("/x", false, r));
    expectSubmit(session, 5, new Op.GetData("/x", false));
    // ...and silence now: the connection is declared lost, the request fails.
    ConnectionState.Disconnected down = states.expectMessageClass(
        ConnectionState.Disconnected.class, WAIT);
    assertEquals(server.address, down.server());
    assertEquals(Code.CONNECTION_LOSS, lost.receiveMessage(WAIT).code());

    // Same session, same password, the newest zxid seen in a reply (pongs do not count).
    SessionTrackerActor.Connect again = expectConnect(server);
    assertEquals(0x77, again.sessionId());
    assertArrayEquals(PASSWORD, again.password());
    assertEquals(0x14, again.lastZxidSeen());
    TestProbe<Reply<Done>> queued = ask(client, r -> new PaddockClient.Sync("/q", r));
    TestProbe<SessionActor.Command> session2 = accept(server, again, -1);
    expectSubmit(session2, 6, new Op.SetWatches(0x14, List.of(), List.of("/b"), List.of("/c"),
        List.of("/p"), List.of()));
    expectSubmit(session2, 7, new Op.Sync("/q"));
    again.frontDoor().tell(new SessionOutput.Reply(6, 0x14, Result.DONE));
    again.frontDoor().tell(new SessionOutput.Reply(7, 0x16, Result.DONE));
    assertEquals(Code.OK, queued.receiveMessage(WAIT).code());

    // Late messages from the abandoned connection are ignored.
    door.tell(new SessionOutput.Closed(SessionOutput.Reason.EXPIRED, "stale"));
    TestProbe<Reply<Done>> sync = ask(client, r -> new PaddockClient.Sync("/", r));
    expectSubmit(session2, 8, new Op.Sync("/"));
    again.frontDoor().tell(new SessionOutput.Reply(8, 0x17, Result.DONE));
    assertEquals(Code.OK, sync.receiveMessage(WAIT).code());
  }

  @Test
  void queuedRequestsGiveUpAfterTheSessionTimeout() {
    ActorRef<PaddockClient.Command> client = client(List.of(server.address));
    SessionTrackerActor.Connect first = expectConnect(server);
    TestProbe<Reply<Stat>> waiting = ask(client, r -> new PaddockClient.Exists("/a", false, r));
    // Refused: the client tries again (after a short pause, since its only server failed).
    first.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.UNAVAILABLE, "no"));
    SessionTrackerActor.Connect second = expectConnect(server);
    assertEquals(0, second.sessionId());
    // Unanswered: retried once the attempt times out.
    expectConnect(server);
    assertEquals(Code.CONNECTION_LOSS, waiting.receiveMessage(WAIT).code());
  }

  @Test
  void refusingServersAreSkipped() {
    FakeServer other = new FakeServer();
    try {
      client(List.of(server.address, other.address));
      expectConnect(server).frontDoor().tell(
          new SessionOutput.Closed(SessionOutput.Reason.STALE_SERVER, "behind"));
      SessionTrackerActor.Connect c = expectConnect(other);
      accept(other, c, 5);
    } finally {
      other.stop();
    }
  }

  @Test
  void credentialsAreReplayedAndRejectionIsFinal() {
    ActorRef<PaddockClient.Command> client = client(List.of(server.address));
    SessionTrackerActor.Connect first = expectConnect(server);
    TestProbe<SessionActor.Command> session = accept(server, first, 1);
    TestProbe<Reply<Done>> auth =
        ask(client, r -> new PaddockClient.AddAuth("digest", bytes("u:p"), r));
    SessionActor.AddAuth sent = session.expectMessageClass(SessionActor.AddAuth.class, WAIT);
    assertArrayEquals(bytes("u:p"), sent.auth());
    first.frontDoor().tell(new SessionOutput.AuthReply(Code.OK));
    assertEquals(Code.OK, auth.receiveMessage(WAIT).code());

    // Moved away (another connection took the session): re-attach and replay the credentials.
    first.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.MOVED, "moved"));
    states.expectMessageClass(ConnectionState.Disconnected.class, WAIT);
    SessionTrackerActor.Connect again = expectConnect(server);
    TestProbe<SessionActor.Command> session2 = accept(server, again, -1);
    assertEquals("digest", session2.expectMessageClass(SessionActor.AddAuth.class, WAIT)
        .scheme());
    again.frontDoor().tell(new SessionOutput.AuthReply(Code.OK));

    TestProbe<Reply<Done>> bad = ask(client, r -> new PaddockClient.AddAuth("nope", null, r));
    session2.expectMessageClass(SessionActor.AddAuth.class, WAIT);
    again.frontDoor().tell(new SessionOutput.AuthReply(Code.AUTH_FAILED));
    again.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.AUTH_FAILED, "no"));
    assertEquals(Code.AUTH_FAILED, bad.receiveMessage(WAIT).code());
    states.expectMessageClass(ConnectionState.AuthFailed.class, WAIT);
    TestProbe<Reply<Done>> after = ask(client, r -> new PaddockClient.Sync("/", r));
    assertEquals(Code.AUTH_FAILED, after.receiveMessage(WAIT).code());
  }

  @Test
  void expiryAndCloseAreFinal() {
    ActorRef<PaddockClient.Command> client = client(List.of(server.address));
    SessionTrackerActor.Connect first = expectConnect(server);
    TestProbe<SessionActor.Command> session = accept(server, first, 1);
    TestProbe<Reply<Done>> pending = ask(client, r -> new PaddockClient.Delete("/a", -1, r));
    expectSubmit(session, 1, new Op.Delete("/a", -1));
    first.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.EXPIRED, "gone"));
    assertEquals(0x77, states.expectMessageClass(ConnectionState.Expired.class, WAIT)
        .sessionId());
    assertEquals(Code.SESSION_EXPIRED, pending.receiveMessage(WAIT).code());
    TestProbe<Reply<Result>> later = ask(client,
        r -> new PaddockClient.Execute(new Op.WhoAmI(), r));
    Reply<Result> refused = later.receiveMessage(WAIT);
    assertEquals(Code.SESSION_EXPIRED, refused.code());
    assertInstanceOf(Result.Failed.class, refused.value());
    TestProbe<Reply<Done>> close = ask(client, PaddockClient.Close::new);
    assertEquals(Code.OK, close.receiveMessage(WAIT).code());
    server.tracker.expectNoMessage(Duration.ofMillis(300));
  }

  @Test
  void closeWaitsForTheServerThenRefusesEverything() {
    ActorRef<PaddockClient.Command> client = client(List.of(server.address));
    SessionTrackerActor.Connect first = expectConnect(server);
    TestProbe<SessionActor.Command> session = accept(server, first, 1);
    TestProbe<Reply<Done>> close = ask(client, PaddockClient.Close::new);
    expectSubmit(session, 1, new Op.CloseSession());
    TestProbe<Reply<Done>> tooLate = ask(client, r -> new PaddockClient.Sync("/", r));
    assertEquals(Code.SESSION_EXPIRED, tooLate.receiveMessage(WAIT).code());
    first.frontDoor().tell(new SessionOutput.Reply(1, 9, Result.DONE));
    first.frontDoor().tell(new SessionOutput.Closed(SessionOutput.Reason.CLOSED, "bye"));
    assertEquals(Code.OK, close.receiveMessage(WAIT).code());
    states.expectMessageClass(ConnectionState.Closed.class, WAIT);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
