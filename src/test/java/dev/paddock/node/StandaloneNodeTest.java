package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandaloneNodeTest {
  @TempDir Path dir;

  private static ActorRef<SessionActor.Command> connect(QuorumPeer.Status status,
      TestProbe<SessionOutput> door) {
    status.sessions().tell(new SessionTrackerActor.Connect(30_000, 0, null, 0, List.of(),
        door.ref()));
    SessionOutput.Connected c = door.expectMessageClass(SessionOutput.Connected.class,
        Duration.ofSeconds(10));
    return c.session();
  }

  private static Result call(TestProbe<SessionOutput> door, ActorRef<SessionActor.Command> s,
      int cxid, Op op) {
    s.tell(new SessionActor.Submit(cxid, op));
    SessionOutput.Reply r = door.expectMessageClass(SessionOutput.Reply.class,
        Duration.ofSeconds(10));
    assertEquals(cxid, r.cxid());
    return r.result();
  }

  @Test
  void writesReadsWatchesAndRestart() throws Exception {
    Config config = TestNodes.standaloneConfig(dir, Map.of());
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    try {
      ActorRef<QuorumPeer.Command> server = system;
      QuorumPeer.Status status = TestNodes.awaitServing(kit, server, Duration.ofSeconds(20));
      TestProbe<SessionOutput> door = kit.createTestProbe();
      ActorRef<SessionActor.Command> s = connect(status, door);

      Result created = call(door, s, 1, new Op.Create("/a", bytes("x"), Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT));
      assertEquals("/a", assertInstanceOf(Result.Created.class, created).path());
      Result.Data data = assertInstanceOf(Result.Data.class,
          call(door, s, 2, new Op.GetData("/a", true)));
      assertArrayEquals(bytes("x"), data.data());

      s.tell(new SessionActor.Submit(3, new Op.SetData("/a", bytes("y"), 0)));
      SessionOutput.Event ev = door.expectMessageClass(SessionOutput.Event.class);
      assertEquals(EventType.NODE_DATA_CHANGED, ev.event().type());
      SessionOutput.Reply reply = door.expectMessageClass(SessionOutput.Reply.class);
      assertEquals(1, assertInstanceOf(Result.StatOf.class, reply.result()).stat().version());

      assertEquals(Code.BAD_VERSION,
          call(door, s, 4, new Op.SetData("/a", bytes("z"), 0)).code());
      for (int i = 0; i < 50; i++) {
        s.tell(new SessionActor.Submit(10 + i, new Op.Create("/a/seq-", null,
            Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT_SEQUENTIAL)));
      }
      for (int i = 0; i < 50; i++) {
        SessionOutput.Reply r = door.expectMessageClass(SessionOutput.Reply.class);
        assertEquals(10 + i, r.cxid());
        assertEquals(String.format("/a/seq-%010d", i),
            assertInstanceOf(Result.Created.class, r.result()).path());
      }
      Result.Children kids = assertInstanceOf(Result.Children.class,
          call(door, s, 100, new Op.GetChildren("/a", false)));
      assertEquals(50, kids.children().size());
    } finally {
      kit.shutdownTestKit();
    }

    ActorSystem<QuorumPeer.Command> system2 =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit again = ActorTestKit.create(system2);
    try {
      ActorRef<QuorumPeer.Command> server = system2;
      QuorumPeer.Status status = TestNodes.awaitServing(again, server, Duration.ofSeconds(20));
      TestProbe<SessionOutput> door = again.createTestProbe();
      ActorRef<SessionActor.Command> s = connect(status, door);
      Result.Data data = assertInstanceOf(Result.Data.class,
          call(door, s, 1, new Op.GetData("/a", false)));
      assertArrayEquals(bytes("y"), data.data());
      Result.Children kids = assertInstanceOf(Result.Children.class,
          call(door, s, 2, new Op.GetChildren("/a", false)));
      assertEquals(50, kids.children().size());
    } finally {
      again.shutdownTestKit();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
