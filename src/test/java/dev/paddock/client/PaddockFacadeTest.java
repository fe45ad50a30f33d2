package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.codec.ClientProtocolConfig;
import dev.paddock.node.PekkoConfig;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.tree.Acls;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaddockFacadeTest {
  static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
  static final Config CLIENT_SYSTEM =
      ClientProtocolConfig.withSerialization(PekkoConfig.forClient("127.0.0.1"));

  @TempDir static Path dir;
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(dir, 0, Map.of());
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private static PaddockFacade connect(BlockingQueue<WatchEvent> events) throws Exception {
    return get(PaddockFacade.connect(
        ClientSettings.of(List.of(server.address()), Duration.ofSeconds(10)), CLIENT_SYSTEM,
        events::add, state -> { }));
  }

  @Test
  void everyOperationCompletesWithItsValue() throws Exception {
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    PaddockFacade zk = connect(events);
    try {
      assertEquals("/f", get(zk.create("/f", bytes("a"), OPEN, CreateMode.PERSISTENT)));
      assertEquals("/f/s-0000000000",
          get(zk.create("/f/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL)));
      assertEquals(0, get(zk.exists("/f", false)).version());
      assertNull(get(zk.exists("/f/none", true)));
      assertArrayEquals(bytes("a"), get(zk.getData("/f", true)).data());
      assertEquals(1, get(zk.setData("/f", bytes("b"), 0)).version());
      assertEquals(new WatchEvent(EventType.NODE_DATA_CHANGED, "/f", 0), strip(next(events)));
      assertEquals(List.of("s-0000000000"), get(zk.getChildren("/f", false)));
      assertEquals(OPEN, get(zk.getAcl("/f")).acl());
      assertEquals(1, get(zk.setAcl("/f", OPEN, 0)).aversion());
      get(zk.sync("/f"));
      get(zk.addWatch("/f", WatchMode.PERSISTENT));
      get(zk.create("/f/none", null, OPEN, CreateMode.PERSISTENT));
      // exists' watch and the persistent watch: one event (a watcher hears a change once).
      assertEquals(new WatchEvent(EventType.NODE_CREATED, "/f/none", 0), strip(next(events)));
      get(zk.removeWatches("/f", WatcherType.PERSISTENT));
      get(zk.delete("/f/none", -1));
      assertEquals(new Result.Count(1),
          get(zk.execute(new Op.GetAllChildrenNumber("/f"))));

      List<Result> results = get(zk.multi(List.of(
          new Op.Create("/f/m", null, OPEN, CreateMode.PERSISTENT),
          new Op.SetData("/f", bytes("c"), 1))));
      assertEquals("/f/m", assertInstanceOf(Result.Created.class, results.get(0)).path());

      get(zk.addAuth(Acls.DIGEST, bytes("carol:pw")));
      get(zk.create("/f/carol", null, Acl.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
      assertNotNull(get(zk.getData("/f/carol", false)));
      assertTrue(zk.sessionId() != 0);
    } finally {
      get(zk.close());
    }
  }

  @Test
  void errorsCompleteExceptionallyWithTheCode() throws Exception {
    PaddockFacade zk = connect(new LinkedBlockingQueue<>());
    try {
      get(zk.create("/e", null, OPEN, CreateMode.PERSISTENT));
      assertEquals(Code.NODE_EXISTS, failure(zk.create("/e", null, OPEN,
          CreateMode.PERSISTENT)).code());
      assertEquals(Code.NO_NODE, failure(zk.getData("/e/none", false)).code());
      assertEquals(Code.BAD_VERSION, failure(zk.setData("/e", null, 9)).code());
      assertEquals(Code.NO_WATCHER, failure(zk.removeWatches("/e", WatcherType.ANY)).code());
      PaddockException multi = failure(zk.multi(List.of(
          new Op.Create("/e/a", null, OPEN, CreateMode.PERSISTENT),
          new Op.Delete("/e/none", -1))));
      assertEquals(Code.NO_NODE, multi.code());
      assertEquals(List.of(new Result.Failed(Code.OK), new Result.Failed(Code.NO_NODE)),
          multi.results());
      assertNull(get(zk.exists("/e/a", false)));
    } finally {
      get(zk.close());
    }
  }

  @Test
  void closeRemovesEphemeralsAndTheSystem() throws Exception {
    BlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    PaddockFacade owner = connect(new LinkedBlockingQueue<>());
    PaddockFacade observer = connect(events);
    try {
      get(owner.create("/eph", null, OPEN, CreateMode.EPHEMERAL));
      Stat stat = get(observer.exists("/eph", true));
      assertEquals(owner.sessionId(), stat.ephemeralOwner());
      get(owner.close());
      assertEquals(new WatchEvent(EventType.NODE_DELETED, "/eph", 0), strip(next(events)));
      assertNull(get(observer.exists("/eph", false)));
    } finally {
      get(observer.close());
    }
  }

  @Test
  void connectFailsWhenNoServerAnswers() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    CompletionStage<PaddockFacade> none = PaddockFacade.connect(
        ClientSettings.of(List.of("127.0.0.1:" + port), Duration.ofSeconds(2)), CLIENT_SYSTEM,
        e -> { }, s -> { });
    assertEquals(Code.CONNECTION_LOSS, failure(none).code());
  }

  @Test
  void theClientAddressIsTheOneThatRoutesToTheServer() {
    assertEquals("127.0.0.1", PaddockFacade.localAddressFor("127.0.0.1:2888"));
  }

  private static <T> T get(CompletionStage<T> stage) throws Exception {
    return stage.toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private static PaddockException failure(CompletionStage<?> stage) {
    ExecutionException e = assertThrows(ExecutionException.class, () -> get(stage));
    return assertInstanceOf(PaddockException.class, e.getCause());
  }

  private static WatchEvent next(BlockingQueue<WatchEvent> events) throws InterruptedException {
    WatchEvent e = events.poll(15, TimeUnit.SECONDS);
    assertNotNull(e, "no watch event");
    return e;
  }

  private static WatchEvent strip(WatchEvent e) {
    return new WatchEvent(e.type(), e.path(), 0);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
