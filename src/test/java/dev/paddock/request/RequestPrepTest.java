package dev.paddock.request;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.tree.Acls;
import dev.paddock.tree.Applied;
import dev.paddock.tree.ApplyResult;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnCodec;
import dev.paddock.txn.TxnEntry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * The leader's preparer against changes still in flight. Every test prepares several writes before
 * applying any, which is where ZooKeeper's outstanding-changes logic matters; the expected results
 * are what the same requests give when each is applied before the next is prepared.
 */
public class RequestPrepTest {

  /** A connected client: its session id and the identities it authenticated with. */
  public record Client(long session, List<Id> auth) {
    public Client {
      auth = List.copyOf(auth);
    }
  }

  /** One request of a pipelined batch. */
  public record Req(Client client, Op.Write op) {}

  /**
   * Owns a committed tree and the preparer in front of it, numbering zxids and clock readings the
   * way a leader does: one zxid per prepared request, error txns included.
   */
  public static final class Harness {
    public static final int DEFAULT_MAX_DATA = 1024 * 1024;
    public static final long TIME_STEP = 10;

    public final DataTree tree = new DataTree();
    public final RequestPrep prep;
    public final List<TxnEntry> log = new ArrayList<>();
    private long zxid;
    private long time = 1_000_000L;
    private int cxid;

    public Harness() {
      this(DEFAULT_MAX_DATA);
    }

    public Harness(int maxDataBytes) {
      prep = new RequestPrep(tree.snapshot(), maxDataBytes);
    }

    public long lastZxid() {
      return zxid;
    }

    public long lastTime() {
      return time;
    }

    public TxnEntry prepare(Client c, Op.Write op) {
      zxid++;
      time += TIME_STEP;
      return prep.prepare(new WriteRequest(c.session(), ++cxid, op, c.auth()), zxid, time);
    }

    public Applied apply(TxnEntry e) {
      Applied a = tree.apply(e);
      log.add(e);
      prep.committed(tree.snapshot());
      return a;
    }

    /** Prepares and applies at once: the reference behaviour without pipelining. */
    public Applied submit(Client c, Op.Write op) {
      return apply(prepare(c, op));
    }

    /** Prepares every request before applying the first. */
    public List<Applied> submitPipelined(Req... reqs) {
      List<TxnEntry> prepared = new ArrayList<>();
      for (Req r : reqs) {
        prepared.add(prepare(r.client(), r.op()));
      }
      List<Applied> out = new ArrayList<>();
      for (TxnEntry e : prepared) {
        out.add(apply(e));
      }
      return out;
    }

    public Client open(long session, Id... auth) {
      Client c = new Client(session, List.of(auth));
      ok(c, new Op.CreateSession(30_000));
      return c;
    }

    public Applied ok(Client c, Op.Write op) {
      Applied a = submit(c, op);
      assertEquals(Code.OK, a.result().code(), () -> "expected OK for " + op + ": " + a.result());
      return a;
    }

    /** Asserts the request fails with {@code code} as a logged error txn that changes nothing. */
    public Applied fails(Client c, Op.Write op, Code code) {
      long before = tree.digest();
      int nodes = tree.nodeCount();
      Applied a = submit(c, op);
      assertEquals(code, a.result().code(), () -> "for " + op);
      assertEquals(new Txn.Error(code), a.entry().txn(), "a refused request is logged as an error");
      assertEquals(List.of(), a.events());
      assertEquals(before, tree.digest(), "a refused request must not change the tree");
      assertEquals(nodes, tree.nodeCount());
      return a;
    }

    public Stat stat(String path) {
      DataNode n = tree.get(path);
      assertNotNull(n, () -> path + " should exist");
      return n.stat();
    }

    public boolean exists(String path) {
      return tree.get(path) != null;
    }

    public Set<String> children(String path) {
      return new TreeSet<>(tree.get(path).childNames());
    }
  }

  // ---- op shorthands shared by the request tests ----

  public static final List<Acl> OPEN = Acl.OPEN_ACL_UNSAFE;

  public static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static Op.Create create(String path) {
    return new Op.Create(path, bytes("d"), OPEN, CreateMode.PERSISTENT);
  }

  public static Op.Create create(String path, CreateMode mode) {
    return new Op.Create(path, bytes("d"), OPEN, mode);
  }

