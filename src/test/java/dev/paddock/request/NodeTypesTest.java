package dev.paddock.request;

import static dev.paddock.request.RequestPrepTest.create;
import static dev.paddock.request.RequestPrepTest.createTtl;
import static dev.paddock.request.RequestPrepTest.delete;
import static dev.paddock.request.RequestPrepTest.req;
import static dev.paddock.request.RequestPrepTest.setData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.EventType;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.RequestPrepTest.Client;
import dev.paddock.request.RequestPrepTest.Harness;
import dev.paddock.tree.Applied;
import dev.paddock.tree.NodeKind;
import dev.paddock.tree.PersistentColls;
import dev.paddock.txn.Txn;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each create mode: what is stored, how it is indexed, and what a session's end takes with it. */
class NodeTypesTest {
  private final Harness h = new Harness();
  private final Client alice = h.open(0x0100_0000_0000_0001L);
  private final Client bob = h.open(0x0100_0000_0000_0002L);

  private static Set<String> set(List<String> l) {
    return new HashSet<>(l);
  }

  @ParameterizedTest
  @EnumSource(CreateMode.class)
  void eachModeStoresTheOwnerZooKeeperWould(CreateMode mode) {
    Applied a = h.ok(alice, mode.isTtl() ? createTtl("/n", mode, 1234) : create("/n", mode));
    String path = a.result().path();
    assertEquals(mode.isSequential() ? "/n0000000000" : "/n", path);
    Txn.Create txn = (Txn.Create) a.entry().txn();
    long owner = h.tree.get(path).ephemeralOwner();
    assertEquals(txn.ephemeralOwner(), owner);
    NodeKind expectedKind;
    long expectedOwner;
    if (mode.isContainer()) {
      expectedKind = NodeKind.CONTAINER;
      expectedOwner = Long.MIN_VALUE;
    } else if (mode.isTtl()) {
      expectedKind = NodeKind.TTL;
      expectedOwner = 0xff00_0000_0000_04d2L;
    } else if (mode.isEphemeral()) {
      expectedKind = NodeKind.EPHEMERAL;
      expectedOwner = alice.session();
    } else {
      expectedKind = NodeKind.PERSISTENT;
      expectedOwner = 0;
    }
    assertEquals(expectedKind, h.tree.get(path).kind());
    assertEquals(expectedOwner, owner);
    assertEquals(mode.isEphemeral() ? List.of(path) : List.of(),
        h.tree.ephemeralsOf(alice.session()));
    assertEquals(mode.isContainer() ? List.of(path) : List.of(), h.tree.containers());
    assertEquals(mode.isTtl() ? List.of(path) : List.of(), h.tree.ttlNodes());
  }

