package dev.paddock.request;

import static dev.paddock.request.RequestPrepTest.OPEN;
import static dev.paddock.request.RequestPrepTest.bytes;
import static dev.paddock.request.RequestPrepTest.create;
import static dev.paddock.request.RequestPrepTest.createTtl;
import static dev.paddock.request.RequestPrepTest.delete;
import static dev.paddock.request.RequestPrepTest.multi;
import static dev.paddock.request.RequestPrepTest.setAcl;
import static dev.paddock.request.RequestPrepTest.setData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.api.Stat;
import dev.paddock.request.RequestPrepTest.Client;
import dev.paddock.request.RequestPrepTest.Harness;
import dev.paddock.tree.Applied;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every Stat field, value by value, after each kind of change, as ZooKeeper reports them. */
class StatTest {
  private final Harness h = new Harness();
  private final Client alice = h.open(0x1234_5678_9abcL);

  /** Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, owner, dataLength, numChildren, pzxid). */
  private static Stat stat(long czxid, long mzxid, long ctime, long mtime, int version,
      int cversion, int aversion, long owner, int dataLength, int numChildren, long pzxid) {
    return new Stat(czxid, mzxid, ctime, mtime, version, cversion, aversion, owner, dataLength,
        numChildren, pzxid);
  }

  @Test
  void freshTreeHasZooKeepersSystemNodesWithTheirStats() {
    Harness fresh = new Harness();
    // Root lists /zookeeper without having created it, so its cversion starts at -1 (and -2 for
    // /zookeeper with two children): ZooKeeper derives cversion as 2 * creates - children.
    assertEquals(stat(0, 0, 0, 0, 0, -1, 0, 0, 0, 1, 0), fresh.stat("/"));
    assertEquals(stat(0, 0, 0, 0, 0, -2, 0, 0, 0, 2, 0), fresh.stat("/zookeeper"));
    assertEquals(stat(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), fresh.stat("/zookeeper/quota"));
    assertEquals(stat(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0), fresh.stat("/zookeeper/config"));
    assertEquals(Acl.READ_ACL_UNSAFE, fresh.tree.get("/zookeeper/config").acl());
    assertEquals(OPEN, fresh.tree.get("/").acl());
    assertEquals(OPEN, fresh.tree.get("/zookeeper").acl());
    assertEquals(OPEN, fresh.tree.get("/zookeeper/quota").acl());
    assertEquals(4, fresh.tree.nodeCount());
    assertArrayEquals(new byte[0], fresh.tree.get("/").data());
  }

  @Test
  void createSetsEveryField() {
    Applied a = h.ok(alice, create("/a", bytes("hello"), OPEN, CreateMode.PERSISTENT));
    long z = h.lastZxid();
    long t = h.lastTime();
    Stat expected = stat(z, z, t, t, 0, 0, 0, 0, 5, 0, z);
    assertEquals(expected, h.stat("/a"));
    assertEquals(expected, a.result().stat(), "the reply carries the new node's Stat");
  }

  @Test
  void ephemeralShowsItsOwningSession() {
    h.ok(alice, create("/e", CreateMode.EPHEMERAL));
    assertEquals(0x1234_5678_9abcL, h.stat("/e").ephemeralOwner());
    h.ok(alice, create("/s-", CreateMode.EPHEMERAL_SEQUENTIAL));
    assertEquals(0x1234_5678_9abcL, h.stat("/s-0000000001").ephemeralOwner());
  }

