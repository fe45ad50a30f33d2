package dev.paddock.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.TreeView;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataTreeActorTest {
  private static final ActorTestKit kit = ActorTestKit.create("DataTreeActorTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));

  private static final long S1 = 0x0100_0000_0000_0001L;
  private static final long S2 = 0x0100_0000_0000_0002L;
  private static final List<Id> NO_AUTH = List.of();

  private ActorRef<DataTreeActor.Command> tree;
  private TreeView view;
  private int rootChildren;
  private long zxid;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    DataTree t = new DataTree();
    rootChildren = t.get("/").createCount();
    view = new TreeView(t.snapshot());
    tree = kit.spawn(DataTreeActor.create(t, view, null, 1_000_000));
    zxid = Zxid.of(1, 0);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private TxnEntry next(long session, int cxid, Txn txn) {
    zxid++;
    return new TxnEntry(zxid, session, cxid, 1_000, txn);
  }

  private TxnEntry create(long session, int cxid, String path, String data) {
    return next(session, cxid, new Txn.Create(path, b(data), Acl.OPEN_ACL_UNSAFE, 0,
        ++rootChildren));
  }

  private TxnEntry setData(long session, int cxid, String path, String data, int version) {
    return next(session, cxid, new Txn.SetData(path, b(data), version));
  }

  private void apply(TxnEntry... entries) {
    tree.tell(new DataTreeActor.Apply(List.of(entries), List.of()));
  }

  private void read(long session, int cxid, Op.Read op, TestProbe<SessionActor.Command> p) {
    tree.tell(new DataTreeActor.Read(session, cxid, op, NO_AUTH, p.ref()));
  }

  private static SessionActor.ReadDone readDone(TestProbe<SessionActor.Command> p, int cxid) {
    SessionActor.ReadDone r = p.expectMessageClass(SessionActor.ReadDone.class);
    assertEquals(cxid, r.cxid());
    return r;
  }

  private static void expectData(TestProbe<SessionActor.Command> p, int cxid, long atZxid,
      String data) {
    SessionActor.ReadDone r = readDone(p, cxid);
    assertEquals(atZxid, r.zxid());
    assertArrayEquals(b(data), assertInstanceOf(Result.Data.class, r.result()).data());
  }

  private static void expectEvent(TestProbe<SessionActor.Command> p, WatchEvent event) {
    assertEquals(event, p.expectMessageClass(SessionActor.Notify.class).event());
  }

  private static SessionActor.Committed committed(TestProbe<SessionActor.Command> p,
      TxnEntry e) {
    SessionActor.Committed c = p.expectMessageClass(SessionActor.Committed.class);
    assertEquals(e, c.entry());
    assertEquals(e.zxid(), c.zxid());
    return c;
  }

  private DataTreeActor.Info info() {
    TestProbe<DataTreeActor.Info> p = kit.createTestProbe();
    tree.tell(new DataTreeActor.GetInfo(p.ref()));
    return p.receiveMessage();
  }

  private void readAfter(long ordered, int cxid, Op.Read op, TestProbe<SessionActor.Command> p) {
    tree.tell(new DataTreeActor.Read(S1, cxid, op, NO_AUTH, p.ref(), ordered));
  }

  /** A probe attached to the tree as session S1. */
  private TestProbe<SessionActor.Command> attached() {
    TestProbe<SessionActor.Command> s = kit.createTestProbe();
    tree.tell(new DataTreeActor.Attach(S1, s.ref()));
    return s;
  }

  /** Once the tree answered this, it has handled everything sent before. */
  private void barrier() {
    info();
  }

  @Test
  void aReadWaitsForTheWritesItsSessionSentBeforeItAndRunsBeforeTheNextOne() {
    TestProbe<SessionActor.Command> s = attached();
    readAfter(1, 2, new Op.GetData("/a", false), s);
    readAfter(1, 3, new Op.Exists("/b", false), s);
    barrier();
    s.expectNoMessage(java.time.Duration.ofMillis(50));

    TxnEntry first = create(S1, 1, "/a", "one");
    TxnEntry other = create(S2, 1, "/b", "b");
    TxnEntry next = setData(S1, 4, "/a", "two", 1);
    apply(first, other, next);
    committed(s, first);
    expectData(s, 2, first.zxid(), "one");
    SessionActor.ReadDone exists = readDone(s, 3);
    assertEquals(first.zxid(), exists.zxid());
    assertEquals(Result.fail(Code.NO_NODE), exists.result(), "the later write is not seen");
    committed(s, next);
  }

  @Test
  void aReadWhoseWritesAreAnsweredRunsAtOnceAndSyncsCountAsWrites() {
    TestProbe<SessionActor.Command> s = attached();
    TxnEntry a = create(S1, 1, "/a", "one");
    apply(a);
    committed(s, a);
    readAfter(1, 2, new Op.GetData("/a", false), s);
    expectData(s, 2, a.zxid(), "one");

    readAfter(2, 4, new Op.GetData("/a", false), s);
    barrier();
    s.expectNoMessage(java.time.Duration.ofMillis(50));
    tree.tell(new DataTreeActor.Apply(List.of(),
        List.of(new DataTreeActor.SyncPoint(S1, 3))));
    assertEquals(new SessionActor.Synced(3, a.zxid()), s.receiveMessage());
    expectData(s, 4, a.zxid(), "one");
  }

  @Test
  void aFlushDropsTheReadsWaitingForWritesThatWillNotCommit() {
    TestProbe<SessionActor.Command> s = attached();
    readAfter(1, 2, new Op.GetData("/a", false), s);
    tree.tell(new DataTreeActor.Flush(S1, s.ref(), 1));
    s.expectMessage(new SessionActor.Flushed());
    // The write sent before the flush is lost: later reads wait only for what comes after.
    readAfter(1, 3, new Op.Exists("/a", false), s);
    assertEquals(Result.fail(Code.NO_NODE), readDone(s, 3).result());
    readAfter(2, 5, new Op.GetData("/a", false), s);
    TxnEntry a = create(S1, 4, "/a", "one");
    apply(a);
    committed(s, a);
    expectData(s, 5, a.zxid(), "one");
  }

  @Test
  void aReadFromAnActorThatIsNotTheAttachedOneWaitsForNothing() {
    TestProbe<SessionActor.Command> attached = kit.createTestProbe();
    TestProbe<SessionActor.Command> superseded = kit.createTestProbe();
    tree.tell(new DataTreeActor.Attach(S1, attached.ref()));
    readAfter(3, 1, new Op.Exists("/a", false), superseded);
    readDone(superseded, 1);
    tree.tell(new DataTreeActor.Detach(S1, superseded.ref()));
    readAfter(1, 2, new Op.Exists("/a", false), attached);
    barrier();
    attached.expectNoMessage(java.time.Duration.ofMillis(50));
  }

  @Test
  void readsSeeEveryApplyBeforeThem() {
    TestProbe<SessionActor.Command> s = kit.createTestProbe();
    TxnEntry a = create(S2, 1, "/a", "one");
    apply(a);
    read(S1, 1, new Op.GetData("/a", false), s);
    expectData(s, 1, a.zxid(), "one");
    assertEquals(a.zxid(), view.latest().zxid(), "the applied tree is published");
  }

  @Test
  void aWatchSetByAReadFiresBeforeTheReplyToALaterRead() {
    TestProbe<SessionActor.Command> s = kit.createTestProbe();
    apply(create(S2, 1, "/a", "one"));
    read(S1, 1, new Op.GetData("/a", true), s);
    TxnEntry change = setData(S2, 2, "/a", "two", 1);
    apply(change);
    read(S1, 2, new Op.GetData("/a", false), s);

    expectData(s, 1, change.zxid() - 1, "one");
    expectEvent(s, new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", change.zxid()));
    expectData(s, 2, change.zxid(), "two");

    // One-shot: the next change fires nothing for this session.
    TxnEntry again = setData(S2, 3, "/a", "three", 2);
    apply(again);
    read(S1, 3, new Op.GetData("/a", false), s);
    expectData(s, 3, again.zxid(), "three");
  }

  @Test
  void theWriterHearsItsWatchBeforeItsReply() {
    TestProbe<SessionActor.Command> s = attached();
    TxnEntry a = create(S1, 1, "/a", "one");
    apply(a);
    committed(s, a);
    read(S1, 2, new Op.Exists("/a", true), s);
    readDone(s, 2);
    TxnEntry change = setData(S1, 3, "/a", "two", 1);
    apply(change);
    expectEvent(s, new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", change.zxid()));
    SessionActor.Committed c = committed(s, change);
    assertEquals(Code.OK, c.result().code());
  }

  @Test
  void writeRepliesGoToTheAttachedSessionOfEachTxn() {
    TestProbe<SessionActor.Command> one = kit.createTestProbe();
    TestProbe<SessionActor.Command> two = kit.createTestProbe();
    tree.tell(new DataTreeActor.Attach(S1, one.ref()));
    tree.tell(new DataTreeActor.Attach(S2, two.ref()));
    TxnEntry a = create(S1, 1, "/a", "x");
    TxnEntry b = create(S2, 1, "/b", "y");
    TxnEntry failed = next(S1, 2, new Txn.Error(Code.NODE_EXISTS));
    TxnEntry foreign = create(0x0900_0000_0000_0009L, 1, "/c", "z");
    apply(a, b, failed, foreign);

    assertEquals("/a", committed(one, a).result().path());
    assertEquals(Code.NODE_EXISTS, committed(one, failed).result().code());
    assertEquals("/b", committed(two, b).result().path());
    // Nobody is attached for the last one; a read is the next thing either session hears.
    read(S1, 3, new Op.Exists("/c", false), one);
    readDone(one, 3);
    read(S2, 2, new Op.Exists("/c", false), two);
    readDone(two, 2);
  }

  @Test
  void detachStopsRepliesAndDropsTheSessionsWatches() {
    TestProbe<SessionActor.Command> s = attached();
    apply(create(S2, 1, "/a", "one"));
    read(S1, 1, new Op.GetData("/a", true), s);
    read(S1, 2, new Op.GetChildren("/", true), s);
    readDone(s, 1);
    readDone(s, 2);
    assertEquals(2, info().watchCount());

    tree.tell(new DataTreeActor.Detach(S1, s.ref()));
    assertEquals(0, info().watchCount());
    apply(setData(S1, 3, "/a", "two", 1), create(S1, 4, "/b", "x"));
    read(S1, 5, new Op.GetData("/a", false), s);
    // Neither events nor write replies reached it before this reply.
    expectData(s, 5, zxid, "two");
  }

  @Test
  void aStaleDetachLeavesTheNewConnectionAttached() {
    TestProbe<SessionActor.Command> old = kit.createTestProbe();
    TestProbe<SessionActor.Command> moved = kit.createTestProbe();
    tree.tell(new DataTreeActor.Attach(S1, old.ref()));
    apply(create(S2, 1, "/a", "one"));
    read(S1, 1, new Op.GetData("/a", true), old);
    read(S1, 2, new Op.GetData("/a", true), moved);
    tree.tell(new DataTreeActor.Attach(S1, moved.ref()));
    tree.tell(new DataTreeActor.Detach(S1, old.ref()));
    assertEquals(1, info().watchCount(), "only the old connection's watch is dropped");

    TxnEntry change = setData(S1, 3, "/a", "two", 1);
    apply(change);
    readDone(moved, 2);
    expectEvent(moved, new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", change.zxid()));
    committed(moved, change);
  }

  @Test
  void aSyncIsAnsweredAfterTheEntriesOfItsApply() {
    TestProbe<SessionActor.Command> s = attached();
    TxnEntry a = create(S1, 1, "/a", "x");
    TxnEntry b = setData(S1, 2, "/a", "y", 1);
    tree.tell(new DataTreeActor.Apply(List.of(a, b),
        List.of(new DataTreeActor.SyncPoint(S1, 3), new DataTreeActor.SyncPoint(S2, 1))));
    committed(s, a);
    committed(s, b);
    assertEquals(new SessionActor.Synced(3, b.zxid()), s.receiveMessage());

    tree.tell(new DataTreeActor.Apply(List.of(), List.of(new DataTreeActor.SyncPoint(S1, 4))));
    assertEquals(new SessionActor.Synced(4, b.zxid()), s.receiveMessage());
  }

  @Test
  void txnsAlreadyAppliedAreSkipped() {
    TestProbe<SessionActor.Command> s = attached();
    TxnEntry a = create(S1, 1, "/a", "x");
    apply(a);
    committed(s, a);
    TxnEntry b = setData(S1, 2, "/a", "y", 1);
    apply(a, b);
    committed(s, b);
    DataTreeActor.Info info = info();
    assertEquals(b.zxid(), info.lastZxid());
    assertEquals(b.zxid(), view.latest().zxid());
  }

  @Test
  void replaceSwapsTheTreeAndKeepsWatches() {
    TestProbe<SessionActor.Command> s = kit.createTestProbe();
    DataTree other = new DataTree();
    other.apply(new TxnEntry(Zxid.of(5, 1), S2, 1, 1_000,
        new Txn.Create("/snap", b("s"), Acl.OPEN_ACL_UNSAFE, 0,
            other.get("/").createCount() + 1)));
    read(S1, 1, new Op.Exists("/snap", true), s);
    readDone(s, 1);
    tree.tell(new DataTreeActor.Replace(other.snapshot()));
    read(S1, 2, new Op.GetData("/snap", false), s);
    expectData(s, 2, Zxid.of(5, 1), "s");
    assertEquals(Zxid.of(5, 1), view.latest().zxid());
    assertEquals(1, info().watchCount());
  }

  @Test
  void replaceEndsTheConnectionsOfAttachedSessionsAndFlushAnswersInOrder() {
    TestProbe<SessionActor.Command> s = attached();
    tree.tell(new DataTreeActor.Replace(new DataTree().snapshot()));
    tree.tell(new DataTreeActor.Flush(S1, s.ref(), 0));
    SessionActor.Supersede ended = s.expectMessageClass(SessionActor.Supersede.class);
    assertEquals(SessionOutput.Reason.UNAVAILABLE, ended.reason());
    s.expectMessage(new SessionActor.Flushed());
  }

  @Test
  void aSnapshotIsTakenOnceTheTxnsSinceTheLastOneReachTheSizeLimit() {
    DataTree t = new DataTree();
    java.util.concurrent.LinkedBlockingQueue<Long> saved =
        new java.util.concurrent.LinkedBlockingQueue<>();
    var sized = kit.spawn(DataTreeActor.create(t, new TreeView(t.snapshot()),
        snap -> saved.add(snap.zxid()), 1_000_000, 10_000, Long.MAX_VALUE));
    String kb = "x".repeat(1_000);
    List<TxnEntry> first = new java.util.ArrayList<>();
    for (int i = 0; i < 9; i++) {
      first.add(create(0, i, "/s" + i, kb));
    }
    sized.tell(new DataTreeActor.Apply(first, List.of()));
    TestProbe<DataTreeActor.Info> info = kit.createTestProbe();
    sized.tell(new DataTreeActor.GetInfo(info.ref()));
    info.receiveMessage();
    org.junit.jupiter.api.Assertions.assertTrue(saved.isEmpty(), "9 kB is under the limit");
    sized.tell(new DataTreeActor.Apply(List.of(create(0, 9, "/s9", kb),
        create(0, 10, "/s10", kb)), List.of()));
    sized.tell(new DataTreeActor.GetInfo(info.ref()));
    info.receiveMessage();
    assertEquals(1, saved.size(), "one snapshot once 10 kB were applied");
  }
}