  @Test
  void deletingRemovesNodesFromTheirIndex() {
    h.ok(alice, create("/e", CreateMode.EPHEMERAL));
    h.ok(alice, create("/c", CreateMode.CONTAINER));
    h.ok(alice, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, 5));
    h.ok(bob, delete("/e"));
    h.ok(bob, delete("/c"));
    h.ok(bob, delete("/t"));
    assertEquals(List.of(), h.tree.ephemeralsOf(alice.session()));
    assertEquals(List.of(), h.tree.containers());
    assertEquals(List.of(), h.tree.ttlNodes());
  }

  @Test
  void anotherSessionMayDeleteOrChangeAnEphemeral() {
    h.ok(alice, create("/e", CreateMode.EPHEMERAL));
    h.ok(bob, setData("/e", "b", 0));
    h.ok(bob, delete("/e", 1));
  }

  @Test
  void closeSessionRemovesExactlyThatSessionsEphemeralsAndFiresTheirEvents() {
    h.ok(alice, create("/p"));
    h.ok(alice, create("/p/a1", CreateMode.EPHEMERAL));
    h.ok(alice, create("/p/a-", CreateMode.EPHEMERAL_SEQUENTIAL));
    h.ok(alice, create("/a2", CreateMode.EPHEMERAL));
    h.ok(alice, create("/p/keep"));
    h.ok(alice, create("/p/c", CreateMode.CONTAINER));
    h.ok(bob, create("/p/b1", CreateMode.EPHEMERAL));
    assertEquals(Set.of("/p/a1", "/p/a-0000000001", "/a2"),
        set(h.tree.ephemeralsOf(alice.session())));
    int cversionBefore = h.stat("/p").cversion();

    Applied close = h.ok(alice, new Op.CloseSession());
    long z = h.lastZxid();

    assertFalse(h.exists("/p/a1"));
    assertFalse(h.exists("/p/a-0000000001"));
    assertFalse(h.exists("/a2"));
    assertTrue(h.exists("/p/keep"));
    assertTrue(h.exists("/p/c"));
    assertTrue(h.exists("/p/b1"));
    assertEquals(List.of(), h.tree.ephemeralsOf(alice.session()));
    assertEquals(List.of("/p/b1"), h.tree.ephemeralsOf(bob.session()));
    assertNull(PersistentColls.get(h.tree.sessions(), alice.session()));
    assertEquals(30_000, PersistentColls.get(h.tree.sessions(), bob.session()));
    assertEquals(cversionBefore + 2, h.stat("/p").cversion());
    assertEquals(z, h.stat("/p").pzxid());
    assertEquals(z, h.stat("/").pzxid());

    Comparator<WatchEvent> order =
        Comparator.comparing(WatchEvent::path).thenComparing(WatchEvent::type);
    List<WatchEvent> expected = new java.util.ArrayList<>(List.of(
        new WatchEvent(EventType.NODE_DELETED, "/p/a1", z),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/p", z),
        new WatchEvent(EventType.NODE_DELETED, "/p/a-0000000001", z),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/p", z),
        new WatchEvent(EventType.NODE_DELETED, "/a2", z),
        new WatchEvent(EventType.NODE_CHILDREN_CHANGED, "/", z)));
    List<WatchEvent> actual = new java.util.ArrayList<>(close.events());
    expected.sort(order);
    actual.sort(order);
    assertEquals(expected, actual);
  }

  @Test
  void closeSessionWithoutEphemeralsChangesOnlyTheSessionTable() {
    h.ok(alice, create("/p"));
    var nodesBefore = h.tree.snapshot().nodes();
    Applied close = h.ok(alice, new Op.CloseSession());
    assertEquals(List.of(), close.events());
    assertEquals(nodesBefore, h.tree.snapshot().nodes());
    assertEquals(1, h.tree.sessions().size());
  }

  @Test
  void closingAnUnknownSessionIsHarmless() {
    Client ghost = new Client(0x77L, List.of());
    long before = h.tree.digest();
    assertEquals(Code.OK, h.submit(ghost, new Op.CloseSession()).result().code());
    assertEquals(before, h.tree.digest());
  }

  @Test
  void ephemeralsOfASessionClosedInTheSameBatchAreRemovedAlongWithCommittedOnes() {
    h.ok(alice, create("/old", CreateMode.EPHEMERAL));
    List<Applied> r = h.submitPipelined(
        req(alice, create("/new", CreateMode.EPHEMERAL)),
        req(alice, delete("/old")),
        req(alice, create("/old", CreateMode.EPHEMERAL)),
        req(alice, new Op.CloseSession()),
        req(bob, create("/new", CreateMode.EPHEMERAL)),
        req(bob, create("/old", CreateMode.EPHEMERAL)));
    assertEquals(List.of(Code.OK, Code.OK, Code.OK, Code.OK, Code.OK, Code.OK),
        r.stream().map(a -> a.result().code()).toList());
    assertEquals(Set.of("/new", "/old"), set(h.tree.ephemeralsOf(bob.session())));
  }

  @Test
  void ttlOwnerEncodesTheTtlInTheLowFortyBits() {
    h.ok(alice, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, NodeKind.MAX_TTL));
    long owner = h.tree.get("/t").ephemeralOwner();
    assertEquals(0xff00_00ff_ffff_ffffL, owner);
    assertEquals(NodeKind.MAX_TTL, NodeKind.ttlOf(owner));
  }

  @Test
  void sequentialTtlNodesAreNumberedLikeOtherSequentialNodes() {
    h.ok(alice, create("/q"));
    h.ok(alice, createTtl("/q/t-", CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 10));
    h.ok(alice, createTtl("/q/t-", CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, 10));
    assertEquals(Set.of("/q/t-0000000000", "/q/t-0000000001"), set(h.tree.ttlNodes()));
  }
}
