package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.tree.Acls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorNotFound;
import org.apache.pekko.actor.ActorSelection;
import org.apache.pekko.actor.Kill;
import org.apache.pekko.actor.PoisonPill;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stranger on the typed-client port: whatever it claims in its connect, its session has only
 * the identities the server verified; it cannot submit server-only ops, reach another session,
 * select any actor but the entry, or stop anything with PoisonPill or Kill; and its requested
 * timeout is clamped like any other.
 */
class TypedClientDoorTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String ADMIN = "admin:secret";

  @TempDir static Path dir;
  static TestServer server;
  static ActorTestKit kit;
  static TestClient admin;

  @BeforeAll
  static void start() {
    server = TestServer.start(dir, 0, Map.of(
        "paddock.super-digest", Acls.digestId("super:root-password")));
    kit = TestServer.clientKit();
    admin = new TestClient(kit, List.of(server.address()), Duration.ofSeconds(20));
    assertEquals(Code.OK, admin.<org.apache.pekko.Done>code(r -> new PaddockClient.AddAuth("digest", bytes(ADMIN), r)));
    admin.<Result.Created>ok(r -> new PaddockClient.Create("/secured", bytes("v"),
        List.of(new Acl(Perms.ALL, new Id(Acls.DIGEST, Acls.digestId(ADMIN)))),
        CreateMode.PERSISTENT, r));
    admin.<Result.Created>ok(r -> new PaddockClient.Create("/admin-eph", new byte[0], Acl.OPEN_ACL_UNSAFE,
        CreateMode.EPHEMERAL, r));
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    server.stop();
  }

  /** A hand-made client: its own link probe, the session ref it was given. */
  static final class Stranger {
    final TestProbe<SessionOutput> link = kit.createTestProbe();
    SessionOutput.Connected connected;
    int cxid;

    Stranger connect(int timeoutMs, long sessionId, byte[] password, List<Id> claimed) {
      entry().tell(new SessionTrackerActor.Connect(timeoutMs, sessionId, password, 0, claimed,
          link.ref()), org.apache.pekko.actor.ActorRef.noSender());
      SessionOutput first = link.receiveMessage(WAIT);
      if (first instanceof SessionOutput.Connected c) {
        connected = c;
      } else {
        link.ref().tell(first);
      }
      return this;
    }

    SessionOutput.Reply submit(Op op) {
      int id = ++cxid;
      connected.session().tell(new SessionActor.Submit(id, op));
      SessionOutput.Reply r = link.expectMessageClass(SessionOutput.Reply.class, WAIT);
      assertEquals(id, r.cxid());
      return r;
    }

    Code addAuth(String scheme, String auth) {
      connected.session().tell(new SessionActor.AddAuth(scheme, bytes(auth)));
      return link.expectMessageClass(SessionOutput.AuthReply.class, WAIT).code();
    }

    List<Id> whoAmI() {
      return ((Result.Identities) submit(new Op.WhoAmI()).result()).ids();
    }
  }

  @Test
  void identitiesClaimedInConnectAreIgnored() {
    Stranger s = new Stranger().connect(20_000, 0, null, List.of(new Id(Acls.SUPER, ""),
        new Id(Acls.DIGEST, Acls.digestId(ADMIN)), new Id("ip", "127.0.0.1")));
    assertEquals(Code.NO_AUTH, code(s.submit(new Op.GetData("/secured", false))));
    assertEquals(Code.NO_AUTH, code(s.submit(new Op.SetData("/secured", bytes("x"), -1))));
    assertEquals(List.of(), s.whoAmI(), "a session that authenticated nothing has no identity");

    assertEquals(Code.OK, s.addAuth("digest", ADMIN));
    assertEquals(List.of(new Id(Acls.DIGEST, Acls.digestId(ADMIN))), s.whoAmI());
    assertInstanceOf(Result.Data.class, s.submit(new Op.GetData("/secured", false)).result());

    // Super only through the configured super digest, as on the wire.
    assertEquals(Code.OK, s.addAuth("digest", "super:root-password"));
    assertTrue(s.whoAmI().contains(new Id(Acls.SUPER, "")), "super after its digest");
  }

  @Test
  void facadeAddAuthIsTheWayToAnIdentity() throws Exception {
    PaddockFacade zk = PaddockFacade.connect(List.of(server.address()), Duration.ofSeconds(20),
        e -> { }).toCompletableFuture().get(30, TimeUnit.SECONDS);
    try {
      assertEquals(List.of(), zk.whoAmI().toCompletableFuture().get(15, TimeUnit.SECONDS));
      CompletionException refused = assertThrows(CompletionException.class,
          () -> zk.getData("/secured", false).toCompletableFuture().join());
      assertEquals(Code.NO_AUTH, ((PaddockException) refused.getCause()).code());
      zk.addAuth("digest", bytes(ADMIN)).toCompletableFuture().get(15, TimeUnit.SECONDS);
      assertEquals("v", new String(zk.getData("/secured", false).toCompletableFuture()
          .get(15, TimeUnit.SECONDS).data(), StandardCharsets.UTF_8));
      assertFalse(zk.whoAmI().toCompletableFuture().get(15, TimeUnit.SECONDS)
          .contains(new Id(Acls.SUPER, "")));
    } finally {
      zk.close().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void serverOnlyOpsAreRefused() {
    Stranger s = new Stranger().connect(20_000, 0, null, List.of());
    assertEquals(Code.UNIMPLEMENTED,
        code(s.submit(new Op.CreateSession(Integer.MAX_VALUE))));
    assertEquals(Code.UNIMPLEMENTED, code(s.submit(new Op.Multi(List.of(
        new Op.Create("/x", new byte[0], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT),
        new Op.CloseSession())))));
    assertEquals(Code.UNIMPLEMENTED, code(s.submit(new Op.Multi(List.of(
        new Op.CreateSession(Integer.MAX_VALUE))))));
    assertEquals(Code.NO_NODE, code(s.submit(new Op.Exists("/x", false))),
        "nothing of the refused multi was applied");
    // Its session goes on as before.
    assertEquals(Code.OK, code(s.submit(new Op.Exists("/admin-eph", false))));
  }

  @Test
  void anotherSessionCannotBeClosedOrReached() {
    // Re-attaching someone else's session needs its password.
    Stranger thief = new Stranger().connect(20_000, admin.sessionId, new byte[16], List.of());
    SessionOutput.Closed closed = thief.link.expectMessageClass(SessionOutput.Closed.class, WAIT);
    assertEquals(SessionOutput.Reason.EXPIRED, closed.reason());

    Stranger s = new Stranger().connect(20_000, 0, null, List.of());
    org.apache.pekko.actor.ActorRef none = org.apache.pekko.actor.ActorRef.noSender();
    SessionActor.Submit close = new SessionActor.Submit(99, new Op.CloseSession());
    for (String path : List.of("/user/sessions/*", "/user/entry/*", "/user/*", "/user",
        "/user/entry/..", "/system/*")) {
      select(path).tell(close, none);
      select(path).tell(PoisonPill.getInstance(), none);
      select(path).tell(Kill.getInstance(), none);
    }
    select(ClientPekkoConfig.ENTRY_PATH).tell(PoisonPill.getInstance(), none);
    select(ClientPekkoConfig.ENTRY_PATH).tell(Kill.getInstance(), none);
    org.apache.pekko.actor.ActorRef ownProxy = Adapter.toClassic(s.connected.session());
    ownProxy.tell(PoisonPill.getInstance(), none);
    ownProxy.tell(Kill.getInstance(), none);

    // Sent after all of the above on the same connection, so each of them has been dealt with
    // once these are answered: the entry still opens sessions, the stranger's proxy still
    // serves, and the other session and its ephemeral are untouched.
    Stranger later = new Stranger().connect(20_000, 0, null, List.of());
    assertEquals(Code.OK, code(later.submit(new Op.Exists("/admin-eph", false))));
    assertEquals(Code.OK, code(s.submit(new Op.Exists("/admin-eph", false))));
    s.link.expectNoMessage(Duration.ZERO);
    assertEquals(Code.OK, admin.<dev.paddock.api.Stat>code(r -> new PaddockClient.Exists("/admin-eph", false, r)));
    Result eph = admin.<Result>ok(r -> new PaddockClient.Execute(new Op.GetEphemerals("/"), r));
    assertEquals(List.of("/admin-eph"), ((Result.PathList) eph).paths());

    for (String path : List.of("/user/sessions/*", "/user/*", "/user/entry/*")) {
      CompletionException e = assertThrows(CompletionException.class, () -> select(path)
          .resolveOne(Duration.ofSeconds(2)).toCompletableFuture().join(), path);
      assertInstanceOf(ActorNotFound.class, e.getCause(), path);
    }
  }

  @Test
  void requestedTimeoutIsClampedToTheMaximum() {
    Stranger s = new Stranger().connect(1_000_000_000, 0, null, List.of());
    assertEquals(Duration.parse("PT" + TestServer.MAX_SESSION_TIMEOUT).toMillis(),
        s.connected.timeoutMs());
    Stranger tiny = new Stranger().connect(1, 0, null, List.of());
    assertEquals(2 * 200, tiny.connected.timeoutMs(), "min is 2 ticks (tick-time 200ms)");
  }

  static ActorSelection entry() {
    return select(ClientPekkoConfig.ENTRY_PATH);
  }

  static ActorSelection select(String path) {
    return Adapter.toClassic(kit.system()).actorSelection("pekko://"
        + ClientPekkoConfig.CLIENT_SYSTEM + "@" + server.address() + path);
  }

  static Code code(SessionOutput.Reply r) {
    return r.result() instanceof Result.Failed f ? f.code() : Code.OK;
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
