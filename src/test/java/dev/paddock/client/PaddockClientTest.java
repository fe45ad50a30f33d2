package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.tree.Acls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every typed command against a real standalone server, over remoting. */
class PaddockClientTest {
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

  @TempDir static Path dir;
  static TestServer server;
  static ActorTestKit kit;
  final List<TestClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    server = TestServer.start(dir, 0, Map.of());
    kit = TestServer.clientKit();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
    server.stop();
  }

  @AfterEach
  void stopClients() {
    clients.forEach(TestClient::stop);
  }

  private TestClient connect() {
    TestClient c = new TestClient(kit, List.of(server.address()), TIMEOUT);
    clients.add(c);
    return c;
  }

  @Test
  void everyCommandAnswersWithItsValue() {
    TestClient c = connect();
    Result.Created created = c.<Result.Created>ok(
        r -> new PaddockClient.Create("/all", bytes("a"), OPEN,
        CreateMode.PERSISTENT, r));
    assertEquals("/all", created.path());
    assertEquals(0, created.stat().version());

    Stat stat = c.<Stat>ok(r -> new PaddockClient.Exists("/all", false, r));
    assertEquals(created.stat(), stat);
    Result.Data data = c.<Result.Data>ok(r -> new PaddockClient.GetData("/all", false, r));
    assertArrayEquals(bytes("a"), data.data());
    Stat set = c.<Stat>ok(r -> new PaddockClient.SetData("/all", bytes("b"), 0, r));
    assertEquals(1, set.version());

    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/all/kid", null, OPEN, CreateMode.PERSISTENT, r));
    Result.Children kids = c.<Result.Children>ok(
        r -> new PaddockClient.GetChildren("/all", false, r));
    assertEquals(List.of("kid"), kids.children());
    assertEquals(1, kids.stat().numChildren());
    assertNull(c.<Result.Data>ok(r -> new PaddockClient.GetData("/all/kid", false, r)).data());

    Result.AclOf acl = c.<Result.AclOf>ok(r -> new PaddockClient.GetAcl("/all/kid", r));
    assertEquals(OPEN, acl.acl());
    Stat aclSet = c.<Stat>ok(r -> new PaddockClient.SetAcl("/all/kid", Acl.READ_ACL_UNSAFE, 0, r));
    assertEquals(1, aclSet.aversion());
    assertEquals(Code.NO_AUTH,
        c.<Stat>code(r -> new PaddockClient.SetData("/all/kid", bytes("x"), -1, r)));

    c.<Done>ok(r -> new PaddockClient.Sync("/all", r));
    Result count = c.<Result>ok(
        r -> new PaddockClient.Execute(new Op.GetAllChildrenNumber("/all"), r));
    assertEquals(new Result.Count(1), count);
    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/all/eph", null, OPEN, CreateMode.EPHEMERAL, r));
    Result ephemerals = c.<Result>ok(
        r -> new PaddockClient.Execute(new Op.GetEphemerals("/all"), r));
    assertEquals(new Result.PathList(List.of("/all/eph")), ephemerals);
    Result whoAmI = c.<Result>ok(r -> new PaddockClient.Execute(new Op.WhoAmI(), r));
    assertInstanceOf(Result.Identities.class, whoAmI);

    c.<Done>ok(r -> new PaddockClient.Delete("/all/eph", 0, r));
    assertEquals(Code.NO_NODE, c.<Stat>code(r -> new PaddockClient.Exists("/all/eph", false, r)));
  }

  @Test
  void errorsComeBackAsCodes() {
    TestClient c = connect();
    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/err", null, OPEN, CreateMode.PERSISTENT, r));
    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/err/kid", null, OPEN, CreateMode.PERSISTENT, r));
    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/err/e", null, OPEN, CreateMode.EPHEMERAL, r));
    assertEquals(Code.NODE_EXISTS, c.<Result.Created>code(
        r -> new PaddockClient.Create("/err", null, OPEN,
        CreateMode.PERSISTENT, r)));
    assertEquals(Code.NO_NODE, c.<Result.Created>code(
        r -> new PaddockClient.Create("/nope/x", null, OPEN,
        CreateMode.PERSISTENT, r)));
    assertEquals(Code.NO_CHILDREN_FOR_EPHEMERALS, c.<Result.Created>code(
        r -> new PaddockClient.Create(
        "/err/e/x", null, OPEN, CreateMode.PERSISTENT, r)));
    assertEquals(Code.INVALID_ACL, c.<Result.Created>code(
        r -> new PaddockClient.Create("/err/acl", null,
        List.of(), CreateMode.PERSISTENT, r)));
    assertEquals(Code.BAD_ARGUMENTS, c.<Result.Created>code(
        r -> new PaddockClient.Create("no-slash", null,
        OPEN, CreateMode.PERSISTENT, r)));
    assertEquals(Code.NO_NODE, c.<Done>code(r -> new PaddockClient.Delete("/nope", -1, r)));
    assertEquals(Code.NOT_EMPTY, c.<Done>code(r -> new PaddockClient.Delete("/err", -1, r)));
    assertEquals(Code.BAD_VERSION, c.<Done>code(r -> new PaddockClient.Delete("/err/kid", 5, r)));
    assertEquals(Code.BAD_VERSION,
        c.<Stat>code(r -> new PaddockClient.SetData("/err", bytes("x"), 3, r)));
    assertEquals(Code.NO_NODE, c.<Result.Data>code(
        r -> new PaddockClient.GetData("/nope", true, r)));
    assertEquals(Code.NO_NODE, c.<Result.Children>code(
        r -> new PaddockClient.GetChildren("/nope", false, r)));
    assertEquals(Code.NO_NODE, c.<Result.AclOf>code(r -> new PaddockClient.GetAcl("/nope", r)));
    assertEquals(Code.NO_WATCHER,
        c.<Done>code(r -> new PaddockClient.RemoveWatches("/err", WatcherType.DATA, r)));
    Reply<Result> check = c.<Result>call(r -> new PaddockClient.Execute(
        new Op.CheckWatches("/err", WatcherType.ANY), r));
    assertEquals(Code.NO_WATCHER, check.code());
    assertEquals(new Result.Failed(Code.NO_WATCHER), check.value());
    // Requests that cannot even be built are refused locally.
    assertEquals(Code.BAD_ARGUMENTS, c.<List<Result>>code(r -> new PaddockClient.Multi(null, r)));
  }

  @Test
  void watchesAreDelivered() {
    TestClient c = connect();
    TestClient other = connect();
    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/w", bytes("0"), OPEN, CreateMode.PERSISTENT, r));
    c.<Result.Data>ok(r -> new PaddockClient.GetData("/w", true, r));
    assertEquals(Code.NO_NODE, c.<Stat>code(r -> new PaddockClient.Exists("/w/new", true, r)));
    c.<Result.Children>ok(r -> new PaddockClient.GetChildren("/w", true, r));

    other.<Stat>ok(r -> new PaddockClient.SetData("/w", bytes("1"), -1, r));
    assertEquals(event(EventType.NODE_DATA_CHANGED, "/w"), strip(c.events.receiveMessage()));
    other.<Result.Created>ok(
        r -> new PaddockClient.Create("/w/new", null, OPEN, CreateMode.PERSISTENT, r));
    List<WatchEvent> two = List.of(strip(c.events.receiveMessage()),
        strip(c.events.receiveMessage()));
    assertTrue(two.contains(event(EventType.NODE_CREATED, "/w/new")), two.toString());
    assertTrue(two.contains(event(EventType.NODE_CHILDREN_CHANGED, "/w")), two.toString());

    // One-shot watches are spent: another change fires nothing (events precede later replies).
    other.<Stat>ok(r -> new PaddockClient.SetData("/w", bytes("2"), -1, r));
    c.<Done>ok(r -> new PaddockClient.Sync("/w", r));
    c.<Result.Data>ok(r -> new PaddockClient.GetData("/w", false, r));
    c.events.expectNoMessage(Duration.ofMillis(100));

    c.<Done>ok(r -> new PaddockClient.AddWatch("/w", WatchMode.PERSISTENT_RECURSIVE, r));
    c.<Result>ok(r -> new PaddockClient.Execute(
        new Op.CheckWatches("/w", WatcherType.PERSISTENT_RECURSIVE), r));
    other.<Stat>ok(r -> new PaddockClient.SetData("/w/new", bytes("x"), -1, r));
    other.<Done>ok(r -> new PaddockClient.Delete("/w/new", -1, r));
    assertEquals(event(EventType.NODE_DATA_CHANGED, "/w/new"), strip(c.events.receiveMessage()));
    assertEquals(event(EventType.NODE_DELETED, "/w/new"), strip(c.events.receiveMessage()));
    c.<Done>ok(r -> new PaddockClient.RemoveWatches("/w", WatcherType.PERSISTENT_RECURSIVE, r));
    other.<Result.Created>ok(
        r -> new PaddockClient.Create("/w/again", null, OPEN, CreateMode.PERSISTENT, r));
    c.<Done>ok(r -> new PaddockClient.Sync("/w", r));
    c.<Result.Children>ok(r -> new PaddockClient.GetChildren("/w", false, r));
    c.events.expectNoMessage(Duration.ofMillis(100));
  }

  @Test
  void sequentialNamesIncrease() {
    TestClient c = connect();
    c.<Result.Created>ok(
        r -> new PaddockClient.Create("/seq", null, OPEN, CreateMode.PERSISTENT, r));
    for (int i = 0; i < 3; i++) {
      Result.Created made = c.<Result.Created>ok(
          r -> new PaddockClient.Create("/seq/n-", null, OPEN,
          CreateMode.PERSISTENT_SEQUENTIAL, r));
      assertEquals(String.format("/seq/n-%010d", i), made.path());
    }
  }

  @Test
  void ephemeralsGoWhenTheSessionCloses() {
    TestClient owner = connect();
    TestClient observer = connect();
    owner.<Result.Created>ok(
        r -> new PaddockClient.Create("/eph", null, OPEN, CreateMode.EPHEMERAL, r));
    Stat stat = observer.<Stat>ok(r -> new PaddockClient.Exists("/eph", true, r));
    assertEquals(owner.sessionId, stat.ephemeralOwner());

    owner.<Done>ok(PaddockClient.Close::new);
    assertEquals(owner.sessionId,
        owner.states.expectMessageClass(ConnectionState.Closed.class).sessionId());
    assertEquals(event(EventType.NODE_DELETED, "/eph"), strip(observer.events.receiveMessage()));
    assertEquals(Code.NO_NODE, observer.<Stat>code(
        r -> new PaddockClient.Exists("/eph", false, r)));
    assertEquals(Code.SESSION_EXPIRED, owner.<Done>code(r -> new PaddockClient.Sync("/", r)));
    owner.<Done>ok(PaddockClient.Close::new);
  }

  @Test
  void multiSucceedsOrFailsAsAWhole() {
    TestClient c = connect();
    List<Result> ok = c.<List<Result>>ok(r -> new PaddockClient.Multi(List.of(
        new Op.Create("/m", bytes("m"), OPEN, CreateMode.PERSISTENT),
        new Op.Create("/m/a", null, OPEN, CreateMode.PERSISTENT),
        new Op.SetData("/m", bytes("n"), 0),
        new Op.Check("/m", 1)), r));
    assertEquals(4, ok.size());
    assertEquals("/m/a", assertInstanceOf(Result.Created.class, ok.get(1)).path());
    assertEquals(1, assertInstanceOf(Result.StatOf.class, ok.get(2)).stat().version());
    assertEquals(Result.DONE, ok.get(3));

    Reply<List<Result>> failed = c.<List<Result>>call(r -> new PaddockClient.Multi(List.of(
        new Op.Create("/m/b", null, OPEN, CreateMode.PERSISTENT),
        new Op.SetData("/m", bytes("x"), 0),
        new Op.Delete("/m/a", -1)), r));
    assertEquals(Code.BAD_VERSION, failed.code());
    assertEquals(List.of(new Result.Failed(Code.OK), new Result.Failed(Code.BAD_VERSION),
        new Result.Failed(Code.RUNTIME_INCONSISTENCY)), failed.value());
    assertEquals(Code.NO_NODE, c.<Stat>code(r -> new PaddockClient.Exists("/m/b", false, r)));
    c.<Stat>ok(r -> new PaddockClient.Exists("/m/a", false, r));
  }

  @Test
  void digestAuthGuardsAcls() {
    TestClient alice = connect();
    TestClient bob = connect();
    alice.<Done>ok(r -> new PaddockClient.AddAuth(Acls.DIGEST, bytes("alice:secret"), r));
    alice.<Result.Created>ok(
        r -> new PaddockClient.Create("/secure", bytes("s"), Acl.CREATOR_ALL_ACL,
        CreateMode.PERSISTENT, r));
    Result.AclOf acl = alice.<Result.AclOf>ok(r -> new PaddockClient.GetAcl("/secure", r));
    assertEquals(List.of(new Acl(Perms.ALL, new Id(Acls.DIGEST,
        Acls.digestId("alice:secret")))), acl.acl());
    assertEquals(Code.INVALID_ACL, bob.<Result.Created>code(r -> new PaddockClient.Create("/b",
        null, Acl.CREATOR_ALL_ACL, CreateMode.PERSISTENT, r)));

    assertEquals(Code.NO_AUTH, bob.<Result.Data>code(
        r -> new PaddockClient.GetData("/secure", false, r)));
    bob.<Done>ok(r -> new PaddockClient.AddAuth(Acls.DIGEST, bytes("alice:wrong"), r));
    assertEquals(Code.NO_AUTH, bob.<Result.Data>code(
        r -> new PaddockClient.GetData("/secure", false, r)));
    bob.<Done>ok(r -> new PaddockClient.AddAuth(Acls.DIGEST, bytes("alice:secret"), r));
    assertArrayEquals(bytes("s"),
        bob.<Result.Data>ok(r -> new PaddockClient.GetData("/secure", false, r)).data());

    TestClient mallory = connect();
    assertEquals(Code.AUTH_FAILED,
        mallory.<Done>code(r -> new PaddockClient.AddAuth("kerberos", bytes("x"), r)));
    mallory.states.expectMessageClass(ConnectionState.AuthFailed.class);
    assertEquals(Code.AUTH_FAILED, mallory.<Done>code(r -> new PaddockClient.Sync("/", r)));
  }

  private static WatchEvent event(EventType type, String path) {
    return new WatchEvent(type, path, 0);
  }

  /** Zxids of events differ run to run; the tests compare type and path. */
  private static WatchEvent strip(WatchEvent e) {
    return new WatchEvent(e.type(), e.path(), 0);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
