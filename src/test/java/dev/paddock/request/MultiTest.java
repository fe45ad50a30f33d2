package dev.paddock.request;

import static dev.paddock.request.RequestPrepTest.OPEN;
import static dev.paddock.request.RequestPrepTest.check;
import static dev.paddock.request.RequestPrepTest.create;
import static dev.paddock.request.RequestPrepTest.delete;
import static dev.paddock.request.RequestPrepTest.multi;
import static dev.paddock.request.RequestPrepTest.req;
import static dev.paddock.request.RequestPrepTest.setAcl;
import static dev.paddock.request.RequestPrepTest.setData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.RequestPrepTest.Client;
import dev.paddock.request.RequestPrepTest.Harness;
import dev.paddock.tree.Applied;
import dev.paddock.tree.ApplyResult;
import dev.paddock.txn.Txn;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Multi: all or nothing, per-op results, and a failure that leaves nothing behind. */
class MultiTest {
  private final Harness h = new Harness();
  private final Client alice = h.open(0x100L);

  private static List<Code> opCodes(Applied a) {
    return a.result().multi().stream().map(ApplyResult::code).toList();
  }

  @Test
  void successfulMultiReturnsAResultPerOpAndFiresEveryEvent() {
    h.ok(alice, create("/a"));
    Applied a = h.ok(alice, multi(
        create("/m"),
        create("/m/s-", CreateMode.PERSISTENT_SEQUENTIAL),
        setData("/a", "v", 0),
        check("/a", 1),
        delete("/a", 1)));
    long z = h.lastZxid();
    assertEquals(List.of(Code.OK, Code.OK, Code.OK, Code.OK, Code.OK), opCodes(a));
    List<ApplyResult> rs = a.result().multi();
    assertEquals("/m", rs.get(0).path());
    assertEquals("/m/s-0000000000", rs.get(1).path());
    assertEquals(1, rs.get(2).stat().version());
    assertEquals("/a", rs.get(3).path());
    assertEquals(List.of(
        new WatchEvent(EventType.NODE_CREATED, "/m", z),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/", z),
        new WatchEvent(EventType.NODE_CREATED, "/m/s-0000000000", z),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/m", z),
        new WatchEvent(EventType.NODE_DATA_CHANGED, "/a", z),
        new WatchEvent(EventType.NODE_DELETED, "/a", z),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/", z)), a.events());
    assertFalse(h.exists("/a"));
  }

  @Test
  void failedMultiReportsOkBeforeTheFailureItsCodeAndInconsistencyAfter() {
    h.ok(alice, create("/a"));
    long before = h.tree.digest();
    Applied a = h.submit(alice, multi(
        create("/x"),
        setData("/a", "v", -1),
        check("/a", 3),
        create("/y"),
        delete("/a")));
    assertEquals(Code.BAD_VERSION, a.result().code(), "the multi reports its first error");
    assertEquals(
        List.of(Code.OK, Code.OK, Code.BAD_VERSION, Code.RUNTIME_INCONSISTENCY,
            Code.RUNTIME_INCONSISTENCY),
        opCodes(a));
    Txn.Multi logged = assertInstanceOf(Txn.Multi.class, a.entry().txn());
    assertTrue(logged.ops().stream().allMatch(t -> t instanceof Txn.Error),
        "a failed multi is logged as errors only, so no replica applies part of it");
    assertEquals(List.of(), a.events());
    assertEquals(before, h.tree.digest());
    assertFalse(h.exists("/x"));
    assertEquals(0, h.stat("/a").version());
  }

  @Test
  void firstOpFailingMarksEveryOtherOpInconsistent() {
    Applied a = h.submit(alice, multi(delete("/missing"), create("/x")));
    assertEquals(List.of(Code.NO_NODE, Code.RUNTIME_INCONSISTENCY), opCodes(a));
  }

  @Test
  void opsSeeTheEffectsOfEarlierOpsInTheSameMulti() {
    h.ok(alice, create("/a"));
    Applied a = h.ok(alice, multi(
        create("/n"), create("/n/c"), delete("/n/c"), delete("/n"), delete("/a"), create("/a"),
        setData("/a", "1", 0), setData("/a", "2", 1), check("/a", 2)));
    assertEquals(9, a.result().multi().size());
    assertFalse(h.exists("/n"));
    assertEquals(2, h.stat("/a").version());
  }

  @Test
  void laterOpFailingBecauseOfAnEarlierOneRollsBackTheEarlierOne() {
    Applied a = h.submit(alice, multi(create("/n"), create("/n")));
    assertEquals(List.of(Code.OK, Code.NODE_EXISTS), opCodes(a));
    assertFalse(h.exists("/n"));
    h.ok(alice, create("/n"));
  }

  /** ZOOKEEPER-1624: a failed multi must give back the sequence numbers it used. */
  @Test
  void failedMultiDoesNotConsumeSequenceNumbers() {
    h.ok(alice, create("/q"));
    Applied failed = h.submit(alice, multi(
        create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL),
        create("/q/s-", CreateMode.EPHEMERAL_SEQUENTIAL),
        create("/q/never/x")));
    assertEquals(List.of(Code.OK, Code.OK, Code.NO_NODE), opCodes(failed));
    assertEquals("/q/s-0000000000",
        h.ok(alice, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL)).result().path());
    assertEquals(1, h.stat("/q").cversion());
    assertEquals(h.lastZxid(), h.stat("/q").pzxid());
  }

