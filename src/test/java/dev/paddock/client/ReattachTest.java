package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.request.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server stopped and started again on the same port and data dir: the client notices the
 * silence, re-attaches the same session, and gets its watches back; a session the restarted
 * server does not accept ends as expired.
 */
class ReattachTest {
  /** Generous: loss is noticed after ~5s, and the restarted server must still know the session. */
  static final Duration TIMEOUT = Duration.ofSeconds(8);
  static final Duration WAIT = Duration.ofSeconds(30);
  static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

  @TempDir Path dir;
  ActorTestKit kit;
  TestServer server;
  final List<TestClient> clients = new ArrayList<>();

  @BeforeEach
  void start() {
    kit = TestServer.clientKit();
    server = TestServer.start(dir, 0, Map.of());
  }

  @AfterEach
  void stop() {
    clients.forEach(TestClient::stop);
    kit.shutdownTestKit();
    server.stop();
  }

  private TestClient connect() {
    TestClient c = new TestClient(kit, List.of(server.address()), TIMEOUT);
    clients.add(c);
    return c;
  }

  private TestServer restart(Map<String, Object> overrides) {
    int port = server.port;
    server.stop();
    server = TestServer.start(dir, port, overrides);
    return server;
  }

  @Test
  void theSameSessionSurvivesARestart() {
    TestClient c = connect();
    c.<Result.Created>ok(r -> new PaddockClient.Create("/w", bytes("0"), OPEN,
        CreateMode.PERSISTENT, r));
    c.<Result.Created>ok(r -> new PaddockClient.Create("/mine", null, OPEN,
        CreateMode.EPHEMERAL, r));
    c.<Result.Data>ok(r -> new PaddockClient.GetData("/w", true, r));
    assertEquals(Code.NO_NODE, c.<Stat>code(r -> new PaddockClient.Exists("/later", true, r)));
    c.<Result.Children>ok(r -> new PaddockClient.GetChildren("/w", true, r));
    c.<Done>ok(r -> new PaddockClient.AddWatch("/p", WatchMode.PERSISTENT, r));

    server.stop();
    ConnectionState.Disconnected down =
        c.states.expectMessageClass(ConnectionState.Disconnected.class, WAIT);
    assertEquals(server.address(), down.server());
    // Issued while disconnected: waits for the re-attach.
    TestProbe<Reply<Result.Data>> queued = kit.createTestProbe();
    c.ref.tell(new PaddockClient.GetData("/w", false, queued.ref()));

    restart(Map.of());
    ConnectionState.Connected up =
        c.states.expectMessageClass(ConnectionState.Connected.class, WAIT);
    assertEquals(c.sessionId, up.sessionId());
    Reply<Result.Data> late = queued.receiveMessage(WAIT);
    assertEquals(Code.OK, late.code());
    assertArrayEquals(bytes("0"), late.value().data());

    // The ephemeral still belongs to the live session; every watch came back with setWatches.
    TestClient other = connect();
    Stat mine = other.<Stat>ok(r -> new PaddockClient.Exists("/mine", false, r));
    assertEquals(c.sessionId, mine.ephemeralOwner());
    other.<Stat>ok(r -> new PaddockClient.SetData("/w", bytes("1"), -1, r));
    other.<Result.Created>ok(r -> new PaddockClient.Create("/w/kid", null, OPEN,
        CreateMode.PERSISTENT, r));
    other.<Result.Created>ok(r -> new PaddockClient.Create("/later", null, OPEN,
        CreateMode.PERSISTENT, r));
    other.<Result.Created>ok(r -> new PaddockClient.Create("/p", null, OPEN,
        CreateMode.PERSISTENT, r));
    Set<WatchEvent> seen = new HashSet<>();
    for (int i = 0; i < 4; i++) {
      WatchEvent e = c.events.receiveMessage(WAIT);
      seen.add(new WatchEvent(e.type(), e.path(), 0));
    }
    assertEquals(Set.of(
        new WatchEvent(EventType.NODE_DATA_CHANGED, "/w", 0),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/w", 0),
        new WatchEvent(EventType.NODE_CREATED, "/later", 0),
        new WatchEvent(EventType.NODE_CREATED, "/p", 0)), seen);
    // The persistent watch is still there; the one-shot ones are spent.
    other.<Stat>ok(r -> new PaddockClient.SetData("/p", bytes("x"), -1, r));
    assertEquals(EventType.NODE_DATA_CHANGED, c.events.receiveMessage(WAIT).type());
  }

  @Test
  void aSessionTheServerNoLongerAcceptsEndsExpired() {
    TestClient c = connect();
    c.<Result.Created>ok(r -> new PaddockClient.Create("/gone", null, OPEN,
        CreateMode.EPHEMERAL, r));
    TestProbe<Reply<Done>> waiting = kit.createTestProbe();
    server.stop();
    c.states.expectMessageClass(ConnectionState.Disconnected.class, WAIT);
    c.ref.tell(new PaddockClient.Sync("/", waiting.ref()));
    // Another secret: the session's password no longer matches.
    restart(Map.of("paddock.session-secret", "another-secret"));
    ConnectionState.Expired expired =
        c.states.expectMessageClass(ConnectionState.Expired.class, WAIT);
    assertEquals(c.sessionId, expired.sessionId());
    assertEquals(Code.SESSION_EXPIRED, waiting.receiveMessage(WAIT).code());
    assertEquals(Code.SESSION_EXPIRED,
        c.<Result.Data>code(r -> new PaddockClient.GetData("/gone", false, r)));
    c.<Done>ok(PaddockClient.Close::new);
    c.states.expectNoMessage(Duration.ofMillis(200));
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
