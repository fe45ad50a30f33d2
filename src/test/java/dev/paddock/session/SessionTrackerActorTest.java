package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.request.Op;
import dev.paddock.request.WritePath;
import dev.paddock.request.WriteRequest;
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

class SessionTrackerActorTest {
  private static final ActorTestKit kit = ActorTestKit.create("SessionTrackerActorTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));

  private static final int SERVER = 9;
  private static final byte[] SECRET = "tracker-secret".getBytes(StandardCharsets.UTF_8);
  private static final SessionIds PASSWORDS = new SessionIds(1, SECRET, 0);
  private static final long EXISTING = 0x0200_0000_0000_0010L;
  private static final long TREE_ZXID = Zxid.of(1, 1);
  private static final int TICK_MS = 20;
  private static final Duration EXPIRY_WAIT = Duration.ofSeconds(10);

  private TestProbe<DataTreeActor.Command> tree;
  private TestProbe<WritePath> writes;
  private TestProbe<SessionOutput> door;
  private ActorRef<SessionTrackerActor.Command> tracker;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    tree = kit.createTestProbe();
    writes = kit.createTestProbe();
    door = kit.createTestProbe();
    DataTree committed = new DataTree();
    committed.apply(new TxnEntry(TREE_ZXID, EXISTING, 0, 0, new Txn.CreateSession(30_000)));
    tracker = kit.spawn(SessionTrackerActor.create(
        new SessionTrackerActor.Config(SERVER, SECRET, 4_000, 40_000, TICK_MS, ""),
        new TreeView(committed.snapshot()), tree.ref()));
  }

  private void serve(boolean leading) {
    tracker.tell(new SessionTrackerActor.RoleChanged(writes.ref(), leading));
  }

  private void connect(int timeout, long sessionId, byte[] password, long lastZxidSeen,
      TestProbe<SessionOutput> frontDoor) {
    tracker.tell(new SessionTrackerActor.Connect(timeout, sessionId, password, lastZxidSeen,
        List.of(new Id("ip", "127.0.0.1")), frontDoor.ref()));
  }

  /**
   * A connect that came over a network may name a front door that resolves as an actor of this
   * system; only the client port's own connect (fromWire) has its identities believed.
   */
  @Test
  void claimedIdentitiesAreBelievedOnlyFromTheClientPortsOwnConnect() {
    serve(false);
    List<Id> claimed = List.of(new Id("super", ""), new Id("ip", "10.9.9.9"));
    tracker.tell(new SessionTrackerActor.Connect(30_000, EXISTING,
        PASSWORDS.passwordFor(EXISTING), 0, claimed, door.ref()));
    assertEquals(List.of(), authIdsOfAReadThrough(door));

    TestProbe<SessionOutput> wire = kit.createTestProbe();
    tracker.tell(new SessionTrackerActor.Connect(30_000, EXISTING,
        PASSWORDS.passwordFor(EXISTING), 0, claimed, wire.ref(), true));
    assertEquals(claimed, authIdsOfAReadThrough(wire));
  }

  private List<Id> authIdsOfAReadThrough(TestProbe<SessionOutput> frontDoor) {
    answerRevalidate(tracker, writes, EXISTING, true);
    ActorRef<SessionActor.Command> session =
        frontDoor.expectMessageClass(SessionOutput.Connected.class).session();
    session.tell(new SessionActor.Submit(1, new Op.WhoAmI()));
    // The superseded session's Detach and the new one's Attach may come first, in either order.
    while (true) {
      if (tree.receiveMessage() instanceof DataTreeActor.Read read) {
        assertEquals(EXISTING, read.sessionId());
        return read.authIds();
      }
    }
  }

  /** The role (here a probe) answers the tracker's question whether the session lives. */
  private void answerRevalidate(ActorRef<SessionTrackerActor.Command> t, TestProbe<WritePath> path,
      long sessionId, boolean valid) {
    WritePath.Revalidate r = path.expectMessageClass(WritePath.Revalidate.class);
    assertEquals(sessionId, r.sessionId());
    t.tell(new SessionTrackerActor.Revalidated(r.sessionId(), r.token(), valid));
  }

  private SessionOutput.Connected reattach(TestProbe<SessionOutput> frontDoor) {
    return reattach(frontDoor, writes);
  }

  private SessionOutput.Connected reattach(TestProbe<SessionOutput> frontDoor,
      TestProbe<WritePath> path) {
    connect(30_000, EXISTING, PASSWORDS.passwordFor(EXISTING), TREE_ZXID, frontDoor);
    answerRevalidate(tracker, path, EXISTING, true);
    SessionOutput.Connected c = frontDoor.expectMessageClass(SessionOutput.Connected.class);
    assertEquals(EXISTING, c.sessionId());
    assertEquals(new DataTreeActor.Attach(EXISTING, c.session()), nextAttach());
    return c;
  }