  @Test
  void failedMultiRollbackKeepsChangesOfEarlierInFlightRequests() {
    h.ok(alice, create("/q"));
    List<Applied> r = h.submitPipelined(
        req(alice, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL)),
        req(alice, setData("/q", "1", 0)),
        req(alice, multi(
            create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL),
            setData("/q", "2", 1),
            check("/q", 0))),
        req(alice, create("/q/s-", CreateMode.PERSISTENT_SEQUENTIAL)),
        req(alice, setData("/q", "3", 1)));
    assertEquals(List.of(Code.OK, Code.OK, Code.BAD_VERSION, Code.OK, Code.OK),
        r.stream().map(x -> x.result().code()).toList());
    assertEquals("/q/s-0000000001", r.get(3).result().path());
    assertEquals(2, h.stat("/q").version());
  }

  @Test
  void emptyMultiSucceedsWithNoResults() {
    Applied a = h.ok(alice, multi());
    assertEquals(List.of(), a.result().multi());
    assertEquals(List.of(), a.events());
  }

  @Test
  void multiFromAnUnknownSessionFailsAtItsFirstOp() {
    Client stranger = new Client(0x999L, List.of());
    Applied a = h.submit(stranger, multi(create("/x"), create("/y")));
    assertEquals(List.of(Code.SESSION_EXPIRED, Code.RUNTIME_INCONSISTENCY), opCodes(a));
    assertFalse(h.exists("/x"));
  }

  @Test
  void opsThatZooKeeperDoesNotAllowInAMultiAreRefused() {
    h.ok(alice, create("/a"));
    for (Op.Write bad : List.<Op.Write>of(
        setAcl("/a", OPEN, -1), multi(create("/x")), new Op.CreateSession(1000),
        new Op.CloseSession())) {
      Applied a = h.submit(alice, multi(create("/ok"), bad));
      assertEquals(Code.BAD_ARGUMENTS, a.result().code(), () -> "for " + bad);
      assertEquals(List.of(Code.OK, Code.BAD_ARGUMENTS), opCodes(a));
      assertFalse(h.exists("/ok"));
    }
    assertTrue(h.exists("/a"));
    assertEquals(30_000,
        dev.paddock.tree.PersistentColls.get(h.tree.sessions(), alice.session()),
        "a refused close inside a multi must not end the session");
  }

  @Test
  void refusedMultiStillNeedsOneZxidOnly() {
    long before = h.lastZxid();
    Applied a = h.submit(alice, multi(create("/x"), create("/x/y"), delete("/nope")));
    assertEquals(before + 1, a.entry().zxid());
    assertNull(h.tree.get("/x"));
  }
}
