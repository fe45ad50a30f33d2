package dev.paddock.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import dev.paddock.node.PekkoConfig;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import java.io.NotSerializableException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ClientProtocolSerializerTest {
  private static ActorTestKit kit;
  private static Serialization serialization;
  private static ActorRef<SessionOutput> door;
  private static ActorRef<SessionActor.Command> session;

  @BeforeAll
  static void start() {
    kit = ActorTestKit.create("serializer-test",
        ClientProtocolConfig.withSerialization(PekkoConfig.forClient("127.0.0.1")));
    serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    door = kit.<SessionOutput>createTestProbe().ref();
    session = kit.<SessionActor.Command>createTestProbe().ref();
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  static final Stat STAT = new Stat(1, 2, 3, 4, 5, 6, 7, 0x1234L, 9, 10, 11);
  static final List<Acl> ACL = List.of(new Acl(Perms.ALL, Id.ANYONE),
      new Acl(Perms.READ | Perms.WRITE, new Id("digest", "bob:hash=")));

  static List<Op> allOps() {
    Op.Multi inner = new Op.Multi(List.of(new Op.Check("/x", 3),
        new Op.Delete("/x/y", -1)));
    return List.of(
        new Op.Create("/a", bytes("data"), ACL, CreateMode.PERSISTENT),
        new Op.Create("/a", new byte[0], ACL, CreateMode.EPHEMERAL_SEQUENTIAL),
        new Op.Create("/a", null, null, null),
        new Op.Create("/t", bytes("ttl"), ACL, CreateMode.PERSISTENT_WITH_TTL, 5000),
        new Op.Create("/n", null, List.of(new Acl(Perms.READ, null)), CreateMode.CONTAINER),
        new Op.Delete("/a", 7),
        new Op.SetData("/a", bytes("x"), -1),
        new Op.SetData("/a", null, 2),
        new Op.SetData("/a", new byte[0], 2),
        new Op.SetAcl("/a", ACL, 1),
        new Op.Check("/a", 4),
        new Op.Multi(List.of()),
        new Op.Multi(List.of(new Op.Create("/m", bytes("1"), ACL, CreateMode.PERSISTENT),
            new Op.SetData("/m", null, 0), inner, new Op.SetAcl("/m", ACL, 0))),
        new Op.DeleteContainer("/c"),
        new Op.CreateSession(30_000),
        new Op.CloseSession(),
        new Op.Sync("/"),
        new Op.GetData("/a", true),
        new Op.Exists("/a", false),
        new Op.GetChildren("/a", true),
        new Op.GetAcl("/a"),
        new Op.GetAllChildrenNumber("/"),
        new Op.GetEphemerals("/"),
        new Op.MultiRead(List.of(new Op.GetData("/a", false), new Op.GetChildren("/b", true))),
        new Op.AddWatch("/a", WatchMode.PERSISTENT),
        new Op.AddWatch("/a", WatchMode.PERSISTENT_RECURSIVE),
        new Op.AddWatch("/a", null),
        new Op.RemoveWatches("/a", WatcherType.ANY),
        new Op.RemoveWatches("/a", null),
        new Op.CheckWatches("/a", WatcherType.PERSISTENT_RECURSIVE),
        new Op.SetWatches(0x500000001L, List.of("/d"), List.of("/e1", "/e2"), List.of(),
            List.of("/p"), List.of("/r")),
        new Op.SetWatches(-1, null, null, null, null, null),
        new Op.WhoAmI(),
        new Op.Exists(null, true));
  }

  static List<Result> allResults() {
    List<Result> failedMulti = List.of(new Result.Failed(Code.OK),
        new Result.Failed(Code.BAD_VERSION), new Result.Failed(Code.RUNTIME_INCONSISTENCY));
    return List.of(
        new Result.Failed(Code.NO_NODE),
        new Result.Failed(Code.THROTTLED_OP),
        Result.DONE,
        new Result.Created("/a/seq-0000000001", STAT),
        new Result.StatOf(STAT),
        new Result.StatOf(null),
        new Result.Data(bytes("v"), STAT),
        new Result.Data(null, STAT),
        new Result.Data(new byte[0], STAT),
        new Result.Children(List.of("a", "b", "c"), STAT),
        new Result.Children(List.of(), STAT),
        new Result.AclOf(ACL, STAT),
        new Result.Count(42),
        new Result.PathList(List.of("/e1", "/e2")),
        new Result.Identities(List.of(new Id("ip", "127.0.0.1"), new Id("digest", "bob"))),
        new Result.Multi(Code.OK, List.of(new Result.Created("/m", STAT), new Result.StatOf(STAT),
            Result.DONE, new Result.Multi(Code.OK, List.of(Result.DONE)))),
        new Result.Multi(Code.BAD_VERSION, failedMulti),
        new Result.Multi(Code.OK, List.of(new Result.Data(bytes("r"), STAT),
            new Result.Failed(Code.NO_NODE))));
  }

  static List<Object> allMessages() {
    List<Object> out = new ArrayList<>();
    out.add(new SessionTrackerActor.Connect(30_000, 0, null, 0, List.of(), door));
    out.add(new SessionTrackerActor.Connect(4000, 0x1000000abcL, bytes("password-bytes"),
        0x300000010L, List.of(new Id("ip", "10.0.0.1")), door));
    out.add(new SessionTrackerActor.Connect(4000, 7, new byte[0], 1, List.of(), door));
    int cxid = 1;
    for (Op op : allOps()) {
      out.add(new SessionActor.Submit(cxid++, op));
    }
    out.add(new SessionActor.Submit(Integer.MAX_VALUE, new Op.Sync("/")));
    out.add(new SessionActor.Ping());
    out.add(new SessionActor.AddAuth("digest", bytes("bob:secret")));
    out.add(new SessionActor.AddAuth("digest", null));
    out.add(new SessionOutput.Connected(0x1000000abcL, bytes("pw"), 4000, 0x200000003L,
        session));
    out.add(new SessionOutput.Connected(1, null, 1, -1, session));
    for (Result r : allResults()) {
      out.add(new SessionOutput.Reply(cxid++, 0x100000000L + cxid, r));
    }
    for (EventType t : EventType.values()) {
      out.add(new SessionOutput.Event(new WatchEvent(t, "/w/" + t, t.value() * 10L)));
    }
    out.add(new SessionOutput.Event(new WatchEvent(EventType.NONE, null, -1)));
    out.add(new SessionOutput.Pong(0x500000001L));
    out.add(new SessionOutput.AuthReply(Code.OK));
    out.add(new SessionOutput.AuthReply(Code.AUTH_FAILED));
    for (SessionOutput.Reason reason : SessionOutput.Reason.values()) {
      out.add(new SessionOutput.Closed(reason, "because " + reason));
    }
    out.add(new SessionOutput.Closed(SessionOutput.Reason.CLOSED, null));
    return out;
  }

  @Test
  void everyMessageRoundTripsThroughTheBoundSerializer() throws Exception {
    for (Object message : allMessages()) {
      Serializer s = serialization.findSerializerFor(message);
      assertEquals(ClientProtocolSerializer.ID, s.identifier(), "binding for " + message);
      String manifest = ((SerializerWithStringManifest) s).manifest(message);
      byte[] bytes = s.toBinary(message);
      Object back = serialization.deserialize(bytes, s.identifier(), manifest).get();
      assertDeepEquals(message, back, message.getClass().getSimpleName());
    }
  }

  @Test
  void nullAndEmptyBytesStayDistinct() throws Exception {
    SessionActor.Submit nulls = roundTrip(new SessionActor.Submit(1,
        new Op.SetData("/a", null, 0)));
    assertNull(((Op.SetData) nulls.op()).data());
    SessionActor.Submit empty = roundTrip(new SessionActor.Submit(1,
        new Op.SetData("/a", new byte[0], 0)));
    assertArrayEquals(new byte[0], ((Op.SetData) empty.op()).data());
    SessionOutput.Reply data = roundTrip(new SessionOutput.Reply(1, 1,
        new Result.Data(null, STAT)));
    assertNull(((Result.Data) data.result()).data());
  }

  @Test
  void actorRefsResolveToTheSameActor() throws Exception {
    SessionTrackerActor.Connect c = roundTrip(
        new SessionTrackerActor.Connect(1, 0, null, 0, List.of(), door));
    assertEquals(door, c.frontDoor());
    SessionOutput.Connected ok = roundTrip(new SessionOutput.Connected(1, null, 1, 1, session));
    assertEquals(session, ok.session());
  }

  @Test
  void serverInternalCommandsAreNotClaimed() {
    ClientProtocolSerializer s = serializer();
    assertThrows(IllegalArgumentException.class, () -> s.manifest(
        new SessionActor.Supersede(SessionOutput.Reason.MOVED, "x")));
    assertThrows(IllegalArgumentException.class, () -> s.toBinary(
        new SessionTrackerActor.Touch(1)));
  }

  @Test
  void everyTruncationIsRejectedAsNotSerializable() {
    ClientProtocolSerializer s = serializer();
    for (Object message : allMessages()) {
      byte[] bytes = s.toBinary(message);
      String manifest = s.manifest(message);
      for (int len = 0; len < bytes.length; len++) {
        byte[] cut = Arrays.copyOf(bytes, len);
        assertThrows(NotSerializableException.class, () -> s.fromBinary(cut, manifest),
            message + " cut to " + len);
      }
    }
  }

  @Test
  void unknownManifestIsRejected() {
    assertThrows(NotSerializableException.class, () -> serializer().fromBinary(new byte[0], "Z"));
  }

  private static ClientProtocolSerializer serializer() {
    return (ClientProtocolSerializer) serialization.serializerByIdentity()
        .apply(ClientProtocolSerializer.ID);
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T message) throws Exception {
    ClientProtocolSerializer s = serializer();
    return (T) s.fromBinary(s.toBinary(message), s.manifest(message));
  }

  /** Records compared field by field; byte arrays by content, lists element by element. */
  static void assertDeepEquals(Object expected, Object actual, String where) throws Exception {
    if (expected == null || actual == null) {
      assertEquals(expected, actual, where);
    } else if (expected instanceof byte[] e) {
      assertArrayEquals(e, assertInstanceOf(byte[].class, actual, where), where);
    } else if (expected instanceof List<?> e) {
      List<?> a = assertInstanceOf(List.class, actual, where);
      assertEquals(e.size(), a.size(), where + " size");
      for (int i = 0; i < e.size(); i++) {
        assertDeepEquals(e.get(i), a.get(i), where + "[" + i + "]");
      }
    } else if (expected.getClass().isRecord()) {
      assertEquals(expected.getClass(), actual.getClass(), where);
      for (RecordComponent c : expected.getClass().getRecordComponents()) {
        assertDeepEquals(c.getAccessor().invoke(expected), c.getAccessor().invoke(actual),
            where + "." + c.getName());
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