  /** A session that ended detaches on its own time; the tree ignores a stale detach. */
  private DataTreeActor.Command nextAttach() {
    DataTreeActor.Command m = tree.receiveMessage();
    while (m instanceof DataTreeActor.Detach) {
      m = tree.receiveMessage();
    }
    return m;
  }

  private SessionOutput.Closed expectClosed(SessionOutput.Reason reason) {
    SessionOutput.Closed closed = door.expectMessageClass(SessionOutput.Closed.class);
    assertEquals(reason, closed.reason());
    return closed;
  }

  private List<Long> localSessions() {
    TestProbe<List<Long>> probe = kit.createTestProbe();
    tracker.tell(new SessionTrackerActor.GetLocalSessions(probe.ref()));
    return probe.receiveMessage();
  }

  private WriteRequest nextCloseSession() {
    WriteRequest r = writes.expectMessageClass(WritePath.SubmitWrite.class, EXPIRY_WAIT)
        .request();
    assertEquals(new Op.CloseSession(), r.op());
    assertEquals(0, r.cxid());
    return r;
  }

  @Test
  void aServerThatIsNotServingTurnsClientsAway() {
    connect(30_000, 0, null, 0, door);
    expectClosed(SessionOutput.Reason.UNAVAILABLE);
    serve(false);
    tracker.tell(new SessionTrackerActor.RoleChanged(null, false));
    connect(30_000, EXISTING, PASSWORDS.passwordFor(EXISTING), 0, door);
    expectClosed(SessionOutput.Reason.UNAVAILABLE);
    tree.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void aConnectWaitsWhileTheServerLooksForALeaderAndGoesOnOnceItServes() {
    DataTree committed = new DataTree();
    committed.apply(new TxnEntry(TREE_ZXID, EXISTING, 0, 0, new Txn.CreateSession(30_000)));
    ActorRef<SessionTrackerActor.Command> holding = kit.spawn(SessionTrackerActor.create(
        new SessionTrackerActor.Config(SERVER, SECRET, 4_000, 40_000, TICK_MS, "", 60_000),
        new TreeView(committed.snapshot()), tree.ref()));
    holding.tell(new SessionTrackerActor.Connect(30_000, EXISTING, PASSWORDS.passwordFor(EXISTING),
        TREE_ZXID, List.of(), door.ref()));
    door.expectNoMessage(Duration.ofMillis(200));
    holding.tell(new SessionTrackerActor.RoleChanged(writes.ref(), false));
    answerRevalidate(holding, writes, EXISTING, true);
    assertEquals(EXISTING, door.expectMessageClass(SessionOutput.Connected.class).sessionId());

    // The wait is bounded by a third of the client's timeout: 1.5 s here. The session
    // connected before keeps its connection meanwhile (up to a third of its own timeout).
    holding.tell(new SessionTrackerActor.RoleChanged(null, false));
    door.expectNoMessage(Duration.ofMillis(200));
    TestProbe<SessionOutput> late = kit.createTestProbe();
    holding.tell(new SessionTrackerActor.Connect(4_500, EXISTING,
        PASSWORDS.passwordFor(EXISTING), TREE_ZXID, List.of(), late.ref()));
    late.expectNoMessage(Duration.ofMillis(500));
    SessionOutput.Closed turnedAway = late.expectMessageClass(SessionOutput.Closed.class,
        Duration.ofSeconds(10));
    assertEquals(SessionOutput.Reason.UNAVAILABLE, turnedAway.reason());
  }

  @Test
  void aNewSessionIsProposedAndConnectedOnceCommitted() {
    serve(true);
    connect(1_000, 0, null, 0, door);
    WriteRequest create = writes.expectMessageClass(WritePath.SubmitWrite.class).request();
    long id = create.sessionId();
    assertEquals(SERVER, id >>> 56, "the creating server is in the id");
    assertEquals(new Op.CreateSession(4_000), create.op(), "timeout raised to the minimum");
    DataTreeActor.Attach attach = tree.expectMessageClass(DataTreeActor.Attach.class);
    assertEquals(id, attach.sessionId());

    attach.session().tell(new SessionActor.Committed(
        new TxnEntry(Zxid.of(1, 2), id, 0, 0, new Txn.CreateSession(4_000)),
        ApplyResult.of(Code.OK), Zxid.of(1, 2)));
    SessionOutput.Connected c = door.expectMessageClass(SessionOutput.Connected.class);
    assertEquals(id, c.sessionId());
    assertEquals(4_000, c.timeoutMs());
    assertArrayEquals(PASSWORDS.passwordFor(id), c.password());
    assertEquals(List.of(id), localSessions());
  }

  @Test
  void timeoutsAreCappedAndIdsAreFresh() {
    serve(false);
    connect(1_000_000, 0, null, 0, door);
    WriteRequest first = writes.expectMessageClass(WritePath.SubmitWrite.class).request();
    assertEquals(new Op.CreateSession(40_000), first.op());
    connect(10_000, 0, null, 0, door);
    WriteRequest second = writes.expectMessageClass(WritePath.SubmitWrite.class).request();
    assertEquals(new Op.CreateSession(10_000), second.op());
    assertTrue(second.sessionId() != first.sessionId());
  }

  @Test
  void aSessionReattachesWithItsPassword() {
    serve(true);
    SessionOutput.Connected c = reattach(door);
    assertArrayEquals(PASSWORDS.passwordFor(EXISTING), c.password());
    assertEquals(30_000, c.timeoutMs());
    writes.expectNoMessage(Duration.ofMillis(50));
    assertEquals(List.of(EXISTING), localSessions());
  }

  @Test
  void aFollowerAlsoAcceptsAReattach() {
    serve(false);
    reattach(door);
  }

  @Test
  void aWrongPasswordIsAnExpiredSession() {
    serve(true);
    byte[] wrong = PASSWORDS.passwordFor(EXISTING).clone();
    wrong[0] ^= 1;
    connect(30_000, EXISTING, wrong, 0, door);
    expectClosed(SessionOutput.Reason.EXPIRED);
    connect(30_000, EXISTING, null, 0, door);
    expectClosed(SessionOutput.Reason.EXPIRED);
    tree.expectNoMessage(Duration.ofMillis(50));
    assertEquals(List.of(), localSessions());
  }

  @Test
  void anUnknownSessionIsExpiredEvenWithAMatchingPassword() {
    serve(false);
    long unknown = EXISTING + 1;
    connect(30_000, unknown, PASSWORDS.passwordFor(unknown), 0, door);
    answerRevalidate(tracker, writes, unknown, false);
    expectClosed(SessionOutput.Reason.EXPIRED);
  }

  @Test
  void aLaggingFollowerAsksTheLeaderInsteadOfItsOwnTree() {
    serve(false);
    long fresh = EXISTING + 2;
    connect(30_000, fresh, PASSWORDS.passwordFor(fresh), 0, door);
    // Not in this server's tree yet, but the leader knows it alive.
    answerRevalidate(tracker, writes, fresh, true);
    assertEquals(fresh, door.expectMessageClass(SessionOutput.Connected.class).sessionId());
  }

  @Test
  void aReattachWithoutAnAnswerIsTurnedAway() {
    serve(false);
    connect(3_000, EXISTING, PASSWORDS.passwordFor(EXISTING), 0, door);
    writes.expectMessageClass(WritePath.Revalidate.class);
    expectClosed(SessionOutput.Reason.UNAVAILABLE);
  }

  @Test
  void aClientThatHasSeenMoreIsSentToAnotherServer() {
    serve(true);
    connect(30_000, EXISTING, PASSWORDS.passwordFor(EXISTING), TREE_ZXID + 1, door);
    expectClosed(SessionOutput.Reason.STALE_SERVER);
    connect(30_000, 0, null, TREE_ZXID + 1, door);
    expectClosed(SessionOutput.Reason.STALE_SERVER);
    writes.expectNoMessage(Duration.ofMillis(50));
  }

  @Test
  void reattachingMovesTheSessionOffItsOldConnection() {
    serve(true);
    SessionOutput.Connected first = reattach(door);
    TestProbe<SessionOutput> second = kit.createTestProbe();
    SessionOutput.Connected moved = reattach(second);
    assertTrue(!first.session().equals(moved.session()));
    expectClosed(SessionOutput.Reason.MOVED);
    door.expectTerminated(first.session());
    assertEquals(List.of(EXISTING), localSessions());
  }

  @Test
  void theLeaderProposesToCloseASilentSession() {
    serve(true);
    long silent = 0x0500_0000_0000_0001L;
    tracker.tell(new SessionTrackerActor.Track(silent, 60));
    assertEquals(silent, nextCloseSession().sessionId());
  }

  @Test
  void anUntrackedSessionIsNotExpired() {
    serve(true);
    int timeout = 200;
    for (int attempt = 0; attempt < 20; attempt++) {
      long closed = 0x0500_0000_0000_0000L + 2 * attempt;
      long later = closed + 1;
      long start = System.nanoTime();
      tracker.tell(new SessionTrackerActor.Track(closed, timeout));
      tracker.tell(new SessionTrackerActor.Untrack(closed));
      localSessions();
      // Only a tick at least a timeout after the track can expire it; if the untrack was
      // handled before that, the first expiry must be the later session.
      boolean untrackedInTime = (System.nanoTime() - start) / 1_000_000 < timeout;
      tracker.tell(new SessionTrackerActor.Track(later, 2 * timeout));
      long first = nextCloseSession().sessionId();
      if (untrackedInTime) {
        assertEquals(later, first);
        return;
      }
      if (first == closed) {
        assertEquals(later, nextCloseSession().sessionId());
      }
    }
    throw new AssertionError("the test thread never got two messages out within " + timeout
        + " ms");
  }

  @Test
  void anExpiredSessionCannotReattachToTheLeader() {
    serve(true);
    tracker.tell(new SessionTrackerActor.Track(EXISTING, 40));
    assertEquals(EXISTING, nextCloseSession().sessionId());
    // Its closeSession is not committed yet, so the tree still has it.
    connect(30_000, EXISTING, PASSWORDS.passwordFor(EXISTING), 0, door);
    expectClosed(SessionOutput.Reason.EXPIRED);
  }

  @Test
  void aFollowerCollectsTouchesInsteadOfExpiring() {
    serve(false);
    tracker.tell(new SessionTrackerActor.Track(EXISTING, 20));
    tracker.tell(new SessionTrackerActor.Touch(EXISTING));
    tracker.tell(new SessionTrackerActor.TouchAll(List.of(7L, 8L)));
    TestProbe<List<Long>> drained = kit.createTestProbe();
    tracker.tell(new SessionTrackerActor.DrainTouched(drained.ref()));
    assertEquals(java.util.Set.of(EXISTING, 7L, 8L),
        new java.util.HashSet<>(drained.receiveMessage()));
    tracker.tell(new SessionTrackerActor.DrainTouched(drained.ref()));
    assertEquals(List.of(), drained.receiveMessage());
    writes.expectNoMessage(Duration.ofMillis(10L * TICK_MS));
  }

  @Test
  void aLocalSessionOfAServerThatFindsNoLeaderInTimeEndsAsUnavailable() {
    serve(true);
    SessionOutput.Connected c = reattach(door);
    // The same write path again is no change.
    serve(true);
    assertEquals(List.of(EXISTING), localSessions());

    // This tracker holds for 0 ms: the session's connection ends at once.
    tracker.tell(new SessionTrackerActor.RoleChanged(null, false));
    expectClosed(SessionOutput.Reason.UNAVAILABLE);
    door.expectTerminated(c.session());
    door.awaitAssert(() -> {
      assertEquals(List.of(), localSessions());
      return null;
    });
  }

  @Test
  void aServerWhoseStorageFailedEndsLocalConnectionsAtOnce() {
    DataTree committed = new DataTree();
    committed.apply(new TxnEntry(TREE_ZXID, EXISTING, 0, 0, new Txn.CreateSession(30_000)));
    ActorRef<SessionTrackerActor.Command> holding = kit.spawn(SessionTrackerActor.create(
        new SessionTrackerActor.Config(SERVER, SECRET, 4_000, 40_000, TICK_MS, "", 60_000),
        new TreeView(committed.snapshot()), tree.ref()));
    holding.tell(new SessionTrackerActor.RoleChanged(writes.ref(), false));
    holding.tell(new SessionTrackerActor.Connect(30_000, EXISTING, PASSWORDS.passwordFor(EXISTING),
        TREE_ZXID, List.of(), door.ref()));
    answerRevalidate(holding, writes, EXISTING, true);
    SessionOutput.Connected c = door.expectMessageClass(SessionOutput.Connected.class);
    holding.tell(new SessionTrackerActor.RoleChanged(null, false, true));
    // Held for the next leader it would be for 10 s (a third of its timeout).
    assertEquals(SessionOutput.Reason.UNAVAILABLE,
        door.expectMessageClass(SessionOutput.Closed.class, Duration.ofSeconds(5)).reason());
    door.expectTerminated(c.session());
  }

  @Test
  void aNewWritePathKeepsLocalSessions() {
    serve(false);
    SessionOutput.Connected c = reattach(door);
    TestProbe<WritePath> newLeader = kit.createTestProbe();
    tracker.tell(new SessionTrackerActor.RoleChanged(newLeader.ref(), false));
    DataTreeActor.Flush flush = tree.expectMessageClass(DataTreeActor.Flush.class);
    assertEquals(c.session(), flush.session());
    flush.session().tell(new SessionActor.Flushed());
    c.session().tell(new SessionActor.Submit(1, new Op.Delete("/x", -1)));
    assertEquals(1, newLeader.expectMessageClass(WritePath.SubmitWrite.class).request().cxid());
    door.expectNoMessage(Duration.ofMillis(50));
    assertEquals(List.of(EXISTING), localSessions());
  }
}