  public static Op.Create create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
    return new Op.Create(path, data, acl, mode);
  }

  public static Op.Create createTtl(String path, CreateMode mode, long ttl) {
    return new Op.Create(path, bytes("d"), OPEN, mode, ttl);
  }

  public static Op.Delete delete(String path) {
    return new Op.Delete(path, -1);
  }

  public static Op.Delete delete(String path, int version) {
    return new Op.Delete(path, version);
  }

  public static Op.SetData setData(String path, String data, int version) {
    return new Op.SetData(path, bytes(data), version);
  }

  public static Op.SetAcl setAcl(String path, List<Acl> acl, int version) {
    return new Op.SetAcl(path, acl, version);
  }

  public static Op.Check check(String path, int version) {
    return new Op.Check(path, version);
  }

  public static Op.Multi multi(Op.Write... ops) {
    return new Op.Multi(List.of(ops));
  }

  public static Id digest(String userPassword) {
    return new Id(Acls.DIGEST, Acls.digestId(userPassword));
  }

  public static Req req(Client c, Op.Write op) {
    return new Req(c, op);
  }

  private static List<Code> codes(List<Applied> applied) {
    return applied.stream().map(a -> a.result().code()).toList();
  }

  // ---- tests ----

  private final Harness h = new Harness();
  private final Client alice = h.open(0x100L);
  private final Client bob = h.open(0x200L);

  @Test
  void childCreatePreparedBeforeItsParentIsAppliedSeesTheParent() {
    List<Applied> r = h.submitPipelined(req(alice, create("/a")), req(alice, create("/a/b")));
    assertEquals(List.of(Code.OK, Code.OK), codes(r));
    assertEquals(Set.of("b"), h.children("/a"));
  }

  @Test
  void pipelinedSequentialCreatesGetConsecutiveNames() {
    h.ok(alice, create("/q"));
    List<Applied> r = h.submitPipelined(
        req(alice, create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL)),
        req(bob, create("/q/n-", CreateMode.EPHEMERAL_SEQUENTIAL)),
        req(alice, create("/q/n-", CreateMode.PERSISTENT_SEQUENTIAL)));
    assertEquals(
        List.of("/q/n-0000000000", "/q/n-0000000001", "/q/n-0000000002"),
        r.stream().map(a -> a.result().path()).toList());
  }

  @Test
  void deleteThenCreateOfTheSamePathPipelinedBothSucceed() {
    h.ok(alice, create("/a"));
    List<Applied> r = h.submitPipelined(req(alice, delete("/a", 0)), req(bob, create("/a")));
    assertEquals(List.of(Code.OK, Code.OK), codes(r));
    assertEquals(h.lastZxid(), h.stat("/a").czxid(), "the node is the re-created one");
  }

  @Test
  void pipelinedDuplicateCreateAndDeleteOfNonEmptyParentAreRefused() {
    List<Applied> r = h.submitPipelined(
        req(alice, create("/a")),
        req(bob, create("/a")),
        req(alice, create("/a/b")),
        req(bob, delete("/a")),
        req(alice, delete("/a/b", 0)),
        req(bob, delete("/a", 0)));
    assertEquals(
        List.of(Code.OK, Code.NODE_EXISTS, Code.OK, Code.NOT_EMPTY, Code.OK, Code.OK), codes(r));
    assertTrue(!h.exists("/a"));
  }

  @Test
  void pipelinedVersionChecksSeeEarlierInFlightWrites() {
    h.ok(alice, create("/v"));
    List<Applied> r = h.submitPipelined(
        req(alice, setData("/v", "1", 0)),
        req(bob, setData("/v", "2", 1)),
        req(alice, setData("/v", "x", 1)),
        req(alice, setAcl("/v", OPEN, 0)),
        req(bob, setAcl("/v", OPEN, 0)),
        req(bob, check("/v", 2)));
    assertEquals(
        List.of(Code.OK, Code.OK, Code.BAD_VERSION, Code.OK, Code.BAD_VERSION, Code.OK), codes(r));
    assertEquals(2, h.stat("/v").version());
    assertEquals(1, h.stat("/v").aversion());
  }

  @Test
  void sessionOpenedInTheSameBatchCanWriteAndClosedOneCannot() {
    Client carol = new Client(0x300L, List.of());
    List<Applied> r = h.submitPipelined(
        req(carol, create("/early")),
        req(carol, new Op.CreateSession(10_000)),
        req(carol, create("/c", CreateMode.EPHEMERAL)),
        req(carol, new Op.CloseSession()),
        req(carol, create("/late")));
    assertEquals(
        List.of(Code.SESSION_EXPIRED, Code.OK, Code.OK, Code.OK, Code.SESSION_EXPIRED), codes(r));
    assertTrue(!h.exists("/c"), "the ephemeral created in flight goes with its session");
    assertNull(PersistentColls.get(h.tree.sessions(), 0x300L));
  }

  @Test
  void closeSessionSeesEphemeralsStillInFlightSoTheirPathIsFreeAgain() {
    List<Applied> r = h.submitPipelined(
        req(alice, create("/e", CreateMode.EPHEMERAL)),
        req(alice, new Op.CloseSession()),
        req(bob, create("/e", CreateMode.EPHEMERAL)));
    assertEquals(List.of(Code.OK, Code.OK, Code.OK), codes(r));
    assertEquals(bob.session(), h.stat("/e").ephemeralOwner());
    assertEquals(List.of("/e"), h.tree.ephemeralsOf(bob.session()));
  }

  /**
   * A committed ephemeral of one session that another session deleted and re-created while both
   * writes are still in flight now belongs to the other session: closing the first session must
   * leave it alone, or the preparer's view and the tree disagree and later writes go wrong.
   */
  @Test
  void closeSessionLeavesAnEphemeralThatAnotherSessionRecreatedInFlight() {
    h.ok(alice, create("/e", CreateMode.EPHEMERAL));
    List<Applied> r = h.submitPipelined(
        req(alice, delete("/e")),
        req(bob, create("/e", CreateMode.EPHEMERAL)),
        req(alice, new Op.CloseSession()),
        req(bob, setData("/e", "still mine", 0)),
        req(bob, create("/e", CreateMode.EPHEMERAL)));
    assertEquals(List.of(Code.OK, Code.OK, Code.OK, Code.OK, Code.NODE_EXISTS), codes(r));
    assertEquals(bob.session(), h.stat("/e").ephemeralOwner());
    assertEquals(1, h.stat("/e").version());
  }

  /**
   * The parent of an ephemeral whose session close is in flight is already empty for requests
   * ordered after the close. ZooKeeper 3.9.5 says NOT_EMPTY until the close is applied (its
   * pending records for a close do not lower the parents' child counts), and OK afterwards; this
   * preparer always gives the answer the request order implies.
   */
  @Test
  void parentOfAnEphemeralIsEmptyRightAfterItsSessionCloseIsPrepared() {
    h.ok(bob, create("/p"));
    h.ok(alice, create("/p/e", CreateMode.EPHEMERAL));
    List<Applied> r = h.submitPipelined(
        req(alice, new Op.CloseSession()), req(bob, delete("/p", 0)));
    assertEquals(List.of(Code.OK, Code.OK), codes(r));
    assertTrue(!h.exists("/p"));
  }

  @Test
  void preparerForgetsChangesOnceTheyAreCommitted() {
    List<TxnEntry> prepared = new ArrayList<>();
    prepared.add(h.prepare(alice, create("/a")));
    prepared.add(h.prepare(alice, create("/a/b")));
    prepared.add(h.prepare(alice, setData("/a", "x", 0)));
    assertTrue(h.prep.inFlightChanges() > 0);
    for (TxnEntry e : prepared) {
      assertEquals(Code.OK, h.apply(e).result().code());
    }
    assertEquals(0, h.prep.inFlightChanges(), "everything prepared has been applied");
  }

  @Test
  void interleavedPrepareAndApplyGiveTheSameResultsAsOneByOne() {
    // Apply part of the batch between prepares, as the leader does when commits arrive.
    TxnEntry a = h.prepare(alice, create("/a"));
    TxnEntry b = h.prepare(alice, create("/a/b", CreateMode.PERSISTENT_SEQUENTIAL));
    h.apply(a);
    TxnEntry c = h.prepare(bob, create("/a/b", CreateMode.PERSISTENT_SEQUENTIAL));
    TxnEntry d = h.prepare(bob, delete("/a", 0));
    h.apply(b);
    TxnEntry e = h.prepare(bob, setData("/a", "z", 0));
    assertEquals(Code.OK, h.apply(c).result().code());
    assertEquals(Code.NOT_EMPTY, h.apply(d).result().code());
    assertEquals(Code.OK, h.apply(e).result().code());
    assertEquals(Set.of("b0000000000", "b0000000001"), h.children("/a"));
  }

  @Test
  void anOlderCommittedSnapshotDoesNotRewindTheView() {
    TreeSnapshot old = h.tree.snapshot();
    h.ok(alice, create("/a"));
    h.prep.committed(old);
    h.fails(bob, create("/a"), Code.NODE_EXISTS);
  }

  @Test
  void failedMultiLeavesNoTraceForLaterPipelinedRequests() {
    h.ok(alice, create("/q"));
    List<Applied> r = h.submitPipelined(
        req(alice, multi(
            create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL),
            create("/x"),
            create("/missing/y"))),
        req(bob, create("/x")),
        req(bob, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL)));
    assertEquals(List.of(Code.NO_NODE, Code.OK, Code.OK), codes(r));
    assertEquals("/q/s-0000000000", r.get(2).result().path(),
        "the failed multi's sequential create must not use up a number (ZOOKEEPER-1624)");
    assertEquals(1, h.stat("/q").cversion());
  }

  @Test
  void pipelinedAndOneByOnePreparationProduceIdenticalTxns() {
    Harness oneByOne = new Harness();
    Client a2 = oneByOne.open(0x100L);
    Client b2 = oneByOne.open(0x200L);
    List<Req> batch = List.of(
        req(alice, create("/p")),
        req(alice, create("/p/e-", CreateMode.EPHEMERAL_SEQUENTIAL)),
        req(bob, create("/p/c", CreateMode.CONTAINER)),
        req(bob, createTtl("/p/t", CreateMode.PERSISTENT_WITH_TTL, 5_000)),
        req(alice, setData("/p", "new", 0)),
        req(bob, multi(create("/p/c/x"), delete("/p/c/x"), check("/p", 1))),
        req(alice, new Op.CloseSession()),
        req(bob, delete("/p/e-0000000000")));
    List<Applied> pipelined = h.submitPipelined(batch.toArray(Req[]::new));
    List<Applied> sequential = new ArrayList<>();
    for (Req r : batch) {
      Client c = r.client().session() == alice.session() ? a2 : b2;
      sequential.add(oneByOne.submit(c, r.op()));
    }
    for (int i = 0; i < batch.size(); i++) {
      assertArrayEquals(
          TxnCodec.toBytes(sequential.get(i).entry()),
          TxnCodec.toBytes(pipelined.get(i).entry()),
          "txn " + i + " " + batch.get(i).op());
    }
    assertEquals(oneByOne.tree.digest(), h.tree.digest());
    assertEquals(Code.NO_NODE, pipelined.get(7).result().code(), "the close removed it first");
  }

  @Test
  void harnessFailsHelperDetectsAnUnexpectedCode() {
    // The helper that most tests rely on must itself be able to fail.
    h.ok(alice, create("/a"));
    assertThrows(AssertionFailedError.class, () -> h.fails(alice, create("/b"), Code.NO_NODE));
  }

  @Test
  void createAppliesTheTxnThePreparerDecided() {
    TxnEntry e = h.prepare(alice, create("/a", bytes("v"), OPEN, CreateMode.EPHEMERAL));
    Txn.Create t = assertInstanceOf(Txn.Create.class, e.txn());
    assertEquals("/a", t.path());
    assertArrayEquals(bytes("v"), t.data());
    assertEquals(OPEN, t.acl());
    assertEquals(alice.session(), t.ephemeralOwner());
    assertEquals(1, t.parentCVersion(), "root had created only /zookeeper before");
    assertEquals(alice.session(), e.sessionId());
    assertEquals(h.lastZxid(), e.zxid());
    assertEquals(h.lastTime(), e.time());
    Applied a = h.apply(e);
    assertEquals(
        List.of(new WatchEvent(EventType.NODE_CREATED, "/a", e.zxid()),
            new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/", e.zxid())),
        a.events());
    ApplyResult res = a.result();
    assertEquals("/a", res.path());
    assertEquals(h.stat("/a"), res.stat());
  }

  @Test
  void opsCarryTheirPermissionBitsAsZooKeeperDefinesThem() {
    // Guards the constants the ACL tests lean on against accidental edits.
    assertEquals(List.of(1, 2, 4, 8, 16, 31),
        Arrays.asList(Perms.READ, Perms.WRITE, Perms.CREATE, Perms.DELETE, Perms.ADMIN, Perms.ALL));
  }
}