  @Test
  void containerAndTtlNodesShowNoOwner() {
    h.ok(alice, create("/c", CreateMode.CONTAINER));
    h.ok(alice, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, 60_000));
    h.ok(alice, createTtl("/ts-", CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 60_000));
    assertEquals(0, h.stat("/c").ephemeralOwner());
    assertEquals(0, h.stat("/t").ephemeralOwner());
    assertEquals(0, h.stat("/ts-0000000002").ephemeralOwner());
  }

  @Test
  void nullAndEmptyDataBothHaveLengthZeroButStayDistinct() {
    h.ok(alice, create("/null", null, OPEN, CreateMode.PERSISTENT));
    h.ok(alice, create("/empty", new byte[0], OPEN, CreateMode.PERSISTENT));
    assertEquals(0, h.stat("/null").dataLength());
    assertEquals(0, h.stat("/empty").dataLength());
    assertNull(h.tree.get("/null").data());
    assertArrayEquals(new byte[0], h.tree.get("/empty").data());
    h.ok(alice, new Op.SetData("/empty", null, -1));
    assertNull(h.tree.get("/empty").data());
    h.ok(alice, new Op.SetData("/null", new byte[0], -1));
    assertNotNull(h.tree.get("/null").data());
  }

  @Test
  void setDataMovesMzxidMtimeVersionAndLengthOnly() {
    h.ok(alice, create("/a", bytes("x"), OPEN, CreateMode.PERSISTENT));
    long cz = h.lastZxid();
    long ct = h.lastTime();
    Applied a = h.ok(alice, setData("/a", "longer", 0));
    long z = h.lastZxid();
    long t = h.lastTime();
    Stat expected = stat(cz, z, ct, t, 1, 0, 0, 0, 6, 0, cz);
    assertEquals(expected, h.stat("/a"));
    assertEquals(expected, a.result().stat());
    h.ok(alice, setData("/a", "longer", 1));
    assertEquals(2, h.stat("/a").version(), "unchanged data still counts as a change");
  }

  @Test
  void setAclMovesOnlyTheAversion() {
    h.ok(alice, create("/a", bytes("x"), OPEN, CreateMode.PERSISTENT));
    long cz = h.lastZxid();
    long ct = h.lastTime();
    List<Acl> readOnly = List.of(new Acl(Perms.READ | Perms.ADMIN, Id.ANYONE));
    Applied a = h.ok(alice, setAcl("/a", readOnly, 0));
    Stat expected = stat(cz, cz, ct, ct, 0, 0, 1, 0, 1, 0, cz);
    assertEquals(expected, h.stat("/a"));
    assertEquals(expected, a.result().stat());
    assertEquals(readOnly, h.tree.get("/a").acl());
  }

  @Test
  void childCreateAndDeleteMoveTheParentsCversionPzxidAndNumChildren() {
    h.ok(alice, create("/p", bytes("x"), OPEN, CreateMode.PERSISTENT));
    long pz = h.lastZxid();
    long pt = h.lastTime();
    h.ok(alice, create("/p/a"));
    long z1 = h.lastZxid();
    assertEquals(stat(pz, pz, pt, pt, 0, 1, 0, 0, 1, 1, z1), h.stat("/p"));
    h.ok(alice, create("/p/b"));
    long z2 = h.lastZxid();
    assertEquals(stat(pz, pz, pt, pt, 0, 2, 0, 0, 1, 2, z2), h.stat("/p"));
    h.ok(alice, delete("/p/a"));
    long z3 = h.lastZxid();
    assertEquals(stat(pz, pz, pt, pt, 0, 3, 0, 0, 1, 1, z3), h.stat("/p"));
    h.ok(alice, setData("/p/b", "y", 0));
    assertEquals(z3, h.stat("/p").pzxid(), "a child's data change is not a child-list change");
    assertEquals(3, h.stat("/p").cversion());
    h.ok(alice, create("/p/b/deep"));
    assertEquals(z3, h.stat("/p").pzxid(), "grandchildren do not move the grandparent");
    h.ok(alice, delete("/p/b/deep"));
    h.ok(alice, delete("/p/b"));
    long z4 = h.lastZxid();
    assertEquals(stat(pz, pz, pt, pt, 0, 4, 0, 0, 1, 0, z4), h.stat("/p"));
  }

  @Test
  void rootCversionCountsFromMinusOne() {
    h.ok(alice, create("/a"));
    assertEquals(0, h.stat("/").cversion());
    assertEquals(2, h.stat("/").numChildren());
    h.ok(alice, delete("/a"));
    assertEquals(1, h.stat("/").cversion());
    assertEquals(h.lastZxid(), h.stat("/").pzxid());
  }

  @Test
  void sequentialSuffixCountsEveryChildCreateIncludingDeletedAndNonSequentialOnes() {
    h.ok(alice, create("/q"));
    h.ok(alice, create("/q/plain"));
    h.ok(alice, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL));
    h.ok(alice, delete("/q/s-0000000001"));
    h.ok(alice, delete("/q/plain"));
    Applied a = h.ok(alice, create("/q/s-", CreateMode.EPHEMERAL_SEQUENTIAL));
    assertEquals("/q/s-0000000002", a.result().path());
    assertEquals(2 * 3 - 1, h.stat("/q").cversion());
  }

  @Test
  void sequentialNamesUseTenDigitsWithoutATrailingName() {
    h.ok(alice, create("/q"));
    assertEquals("/q/0000000000",
        h.ok(alice, create("/q/", CreateMode.PERSISTENT_SEQUENTIAL)).result().path());
    assertEquals("/0000000001",
        h.ok(alice, create("/", CreateMode.PERSISTENT_SEQUENTIAL)).result().path());
  }

  @Test
  void multiOpsShareOneZxidAndTime() {
    h.ok(alice, multi(create("/m"), create("/m/c"), setData("/m", "v", 0)));
    long z = h.lastZxid();
    long t = h.lastTime();
    assertEquals(stat(z, z, t, t, 1, 1, 0, 0, 1, 1, z), h.stat("/m"));
    assertEquals(stat(z, z, t, t, 0, 0, 0, 0, 1, 0, z), h.stat("/m/c"));
  }

  @Test
  void errorTxnsStillUseUpAZxidButChangeNothing() {
    h.ok(alice, create("/a"));
    Stat before = h.stat("/a");
    long z = h.lastZxid();
    h.fails(alice, create("/a"), dev.paddock.api.Code.NODE_EXISTS);
    assertEquals(z + 1, h.tree.lastZxid());
    assertEquals(before, h.stat("/a"));
  }

  @Test
  void deleteAndRecreateResetsEverythingButTheParentCounters() {
    h.ok(alice, create("/a", bytes("one"), OPEN, CreateMode.PERSISTENT));
    h.ok(alice, setData("/a", "two", 0));
    h.ok(alice, setAcl("/a", OPEN, 0));
    h.ok(alice, delete("/a"));
    h.ok(alice, create("/a", bytes("3"), OPEN, CreateMode.PERSISTENT));
    long z = h.lastZxid();
    long t = h.lastTime();
    assertEquals(stat(z, z, t, t, 0, 0, 0, 0, 1, 0, z), h.stat("/a"));
  }
}
