package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.request.WritePath;
import dev.paddock.request.WriteRequest;
import dev.paddock.tree.Acls;
import dev.paddock.tree.ApplyResult;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeView;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One session against hand-played collaborators. The tree, the write path and the front door
 * are one probe, so the probe sees everything the session sends to any of them in the order it
 * was sent: "the read went out only after the reply" is then a plain ordering assertion.
 */
class SessionActorTest {
  private static final ActorTestKit kit = ActorTestKit.create("SessionActorTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));

  private static final long ID = 0x0300_0000_0000_0042L;
  private static final byte[] PASSWORD = "0123456789abcdef".getBytes(StandardCharsets.UTF_8);
  private static final int TIMEOUT = 30_000;
  private static final Id IP_ID = new Id("ip", "10.0.0.7");
  private static final String SUPER = Acls.digestId("super:hunter2");

  private TestProbe<Object> wire;
  private TestProbe<SessionTrackerActor.Command> tracker;
  private TreeView view;
  private long zxid;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void probes() {
    wire = kit.createTestProbe();
    tracker = kit.createTestProbe();
    view = new TreeView(new DataTree().snapshot());
    zxid = Zxid.of(4, 100);
  }

  private SessionActor.Context env() {
    return new SessionActor.Context(wire.ref().unsafeUpcast(), wire.ref().unsafeUpcast(),
        tracker.ref(), view, SUPER, 3_600_000);
  }

  private ActorRef<SessionActor.Command> spawn(boolean isNew, ActorRef<SessionOutput> door) {
    return kit.spawn(SessionActor.create(ID, PASSWORD, TIMEOUT, isNew, door, List.of(IP_ID),
        env()));
  }

  /** A re-attached session: open at once. */
  private ActorRef<SessionActor.Command> open() {
    ActorRef<SessionActor.Command> s = spawn(false, wire.ref().unsafeUpcast());
    assertEquals(new DataTreeActor.Attach(ID, s), wire.receiveMessage());
    SessionOutput.Connected c = next(SessionOutput.Connected.class);
    assertEquals(ID, c.sessionId());
    assertEquals(-1, c.lastZxid());
    assertEquals(s, c.session());
    return s;
  }

  private <T> T next(Class<T> type) {
    return wire.expectMessageClass(type);
  }

  private WriteRequest nextWrite(int cxid) {
    WriteRequest r = next(WritePath.SubmitWrite.class).request();
    assertEquals(ID, r.sessionId());
    assertEquals(cxid, r.cxid());
    return r;
  }

  private DataTreeActor.Read nextRead(int cxid) {
    return nextRead(cxid, 0);
  }

  /** The next read, which the tree is to run after {@code afterOrdered} writes and syncs. */
  private DataTreeActor.Read nextRead(int cxid, long afterOrdered) {
    DataTreeActor.Read r = next(DataTreeActor.Read.class);
    assertEquals(ID, r.sessionId());
    assertEquals(cxid, r.cxid());
    assertEquals(afterOrdered, r.afterOrdered());
    return r;
  }

  private void expectReply(int cxid, long atZxid, Result result) {
    assertEquals(new SessionOutput.Reply(cxid, atZxid, result), wire.receiveMessage());
  }

  /** Makes the session prove it handled everything sent so far: the pong comes after it. */
  private void barrier(ActorRef<SessionActor.Command> s) {
    s.tell(new SessionActor.Ping());
    assertEquals(new SessionOutput.Pong(0), wire.receiveMessage());
  }

  private SessionActor.Committed committed(int cxid, Txn txn, ApplyResult result) {
    zxid++;
    return new SessionActor.Committed(new TxnEntry(zxid, ID, cxid, 0, txn), result, zxid);
  }

  private static SessionActor.Committed committedElsewhere(long atZxid, int cxid, Txn txn) {
    return new SessionActor.Committed(new TxnEntry(atZxid, ID, cxid, 0, txn),
        ApplyResult.of(Code.OK), atZxid);
  }

  private static Op.SetData setData(String path) {
    return new Op.SetData(path, new byte[] {1}, -1);
  }

  private static final Stat STAT = new Stat(1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11);

  @Test
  void aNewSessionIsConnectedOnceItsCreateCommits() {
    ActorRef<SessionActor.Command> s = spawn(true, wire.ref().unsafeUpcast());
    assertEquals(new DataTreeActor.Attach(ID, s), wire.receiveMessage());
    WriteRequest create = next(WritePath.SubmitWrite.class).request();
    assertEquals(new WriteRequest(ID, 0, new Op.CreateSession(TIMEOUT), List.of()), create);
    tracker.expectNoMessage(Duration.ofMillis(50));

    SessionActor.Committed c = committed(0, new Txn.CreateSession(TIMEOUT),
        ApplyResult.of(Code.OK));
    s.tell(c);
    SessionOutput.Connected connected = next(SessionOutput.Connected.class);
    assertEquals(ID, connected.sessionId());
    assertArrayEquals(PASSWORD, connected.password());
    assertEquals(TIMEOUT, connected.timeoutMs());
    assertEquals(c.zxid(), connected.lastZxid());
    assertEquals(s, connected.session());
    assertEquals(new SessionTrackerActor.Touch(ID), tracker.receiveMessage());
  }

  @Test
  void writesAreForwardedAtOnce() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, new Op.Create("/a", null, Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT)));
    s.tell(new SessionActor.Submit(2, setData("/a")));
    s.tell(new SessionActor.Submit(3, new Op.Sync("/")));
    WriteRequest first = nextWrite(1);
    assertEquals(List.of(IP_ID), first.authIds());
    nextWrite(2);
    assertEquals(new WritePath.SubmitSync(ID, 3), wire.receiveMessage());

    s.tell(committed(1, new Txn.Create("/a", null, Acl.OPEN_ACL_UNSAFE, 0, 1),
        ApplyResult.ok("/a", STAT)));
    s.tell(committed(2, new Txn.Error(Code.BAD_VERSION), ApplyResult.of(Code.BAD_VERSION)));
    s.tell(new SessionActor.Synced(3, zxid));
    expectReply(1, zxid - 1, new Result.Created("/a", STAT));
    expectReply(2, zxid, Result.fail(Code.BAD_VERSION));
    expectReply(3, zxid, Result.DONE);
  }

  @Test
  void aReadGoesAtOnceNamingTheWritesBeforeItAndDoesNotHoldBackTheWritesBehindIt() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, setData("/a")));
    s.tell(new SessionActor.Submit(2, new Op.GetData("/a", false)));
    s.tell(new SessionActor.Submit(3, new Op.Delete("/b", -1)));
    nextWrite(1);
    DataTreeActor.Read read = nextRead(2, 1);
    assertEquals(new Op.GetData("/a", false), read.op());
    assertEquals(s, read.session());
    nextWrite(3);

    s.tell(committed(1, new Txn.SetData("/a", new byte[] {1}, 1), ApplyResult.ok("/a", STAT)));
    expectReply(1, zxid, new Result.StatOf(STAT));
    Result data = new Result.Data(new byte[] {1}, STAT);
    s.tell(new SessionActor.ReadDone(2, zxid, data));
    expectReply(2, zxid, data);
    s.tell(committed(3, new Txn.Delete("/b"), ApplyResult.of(Code.OK)));
    expectReply(3, zxid, Result.DONE);
  }

  @Test
  void aReadAfterASyncCountsIt() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, new Op.Sync("/")));
    s.tell(new SessionActor.Submit(2, new Op.Exists("/a", true)));
    assertEquals(new WritePath.SubmitSync(ID, 1), wire.receiveMessage());
    nextRead(2, 1);
    s.tell(new SessionActor.Synced(1, 77));
    expectReply(1, 77, Result.DONE);
  }

  @Test
  void aWriteWaitsForAnEarlierSyncAndReadsDoNot() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, new Op.Sync("/")));
    s.tell(new SessionActor.Submit(2, new Op.Exists("/a", false)));
    s.tell(new SessionActor.Submit(3, setData("/a")));
    s.tell(new SessionActor.Submit(4, new Op.GetData("/a", false)));
    assertEquals(new WritePath.SubmitSync(ID, 1), wire.receiveMessage());
    nextRead(2, 1);
    barrier(s);
    s.tell(new SessionActor.Synced(1, 77));
    expectReply(1, 77, Result.DONE);
    nextWrite(3);
    nextRead(4, 2);
  }

  @Test
  void readsWithNothingBeforeThemGoAtOnceAndRepliesKeepSubmissionOrder() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, new Op.GetData("/a", true)));
    s.tell(new SessionActor.Submit(2, new Op.GetChildren("/", false)));
    nextRead(1);
    nextRead(2);
    s.tell(new SessionActor.Submit(3, setData("/a")));
    nextWrite(3);
    s.tell(new SessionActor.ReadDone(1, 5, Result.fail(Code.NO_NODE)));
    s.tell(new SessionActor.ReadDone(2, 5, new Result.Children(List.of("zookeeper"), STAT)));
    s.tell(committed(3, new Txn.Error(Code.NO_NODE), ApplyResult.of(Code.NO_NODE)));
    expectReply(1, 5, Result.fail(Code.NO_NODE));
    expectReply(2, 5, new Result.Children(List.of("zookeeper"), STAT));
    expectReply(3, zxid, Result.fail(Code.NO_NODE));
  }

  @Test
  void aReplyOutOfOrderEndsTheSession() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, new Op.GetData("/a", false)));
    s.tell(new SessionActor.Submit(2, new Op.GetData("/b", false)));
    nextRead(1);
    nextRead(2);
    s.tell(new SessionActor.ReadDone(2, 5, Result.fail(Code.NO_NODE)));
    assertEquals(SessionOutput.Reason.UNAVAILABLE, next(SessionOutput.Closed.class).reason());
    wire.expectTerminated(s);
  }

  @Test
  void watchEventsPassThroughInOrderWithReplies() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, new Op.GetData("/a", true)));
    nextRead(1);
    WatchEvent changed = new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", 12);
    WatchEvent created = new WatchEvent(EventType.NODE_CREATED, "/b", 13);
    s.tell(new SessionActor.Notify(changed));
    s.tell(new SessionActor.ReadDone(1, 13, Result.fail(Code.NO_NODE)));
    s.tell(new SessionActor.Notify(created));
    assertEquals(new SessionOutput.Event(changed), wire.receiveMessage());
    expectReply(1, 13, Result.fail(Code.NO_NODE));
    assertEquals(new SessionOutput.Event(created), wire.receiveMessage());
  }

  @Test
  void itsOwnCloseSessionEndsItAsClosed() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, setData("/a")));
    s.tell(new SessionActor.Submit(2, new Op.CloseSession()));
    nextWrite(1);
    assertEquals(new Op.CloseSession(), nextWrite(2).op());
    s.tell(committed(1, new Txn.SetData("/a", new byte[] {1}, 1), ApplyResult.ok("/a", STAT)));
    s.tell(committed(2, new Txn.CloseSession(), ApplyResult.of(Code.OK)));
    expectReply(1, zxid - 1, new Result.StatOf(STAT));
    expectReply(2, zxid, Result.DONE);
    assertEquals(SessionOutput.Reason.CLOSED, next(SessionOutput.Closed.class).reason());
    assertEquals(new DataTreeActor.Detach(ID, s), wire.receiveMessage());
    wire.expectTerminated(s);
  }

  @Test
  void aCloseSessionItDidNotAskForEndsItAsExpired() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, setData("/a")));
    nextWrite(1);
    // The leader expired the session (cxid 0) before the write was decided.
    s.tell(committedElsewhere(Zxid.of(4, 200), 0, new Txn.CloseSession()));
    assertEquals(SessionOutput.Reason.EXPIRED, next(SessionOutput.Closed.class).reason());
    assertEquals(new DataTreeActor.Detach(ID, s), wire.receiveMessage());
    wire.expectTerminated(s);
  }

  @Test
  void anExpiryRacingTheClientsOwnCloseIsAnExpiry() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(7, new Op.CloseSession()));
    nextWrite(7);
    s.tell(committedElsewhere(Zxid.of(4, 200), 0, new Txn.CloseSession()));
    SessionOutput.Closed closed = next(SessionOutput.Closed.class);
    assertEquals(SessionOutput.Reason.EXPIRED, closed.reason());
    wire.expectTerminated(s);
  }

  @Test
  void digestAuthAddsTheIdentityToLaterRequests() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, setData("/before")));
    s.tell(new SessionActor.AddAuth("digest", "alice:secret".getBytes(StandardCharsets.UTF_8)));
    s.tell(new SessionActor.AddAuth("digest", "alice:secret".getBytes(StandardCharsets.UTF_8)));
    s.tell(new SessionActor.Submit(2, setData("/after")));
    assertEquals(List.of(IP_ID), nextWrite(1).authIds());
    assertEquals(new SessionOutput.AuthReply(Code.OK), wire.receiveMessage());
    assertEquals(new SessionOutput.AuthReply(Code.OK), wire.receiveMessage());
    Id alice = new Id("digest", Acls.digestId("alice:secret"));
    assertEquals(List.of(IP_ID, alice), nextWrite(2).authIds());

    s.tell(committed(1, new Txn.Error(Code.NO_NODE), ApplyResult.of(Code.NO_NODE)));
    s.tell(committed(2, new Txn.Error(Code.NO_NODE), ApplyResult.of(Code.NO_NODE)));
    s.tell(new SessionActor.Submit(3, new Op.WhoAmI()));
    expectReply(1, zxid - 1, Result.fail(Code.NO_NODE));
    expectReply(2, zxid, Result.fail(Code.NO_NODE));
    assertEquals(List.of(IP_ID, alice), nextRead(3, 2).authIds());
  }

  @Test
  void theConfiguredSuperDigestMakesASuperUser() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.AddAuth("digest", "super:wrong".getBytes(StandardCharsets.UTF_8)));
    s.tell(new SessionActor.Submit(1, new Op.WhoAmI()));
    assertEquals(new SessionOutput.AuthReply(Code.OK), wire.receiveMessage());
    assertFalse(Acls.isSuper(nextRead(1).authIds()));
    s.tell(new SessionActor.ReadDone(1, 0, Result.DONE));
    expectReply(1, 0, Result.DONE);

    s.tell(new SessionActor.AddAuth("digest", "super:hunter2".getBytes(StandardCharsets.UTF_8)));
    s.tell(new SessionActor.Submit(2, new Op.WhoAmI()));
    assertEquals(new SessionOutput.AuthReply(Code.OK), wire.receiveMessage());
    List<Id> ids = nextRead(2).authIds();
    assertTrue(ids.contains(new Id(Acls.SUPER, "")), ids::toString);
    assertTrue(ids.contains(new Id(Acls.DIGEST, SUPER)), ids::toString);
    assertTrue(Acls.isSuper(ids));
  }

  @Test
  void anUnsupportedSchemeFailsAuthAndEndsTheSession() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.AddAuth("kerberos", new byte[] {1, 2}));
    assertEquals(new SessionOutput.AuthReply(Code.AUTH_FAILED), wire.receiveMessage());
    assertEquals(SessionOutput.Reason.AUTH_FAILED, next(SessionOutput.Closed.class).reason());
    wire.expectTerminated(s);
  }

  @Test
  void digestWithoutCredentialsFailsAuth() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.AddAuth("digest", null));
    assertEquals(new SessionOutput.AuthReply(Code.AUTH_FAILED), wire.receiveMessage());
    assertEquals(SessionOutput.Reason.AUTH_FAILED, next(SessionOutput.Closed.class).reason());
    wire.expectTerminated(s);
  }

  @Test
  void pingTouchesAndAnswersWithTheServersZxid() {
    ActorRef<SessionActor.Command> s = open();
    assertEquals(new SessionTrackerActor.Touch(ID), tracker.receiveMessage());
    s.tell(new SessionActor.Ping());
    assertEquals(new SessionOutput.Pong(view.latest().zxid()), wire.receiveMessage());
    assertEquals(new SessionTrackerActor.Touch(ID), tracker.receiveMessage());
  }

  @Test
  void supersedeEndsTheConnectionWithTheGivenReason() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Supersede(SessionOutput.Reason.MOVED, "elsewhere"));
    assertEquals(new SessionOutput.Closed(SessionOutput.Reason.MOVED, "elsewhere"),
        wire.receiveMessage());
    assertEquals(new DataTreeActor.Detach(ID, s), wire.receiveMessage());
    wire.expectTerminated(s);
  }

  @Test
  void theSessionStopsWithItsFrontDoorAndDetachesFromTheTree() {
    TestProbe<SessionOutput> door = kit.createTestProbe();
    ActorRef<SessionActor.Command> s = spawn(false, door.ref());
    assertEquals(new DataTreeActor.Attach(ID, s), wire.receiveMessage());
    door.expectMessageClass(SessionOutput.Connected.class);
    door.stop();
    assertEquals(new DataTreeActor.Detach(ID, s), wire.receiveMessage());
    wire.expectTerminated(s);
  }

  @Test
  void aLeaderChangeKeepsTheConnectionAndRequestsWaitForTheNewLeader() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Submit(1, setData("/a")));
    s.tell(new SessionActor.Submit(2, setData("/b")));
    s.tell(new SessionActor.Submit(3, new Op.GetData("/a", false)));
    nextWrite(1);
    nextWrite(2);
    nextRead(3, 2);
    s.tell(new SessionActor.Detached(60_000));
    s.tell(new SessionActor.Submit(4, setData("/c")));
    s.tell(new SessionActor.Submit(5, new Op.GetData("/c", false)));
    // Pings are answered while the server has no leader; nothing goes anywhere.
    barrier(s);

    TestProbe<WritePath> newLeader = kit.createTestProbe();
    s.tell(new SessionActor.Reattached(newLeader.ref()));
    assertEquals(new DataTreeActor.Flush(ID, s, 2), wire.receiveMessage());
    // The new leader's sync committed the first write, the tree tells so before the flush; it
    // dropped the read, which waited for the second.
    s.tell(committed(1, new Txn.SetData("/a", new byte[] {1}, 1), ApplyResult.ok("/a", STAT)));
    s.tell(new SessionActor.Flushed());
    expectReply(1, zxid, new Result.StatOf(STAT));
    expectReply(2, 0, Result.fail(Code.CONNECTION_LOSS));
    expectReply(3, 0, Result.fail(Code.CONNECTION_LOSS));
    nextRead(5, 3);
    WriteRequest later = newLeader.expectMessageClass(WritePath.SubmitWrite.class).request();
    assertEquals(4, later.cxid());
    wire.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aSessionWhoseServerFindsNoLeaderInTimeEndsAsUnavailable() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Detached(200));
    SessionOutput.Closed closed = wire.expectMessageClass(SessionOutput.Closed.class,
        Duration.ofSeconds(10));
    assertEquals(SessionOutput.Reason.UNAVAILABLE, closed.reason());
    wire.expectTerminated(s);
  }

  @Test
  void aSessionReattachedInTimeIsNotEndedByTheHold() {
    ActorRef<SessionActor.Command> s = open();
    s.tell(new SessionActor.Detached(300));
    TestProbe<WritePath> newLeader = kit.createTestProbe();
    s.tell(new SessionActor.Reattached(newLeader.ref()));
    assertEquals(new DataTreeActor.Flush(ID, s, 0), wire.receiveMessage());
    s.tell(new SessionActor.Flushed());
    wire.expectNoMessage(Duration.ofMillis(600));
    s.tell(new SessionActor.Submit(1, setData("/a")));
    assertEquals(1, newLeader.expectMessageClass(WritePath.SubmitWrite.class).request().cxid());
  }

  @Test
  void aSessionNotYetCreatedWhenTheLeaderChangesEnds() {
    ActorRef<SessionActor.Command> s = spawn(true, wire.ref().unsafeUpcast());
    assertEquals(new DataTreeActor.Attach(ID, s), wire.receiveMessage());
    next(WritePath.SubmitWrite.class);
    s.tell(new SessionActor.Detached(60_000));
    TestProbe<WritePath> newLeader = kit.createTestProbe();
    s.tell(new SessionActor.Reattached(newLeader.ref()));
    assertEquals(new DataTreeActor.Flush(ID, s, 1), wire.receiveMessage());
    s.tell(new SessionActor.Flushed());
    assertEquals(SessionOutput.Reason.UNAVAILABLE,
        wire.expectMessageClass(SessionOutput.Closed.class).reason());
  }
}
