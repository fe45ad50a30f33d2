package dev.paddock.tree;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.paddock.api.Acl;
import dev.paddock.api.Stat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compact form of a node nobody changed, against the full form of the same values. */
class DataNodeTest {
  private static final byte[] DATA = {1, 2, 3};
  private static final List<Acl> OPEN = Acls.intern(Acl.OPEN_ACL_UNSAFE);
  private static final ChildSet NONE = ChildSet.empty();
  private static final long Z = 0x0000_0003_0000_0010L;

  private static DataNode full(long mzxid, long mtime, int version, int createCount,
      int aversion, long pzxid, ChildSet children) {
    return new DataNode.Full(DATA, OPEN, Z, mzxid, 500, mtime, version, createCount, aversion,
        7, pzxid, children);
  }

  @Test
  void aCreatedNodeIsCompactAndShowsTheStatOfTheFullForm() {
    DataNode fresh = DataNode.create(DATA, OPEN, Z, 500, 7);
    DataNode same = full(Z, 500, 0, 0, 0, Z, NONE);

    assertInstanceOf(DataNode.FreshLeaf.class, fresh);
    assertEquals(same.stat(), fresh.stat());
    assertEquals(new Stat(Z, Z, 500, 500, 0, 0, 0, 7, 3, 0, Z), fresh.stat());
    assertEquals(same, fresh);
    assertEquals(same.hashCode(), fresh.hashCode());
    assertSame(DATA, fresh.data());
    assertSame(OPEN, fresh.acl());
    assertEquals(7, fresh.ephemeralOwner());
    assertEquals(List.of(), fresh.childNames());
    assertEquals(DataNode.OwnedFreshLeaf.Open.class, fresh.getClass());
  }

  @Test
  void aPersistentNodeDoesNotKeepAnOwner() {
    DataNode fresh = DataNode.create(DATA, OPEN, Z, 500, 0);
    assertEquals(DataNode.FreshLeaf.Open.class, fresh.getClass());
    assertEquals(0, fresh.ephemeralOwner());
    assertEquals(new Stat(Z, Z, 500, 500, 0, 0, 0, 0, 3, 0, Z), fresh.stat());
    assertEquals(DataNode.FreshLeaf.Open.class,
        DataNode.of(DATA, OPEN, Z, Z, 500, 500, 0, 0, 0, 0, Z, NONE).getClass());
    assertEquals(new DataNode.Full(DATA, OPEN, Z, Z, 500, 500, 0, 0, 0, 0, Z, NONE), fresh);
  }

  @Test
  void onlyANodeWithAnotherAclKeepsItsAclList() {
    List<Acl> read = Acls.intern(Acl.READ_ACL_UNSAFE);
    DataNode persistent = DataNode.create(DATA, read, Z, 500, 0);
    DataNode owned = DataNode.create(DATA, read, Z, 500, 7);
    assertEquals(DataNode.FreshLeaf.WithAcl.class, persistent.getClass());
    assertEquals(DataNode.OwnedFreshLeaf.WithAcl.class, owned.getClass());
    assertSame(read, persistent.acl());
    assertSame(read, owned.acl());
    assertEquals(new DataNode.Full(DATA, read, Z, Z, 500, 500, 0, 0, 0, 7, Z, NONE), owned);
    assertNotEquals(DataNode.create(DATA, OPEN, Z, 500, 7), owned);

    // An open list that is equal but not the interned instance still takes the compact form.
    DataNode copied = DataNode.create(DATA, List.copyOf(new java.util.ArrayList<>(
        Acl.OPEN_ACL_UNSAFE)), Z, 500, 7);
    assertEquals(DataNode.OwnedFreshLeaf.Open.class, copied.getClass());
    assertSame(Acls.OPEN, copied.acl());
    assertEquals(7, copied.ephemeralOwner());
  }

  @Test
  void ofPicksTheCompactFormOnlyWhenNothingDiffersFromACreate() {
    assertInstanceOf(DataNode.FreshLeaf.class, DataNode.of(
        DATA, OPEN, Z, Z, 500, 500, 0, 0, 0, 7, Z, NONE));
    List<DataNode> changed = List.of(
        full(Z + 1, 500, 0, 0, 0, Z, NONE),
        full(Z, 501, 0, 0, 0, Z, NONE),
        full(Z, 500, 1, 0, 0, Z, NONE),
        full(Z, 500, 0, 1, 0, Z, NONE),
        full(Z, 500, 0, 0, 1, Z, NONE),
        full(Z, 500, 0, 0, -1, Z, NONE),
        full(Z, 500, 0, 0, 0, Z + 1, NONE),
        full(Z, 500, 0, 1, 0, Z, NONE.incl("/a")));
    for (DataNode n : changed) {
      DataNode picked = DataNode.of(n.data(), n.acl(), n.czxid(), n.mzxid(), n.ctime(),
          n.mtime(), n.version(), n.createCount(), n.aversion(), n.ephemeralOwner(), n.pzxid(),
          n.childPaths());
      assertInstanceOf(DataNode.Full.class, picked, n::toString);
      assertEquals(n.stat(), picked.stat());
      assertNotEquals(DataNode.create(DATA, OPEN, Z, 500, 7), picked);
    }
  }

  @Test
  void changesLeaveTheCompactFormAndKeepEveryOtherValue() {
    DataNode fresh = DataNode.create(DATA, OPEN, Z, 500, 7);
    byte[] newer = {9};

    DataNode set = fresh.withData(newer, 1, Z + 5, 900);
    assertInstanceOf(DataNode.Full.class, set);
    assertEquals(new Stat(Z, Z + 5, 500, 900, 1, 0, 0, 7, 1, 0, Z), set.stat());

    DataNode acl = fresh.withAcl(Acls.intern(Acl.READ_ACL_UNSAFE), 1);
    assertEquals(new Stat(Z, Z, 500, 500, 0, 0, 1, 7, 3, 0, Z), acl.stat());
    assertEquals(Acl.READ_ACL_UNSAFE, acl.acl());

    DataNode parent = fresh.withChildAdded("/p/c", 1, Z + 6);
    assertEquals(new Stat(Z, Z, 500, 500, 0, 1, 0, 7, 3, 1, Z + 6), parent.stat());
    DataNode emptied = parent.withChildRemoved("/p/c", Z + 8);
    assertInstanceOf(DataNode.Full.class, emptied);
    assertEquals(new Stat(Z, Z, 500, 500, 0, 2, 0, 7, 3, 0, Z + 8), emptied.stat());
  }
}
