package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The committed tree applying txns directly, as a follower replaying the log does: no preparer in
 * front, so these cover what apply itself decides (Stats, events, indexes, digest, snapshots).
 */
class DataTreeTest {
  private static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;
  private static final long S1 = 0x0100_0000_0000_0001L;
  private static final long S2 = 0x0100_0000_0000_0002L;

  private final DataTree tree = new DataTree();
  private long zxid;

  private Applied apply(long session, Txn txn) {
    zxid++;
    return tree.apply(new TxnEntry(zxid, session, (int) zxid, 1000 + zxid, txn));
  }

  private Applied apply(Txn txn) {
    return apply(S1, txn);
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private int nextCount(String parent) {
    return tree.get(parent).createCount() + 1;
  }

  private Applied create(String path, long owner) {
    return apply(owner > 0 ? owner : S1,
        new Txn.Create(path, b("x"), OPEN, owner, nextCount(Paths.parent(path))));
  }

  private Applied create(String path) {
    return create(path, 0);
  }

  @Test
  void freshTreeHoldsZooKeepersSystemNodes() {
    assertEquals(4, tree.nodeCount());
    assertEquals(Set.of("zookeeper"), new HashSet<>(tree.get("/").childNames()));
    assertEquals(Set.of("quota", "config"),
        new HashSet<>(tree.get("/zookeeper").childNames()));
    assertEquals(3, tree.allChildrenNumber("/"));
    assertEquals(2, tree.allChildrenNumber("/zookeeper"));
    assertEquals(0, tree.allChildrenNumber("/zookeeper/quota"));
    assertEquals(0, tree.allChildrenNumber("/missing"));
    assertEquals(0, tree.lastZxid());
    assertEquals(0, tree.sessions().size());
  }

  @Test
  void systemPathsAreExactlyZooKeepersOwn() {
    assertEquals(true, DataTree.isSystemPath("/zookeeper"));
    assertEquals(true, DataTree.isSystemPath("/zookeeper/quota"));
    assertEquals(true, DataTree.isSystemPath("/zookeeper/config"));
    assertEquals(false, DataTree.isSystemPath("/zookeeper/quota/x"));
    assertEquals(false, DataTree.isSystemPath("/zookeeperx"));
  }

  @Test
  void createFiresCreatedThenParentChildrenChangedAndRepliesWithTheStat() {
    Applied a = create("/a");
    assertEquals(Code.OK, a.result().code());
    assertEquals("/a", a.result().path());
    assertEquals(new Stat(1, 1, 1001, 1001, 0, 0, 0, 0, 1, 0, 1), a.result().stat());
    assertEquals(List.of(new WatchEvent(EventType.NODE_CREATED, "/a", 1),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/", 1)), a.events());
    assertEquals(1, tree.lastZxid());
  }

  @Test
  void deleteFiresDeletedThenParentChildrenChanged() {
    create("/a");
    create("/a/b");
    Applied d = apply(new Txn.Delete("/a/b"));
    assertEquals(Code.OK, d.result().code());
    assertEquals(List.of(new WatchEvent(EventType.NODE_DELETED, "/a/b", 3),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/a", 3)), d.events());
  }

  @Test
  void setDataFiresDataChangedAndSetAclFiresNothing() {
    create("/a");
    Applied s = apply(new Txn.SetData("/a", b("yy"), 1));
    assertEquals(List.of(new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", 2)), s.events());
    assertEquals(new Stat(1, 2, 1001, 1002, 1, 0, 0, 0, 2, 0, 1), s.result().stat());
    Applied acl = apply(new Txn.SetAcl("/a", Acl.READ_ACL_UNSAFE, 1));
    assertEquals(List.of(), acl.events());
    assertEquals(new Stat(1, 2, 1001, 1002, 1, 0, 1, 0, 2, 0, 1), acl.result().stat());
    assertEquals(Acl.READ_ACL_UNSAFE, tree.get("/a").acl());
  }

  @Test
  void setDataStoresTheVersionTheTxnCarries() {
    // The preparer decides the new version; apply must not recompute it.
    create("/a");
    apply(new Txn.SetData("/a", b("v"), 7));
    assertEquals(7, tree.get("/a").stat().version());
  }

  @Test
  void parentCreateCountAndPzxidNeverMoveBackwards() {
    // A replayed create carrying an older count (ZooKeeper's fuzzy-snapshot case) must not undo
    // newer child bookkeeping; the child is still added.
    create("/p");
    create("/p/a");
    create("/p/b");
    long pzxid = tree.get("/p").pzxid();
    apply(new Txn.Create("/p/c", b("x"), OPEN, 0, 1));
    DataNode p = tree.get("/p");
    assertEquals(2, p.createCount());
    assertEquals(pzxid, p.pzxid());
    assertEquals(3, p.stat().numChildren());
  }

  @Test
  void checkAndErrorTxnsChangeNothingButStillAdvanceTheZxid() {
    create("/a");
    long digest = tree.digest();
    Applied c = apply(new Txn.Check("/a", 1));
    assertEquals(Code.OK, c.result().code());
    Applied e = apply(new Txn.Error(Code.NO_AUTH));
    assertEquals(Code.NO_AUTH, e.result().code());
    assertEquals(List.of(), e.events());
    assertEquals(digest, tree.digest());
    assertEquals(3, tree.lastZxid());
  }

  @Test
  void txnsThatNoLongerFitTheTreeFailWithoutSideEffects() {
    create("/a");
    long digest = tree.digest();
    assertEquals(Code.NO_NODE, apply(new Txn.Create("/x/y", null, OPEN, 0, 1)).result().code());
    assertEquals(Code.NODE_EXISTS, apply(new Txn.Create("/a", null, OPEN, 0, 9)).result().code());
    assertEquals(Code.NO_NODE, apply(new Txn.Delete("/x")).result().code());
    assertEquals(Code.NO_NODE, apply(new Txn.SetData("/x", null, 1)).result().code());
    assertEquals(Code.NO_NODE, apply(new Txn.SetAcl("/x", OPEN, 1)).result().code());
    assertEquals(Code.NO_NODE, apply(new Txn.Check("/x", 1)).result().code());
    assertEquals(digest, tree.digest());
    assertEquals(1, tree.get("/").createCount(), "a refused create leaves the parent alone");
  }

  @Test
  void lastZxidOnlyMovesForward() {
    tree.apply(new TxnEntry(10, S1, 1, 1, new Txn.Error(Code.OK)));
    tree.apply(new TxnEntry(5, S1, 1, 1, new Txn.Error(Code.OK)));
    assertEquals(10, tree.lastZxid());
  }

  @Test
  void multiAppliesEveryOpAtOneZxidAndReportsTheFirstError() {
    Applied m = apply(new Txn.Multi(List.of(
        new Txn.Create("/m", b("1"), OPEN, 0, 1),
        new Txn.Create("/m/c", b("2"), OPEN, 0, 1),
        new Txn.SetData("/m", b("3"), 1))));
    assertEquals(Code.OK, m.result().code());
    assertEquals(3, m.result().multi().size());
    assertEquals(1, tree.get("/m/c").czxid());
    Applied failed = apply(new Txn.Multi(List.of(new Txn.Error(Code.OK),
        new Txn.Error(Code.NOT_EMPTY), new Txn.Error(Code.RUNTIME_INCONSISTENCY))));
    assertEquals(Code.NOT_EMPTY, failed.result().code());
    assertEquals(List.of(Code.OK, Code.NOT_EMPTY, Code.RUNTIME_INCONSISTENCY),
        failed.result().multi().stream().map(ApplyResult::code).toList());
  }

  @Test
  void sessionsAndEphemeralsAreIndexedAndClosedPerSession() {
    apply(S1, new Txn.CreateSession(4000));
    apply(S2, new Txn.CreateSession(6000));
    create("/p");
    create("/p/e1", S1);
    create("/e2", S1);
    create("/p/f", S2);
    create("/c", NodeKind.CONTAINER_OWNER);
    create("/t", NodeKind.ttlOwner(100));
    assertEquals(Set.of("/p/e1", "/e2"), new HashSet<>(tree.ephemeralsOf(S1)));
    assertEquals(List.of("/c"), tree.containers());
    assertEquals(List.of("/t"), tree.ttlNodes());
    assertEquals(4000, PersistentColls.get(tree.sessions(), S1));

    Applied close = apply(S1, new Txn.CloseSession());
    assertEquals(4, close.events().size());
    assertNull(tree.get("/p/e1"));
    assertNull(tree.get("/e2"));
    assertEquals(List.of(), tree.ephemeralsOf(S1));
    assertEquals(List.of("/p/f"), tree.ephemeralsOf(S2));
    assertNull(PersistentColls.get(tree.sessions(), S1));
    assertEquals(6000, PersistentColls.get(tree.sessions(), S2));
  }

  @Test
  void snapshotIsFrozenWhileTheTreeMovesOn() {
    create("/a");
    apply(S1, new Txn.CreateSession(1000));
    create("/a/e", S1);
    TreeSnapshot snap = tree.snapshot();
    long digest = tree.digest();
    DataNode a = tree.get("/a");

    apply(new Txn.SetData("/a", b("changed"), 1));
    create("/b");
    apply(S1, new Txn.CloseSession());
    apply(new Txn.Delete("/a"));

    assertSame(a, snap.node("/a"));
    assertEquals(6, snap.nodeCount());
    assertEquals(3, snap.zxid());
    assertEquals(digest, DataTree.fromSnapshot(snap).digest());
    assertEquals(List.of("/a/e"), DataTree.fromSnapshot(snap).ephemeralsOf(S1));
  }

  @Test
  void treeRebuiltFromASnapshotHasTheSameStateAndIndexes() {
    apply(S1, new Txn.CreateSession(1000));
    create("/e", S1);
    create("/c", NodeKind.CONTAINER_OWNER);
    create("/t", NodeKind.ttlOwner(5));
    DataTree copy = DataTree.fromSnapshot(tree.snapshot());
    assertEquals(tree.digest(), copy.digest());
    assertEquals(tree.lastZxid(), copy.lastZxid());
    assertEquals(List.of("/e"), copy.ephemeralsOf(S1));
    assertEquals(List.of("/c"), copy.containers());
    assertEquals(List.of("/t"), copy.ttlNodes());
    Applied a = copy.apply(new TxnEntry(5, S1, 1, 1, new Txn.CloseSession()));
    assertEquals(2, a.events().size());
    assertNull(copy.get("/e"));
    assertEquals(List.of("/e"), tree.ephemeralsOf(S1), "the copy does not share mutable state");
  }

  @Test
  void digestSeesEveryReplicatedDifference() {
    List<Consumer<DataTree>> variants = List.of(
        t -> { },
        t -> t.apply(entry(9, new Txn.SetData("/a", b("other"), 1))),
        t -> t.apply(entry(9, new Txn.SetData("/a", null, 1))),
        t -> t.apply(entry(9, new Txn.SetData("/a", new byte[0], 1))),
        t -> t.apply(entry(9, new Txn.SetData("/a", b("x"), 1))),
        t -> t.apply(entry(9, new Txn.SetData("/a", b("x"), 2))),
        t -> t.apply(entry(9, new Txn.SetAcl("/a", Acl.READ_ACL_UNSAFE, 0))),
        t -> t.apply(entry(9, new Txn.SetAcl("/a", OPEN, 1))),
        t -> t.apply(entry(9, new Txn.SetAcl("/a",
            List.of(new Acl(Perms.ALL, new Id("digest", "u:p"))), 0))),
        t -> t.apply(entry(9, new Txn.CreateSession(100))),
        t -> t.apply(entry(9, new Txn.CreateSession(101))),
        t -> t.apply(entry(9, new Txn.Create("/b", null, OPEN, 0, 2))),
        t -> t.apply(entry(9, new Txn.Create("/b", new byte[0], OPEN, 0, 2))),
        t -> t.apply(entry(9, new Txn.Create("/b", new byte[0], OPEN, S1, 2))),
        t -> t.apply(entry(9, new Txn.Create("/b", new byte[0], OPEN, NodeKind.CONTAINER_OWNER,
            2))),
        t -> t.apply(entry(9, new Txn.Create("/a/b", null, OPEN, 0, 1))),
        t -> t.apply(new TxnEntry(9, S1, 0, 77, new Txn.Create("/b", null, OPEN, 0, 2))));
    Set<Long> digests = new HashSet<>();
    for (Consumer<DataTree> v : variants) {
      DataTree t = new DataTree();
      t.apply(entry(1, new Txn.Create("/a", b("x"), OPEN, 0, 1)));
      v.accept(t);
      digests.add(t.digest());
    }
    assertEquals(variants.size(), digests.size(), "each variant must have its own digest");
  }

  @Test
  void digestOfEqualTreesIsEqualRegardlessOfHowTheyWereBuilt() {
    DataTree other = DataTree.fromSnapshot(new DataTree().snapshot());
    assertEquals(new DataTree().digest(), other.digest());
    create("/a");
    DataTree replay = new DataTree();
    replay.apply(new TxnEntry(1, S1, 1, 1001, new Txn.Create("/a", b("x"), OPEN, 0, 1)));
    assertEquals(tree.digest(), replay.digest());
  }

  private static TxnEntry entry(long zxid, Txn txn) {
    return new TxnEntry(zxid, S1, 0, 5000, txn);
  }

  @Test
  void allChildrenNumberCountsEveryDescendant() {
    create("/a");
    create("/a/b");
    create("/a/b/c");
    create("/a/d");
    create("/ab");
    assertEquals(3, tree.allChildrenNumber("/a"));
    assertEquals(1, tree.allChildrenNumber("/a/b"));
    assertEquals(0, tree.allChildrenNumber("/a/d"));
    assertEquals(tree.nodeCount() - 1, tree.allChildrenNumber("/"));
  }
}
