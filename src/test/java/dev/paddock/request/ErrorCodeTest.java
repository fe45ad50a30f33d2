package dev.paddock.request;

import static dev.paddock.request.RequestPrepTest.OPEN;
import static dev.paddock.request.RequestPrepTest.bytes;
import static dev.paddock.request.RequestPrepTest.check;
import static dev.paddock.request.RequestPrepTest.create;
import static dev.paddock.request.RequestPrepTest.createTtl;
import static dev.paddock.request.RequestPrepTest.delete;
import static dev.paddock.request.RequestPrepTest.setAcl;
import static dev.paddock.request.RequestPrepTest.setData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Id;
import dev.paddock.api.Perms;
import dev.paddock.request.RequestPrepTest.Client;
import dev.paddock.request.RequestPrepTest.Harness;
import dev.paddock.tree.NodeKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every error a write can get, and which one wins when several apply: the preparer checks in the
 * order ZooKeeper's PrepRequestProcessor does, so a client sees the same code for the same request.
 */
class ErrorCodeTest {
  private static final List<Acl> READ_ONLY = List.of(new Acl(Perms.READ, Id.ANYONE));
  private static final List<Acl> NOTHING = List.of(new Acl(0, Id.ANYONE));

  private final Harness h = new Harness(100);
  private final Client alice = h.open(0x100L);
  private final Client stranger = new Client(0x999L, List.of());

  private static List<Acl> allBut(int perm) {
    return List.of(new Acl(Perms.ALL & ~perm, Id.ANYONE));
  }

  // ---- create ----

  @Test
  void createFailsWithNoNodeWhenTheParentIsMissing() {
    h.fails(alice, create("/missing/child"), Code.NO_NODE);
  }

  @Test
  void createFailsWithNodeExistsForAnExistingPathAndForTheRoot() {
    h.ok(alice, create("/a"));
    h.fails(alice, create("/a"), Code.NODE_EXISTS);
    h.fails(alice, create("/"), Code.NODE_EXISTS);
    h.fails(alice, create("/zookeeper"), Code.NODE_EXISTS);
  }

  @Test
  void createUnderAnEphemeralFailsForEveryMode() {
    h.ok(alice, create("/e", CreateMode.EPHEMERAL));
    for (CreateMode m : CreateMode.values()) {
      Op.Create op = m.isTtl() ? createTtl("/e/c", m, 1000) : create("/e/c", m);
      h.fails(alice, op, Code.NO_CHILDREN_FOR_EPHEMERALS);
    }
  }

  @Test
  void childrenAreAllowedUnderContainerAndTtlNodes() {
    h.ok(alice, create("/c", CreateMode.CONTAINER));
    h.ok(alice, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, 1000));
    h.ok(alice, create("/c/x", CreateMode.EPHEMERAL));
    h.ok(alice, create("/t/x", CreateMode.EPHEMERAL));
  }

  @ParameterizedTest
  @ValueSource(strings = {"no-slash", "", "/a\u0000b"})
  void createRejectsPathsWithoutSlashOrWithNul(String path) {
    h.fails(alice, create(path), Code.BAD_ARGUMENTS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/a/", "/a/.", "/a/..", "/a/b\u0001", "/a/b\u007f", "/a/\ud800", "//x"})
  void createRejectsInvalidNamesOnceTheParentIsKnown(String path) {
    h.ok(alice, create("/a"));
    h.fails(alice, create(path), Code.BAD_ARGUMENTS);
  }

  @Test
  void sequentialCreateMayEndInASlashBecauseTheSuffixCompletesTheName() {
    h.ok(alice, create("/a"));
    assertEquals("/a/0000000000",
        h.ok(alice, create("/a/", CreateMode.PERSISTENT_SEQUENTIAL)).result().path());
  }

  @Test
  void createChecksTheParentBeforeTheNameItself() {
    // ZooKeeper looks the parent up before validating the full path, so "/missing/." is NO_NODE.
    h.fails(alice, create("/missing/."), Code.NO_NODE);
  }

  @Test
  void createWithoutCreatePermissionOnTheParentFailsWithNoAuth() {
    h.ok(alice, create("/ro", bytes("x"), READ_ONLY, CreateMode.PERSISTENT));
    h.fails(alice, create("/ro/c"), Code.NO_AUTH);
  }

  @Test
  void noAuthWinsOverInvalidNameAndOverNodeExists() {
    h.ok(alice, create("/p"));
    h.ok(alice, create("/p/c"));
    h.ok(alice, setAcl("/p", allBut(Perms.CREATE), -1));
    h.fails(alice, create("/p/."), Code.NO_AUTH);
    h.fails(alice, create("/p/c"), Code.NO_AUTH);
  }

  @Test
  void invalidAclWinsOverNoNodeAndNoAuth() {
    h.ok(alice, create("/ro", bytes("x"), READ_ONLY, CreateMode.PERSISTENT));
    h.fails(alice, create("/missing/c", bytes("x"), List.of(), CreateMode.PERSISTENT),
        Code.INVALID_ACL);
    h.fails(alice, create("/ro/c", bytes("x"), List.of(), CreateMode.PERSISTENT), Code.INVALID_ACL);
  }

  @Test
  void badPathWinsOverInvalidAcl() {
    h.fails(alice, create("nope", bytes("x"), List.of(), CreateMode.PERSISTENT),
        Code.BAD_ARGUMENTS);
  }

  @Test
  void sessionExpiredWinsOverBadPathButNotOverBadTtl() {
    h.fails(stranger, create("nope"), Code.SESSION_EXPIRED);
    h.fails(stranger, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, 0), Code.BAD_ARGUMENTS);
  }

  @Test
  void createWithoutAModeIsABadArgument() {
    h.fails(alice, new Op.Create("/a", bytes("x"), OPEN, null), Code.BAD_ARGUMENTS);
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, -5, NodeKind.MAX_TTL + 1, Long.MAX_VALUE, Long.MIN_VALUE})
  void ttlModesRejectTtlsOutsideTheFortyBitRange(long ttl) {
    h.fails(alice, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, ttl), Code.BAD_ARGUMENTS);
    h.fails(alice, createTtl("/t", CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL, ttl),
        Code.BAD_ARGUMENTS);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 1000, NodeKind.MAX_TTL})
  void ttlModesAcceptTtlsInRange(long ttl) {
    h.ok(alice, createTtl("/t", CreateMode.PERSISTENT_WITH_TTL, ttl));
    assertEquals(NodeKind.TTL, h.tree.get("/t").kind());
    assertEquals(ttl, NodeKind.ttlOf(h.tree.get("/t").ephemeralOwner()));
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 1, 1000})
  void nonTtlModesRejectAnyTtl(long ttl) {
    for (CreateMode m : CreateMode.values()) {
      if (!m.isTtl()) {
        h.fails(alice, createTtl("/x", m, ttl), Code.BAD_ARGUMENTS);
      }
    }
  }

  @Test
  void nonTtlModesAcceptTheNoTtlMarker() {
    h.ok(alice, createTtl("/x", CreateMode.PERSISTENT, -1));
  }

  @Test
  void dataLargerThanTheLimitIsABadArgument() {
    h.ok(alice, new Op.Create("/max", new byte[100], OPEN, CreateMode.PERSISTENT));
    h.fails(alice, new Op.Create("/big", new byte[101], OPEN, CreateMode.PERSISTENT),
        Code.BAD_ARGUMENTS);
    h.fails(alice, new Op.SetData("/max", new byte[101], -1), Code.BAD_ARGUMENTS);
    h.ok(alice, new Op.SetData("/max", new byte[100], -1));
    h.ok(alice, new Op.SetData("/max", null, -1));
  }

  // ---- delete ----

  @ParameterizedTest
  @ValueSource(strings = {"/", "/zookeeper", "/zookeeper/quota", "/zookeeper/config"})
  void theRootAndZooKeepersOwnNodesCannotBeDeleted(String path) {
    h.fails(alice, delete(path), Code.BAD_ARGUMENTS);
    h.fails(alice, delete(path, 0), Code.BAD_ARGUMENTS);
  }

  @Test
  void nodesBelowTheQuotaNodeCanBeDeleted() {
    h.ok(alice, create("/zookeeper/quota/app"));
    h.ok(alice, delete("/zookeeper/quota/app"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "no-slash", "/a\u0000"})
  void deleteRejectsPathsWithoutSlashOrWithNul(String path) {
    h.fails(alice, delete(path), Code.BAD_ARGUMENTS);
  }

  @Test
  void deleteDoesNotValidateTheNameSoATrailingSlashIsJustAMissingNode() {
    h.ok(alice, create("/a"));
    h.fails(alice, delete("/a/"), Code.NO_NODE);
    h.fails(alice, delete("/missing/x"), Code.NO_NODE);
  }

  @Test
  void deleteNeedsDeletePermissionOnTheParentAndChecksItBeforeTheNodeExists() {
    h.ok(alice, create("/p", bytes("x"), allBut(Perms.DELETE), CreateMode.PERSISTENT));
    h.ok(alice, create("/p/c"));
    h.fails(alice, delete("/p/c"), Code.NO_AUTH);
    h.fails(alice, delete("/p/missing"), Code.NO_AUTH);
  }

  @Test
  void theNodesOwnAclDoesNotMatterForItsDeletion() {
    h.ok(alice, create("/c", bytes("x"), NOTHING, CreateMode.PERSISTENT));
    h.ok(alice, delete("/c", 0));
  }

  @Test
  void badVersionWinsOverNotEmpty() {
    h.ok(alice, create("/a"));
    h.ok(alice, create("/a/b"));
    h.fails(alice, delete("/a", 5), Code.BAD_VERSION);
    h.fails(alice, delete("/a", 0), Code.NOT_EMPTY);
    h.fails(alice, delete("/a", -1), Code.NOT_EMPTY);
  }

  @Test
  void deleteWithAnyVersionOrTheCurrentOneSucceeds() {
    h.ok(alice, create("/a"));
    h.ok(alice, setData("/a", "1", 0));
    h.fails(alice, delete("/a", 0), Code.BAD_VERSION);
    h.fails(alice, delete("/a", -2), Code.BAD_VERSION);
    h.ok(alice, delete("/a", 1));
    h.ok(alice, create("/b"));
    h.ok(alice, delete("/b", -1));
  }

  @Test
  void deleteChecksTheSessionFirst() {
    h.fails(stranger, delete("/"), Code.SESSION_EXPIRED);
  }

  // ---- setData ----

  @Test
  void setDataErrorsInZooKeeperOrder() {
    h.ok(alice, create("/w", bytes("x"), allBut(Perms.WRITE), CreateMode.PERSISTENT));
    h.fails(stranger, setData("bad", "x", -1), Code.SESSION_EXPIRED);
    h.fails(alice, setData("/missing/", "x", -1), Code.BAD_ARGUMENTS);
    h.fails(alice, setData("/missing", "x", -1), Code.NO_NODE);
    h.fails(alice, setData("/w", "x", 7), Code.NO_AUTH);
    h.ok(alice, create("/v"));
    h.fails(alice, setData("/v", "x", 7), Code.BAD_VERSION);
    h.ok(alice, setData("/v", "x", 0));
    h.ok(alice, setData("/v", "x", -1));
    h.fails(alice, setData("/v", "x", 0), Code.BAD_VERSION);
  }

  @Test
  void setDataOnTheRootIsAllowed() {
    h.ok(alice, setData("/", "root", 0));
    assertEquals(1, h.stat("/").version());
  }

  // ---- setACL ----

  @Test
  void setAclErrorsInZooKeeperOrder() {
    h.ok(alice, create("/n", bytes("x"), allBut(Perms.ADMIN), CreateMode.PERSISTENT));
    h.fails(stranger, setAcl("bad", List.of(), -1), Code.SESSION_EXPIRED);
    h.fails(alice, setAcl("bad", List.of(), -1), Code.BAD_ARGUMENTS);
    h.fails(alice, setAcl("/missing", List.of(), -1), Code.INVALID_ACL);
    h.fails(alice, setAcl("/missing", OPEN, -1), Code.NO_NODE);
    h.fails(alice, setAcl("/n", OPEN, 9), Code.NO_AUTH);
    h.ok(alice, create("/v"));
    h.ok(alice, setData("/v", "x", 0));
    h.fails(alice, setAcl("/v", OPEN, 1), Code.BAD_VERSION);
    h.ok(alice, setAcl("/v", OPEN, 0));
    h.ok(alice, setAcl("/v", OPEN, -1));
    assertEquals(2, h.stat("/v").aversion());
  }

  // ---- check ----

  @Test
  void checkErrorsInZooKeeperOrder() {
    h.ok(alice, create("/r", bytes("x"), allBut(Perms.READ), CreateMode.PERSISTENT));
    h.fails(stranger, check("bad", 0), Code.SESSION_EXPIRED);
    h.fails(alice, check("bad", 0), Code.BAD_ARGUMENTS);
    h.fails(alice, check("/missing", 0), Code.NO_NODE);
    h.fails(alice, check("/r", 5), Code.NO_AUTH);
    h.ok(alice, create("/v"));
    h.fails(alice, check("/v", 1), Code.BAD_VERSION);
    h.ok(alice, check("/v", 0));
    h.ok(alice, check("/v", -1));
  }

  // ---- deleteContainer (issued by the server for empty containers and expired TTL nodes) ----

  @Test
  void deleteContainerRemovesEmptyContainersAndTtlNodesWithoutSessionOrAcl() {
    h.ok(alice, create("/p", bytes("x"), allBut(Perms.DELETE), CreateMode.PERSISTENT));
    h.ok(alice, create("/p/c", CreateMode.CONTAINER));
    h.ok(alice, createTtl("/p/t", CreateMode.PERSISTENT_WITH_TTL, 10));
    Client server = new Client(0L, List.of());
    h.ok(server, new Op.DeleteContainer("/p/c"));
    h.ok(server, new Op.DeleteContainer("/p/t"));
    assertFalse(h.exists("/p/c"));
    assertFalse(h.exists("/p/t"));
    assertEquals(List.of(), h.tree.containers());
    assertEquals(List.of(), h.tree.ttlNodes());
  }

  @Test
  void deleteContainerErrorsInZooKeeperOrder() {
    Client server = new Client(0L, List.of());
    h.fails(server, new Op.DeleteContainer("/"), Code.BAD_ARGUMENTS);
    h.fails(server, new Op.DeleteContainer("/zookeeper"), Code.BAD_ARGUMENTS);
    h.fails(server, new Op.DeleteContainer("/missing"), Code.NO_NODE);
    h.ok(alice, create("/c", CreateMode.CONTAINER));
    h.ok(alice, create("/c/e", CreateMode.EPHEMERAL));
    h.fails(server, new Op.DeleteContainer("/c"), Code.NOT_EMPTY);
    h.fails(server, new Op.DeleteContainer("/c/e"), Code.BAD_VERSION);
  }

  // ---- sessions ----

  @Test
  void writesFromAClosedSessionExpire() {
    h.ok(alice, create("/a"));
    h.ok(alice, new Op.CloseSession());
    h.fails(alice, create("/b"), Code.SESSION_EXPIRED);
    h.fails(alice, setData("/a", "x", -1), Code.SESSION_EXPIRED);
    h.fails(alice, setAcl("/a", OPEN, -1), Code.SESSION_EXPIRED);
    h.fails(alice, delete("/a"), Code.SESSION_EXPIRED);
    h.fails(alice, check("/a", -1), Code.SESSION_EXPIRED);
    assertNull(dev.paddock.tree.PersistentColls.get(h.tree.sessions(), alice.session()));
  }

  @Test
  void aSessionCanBeOpenedAgainAfterClosing() {
    h.ok(alice, new Op.CloseSession());
    h.ok(alice, new Op.CreateSession(5000));
    h.ok(alice, create("/back"));
    assertEquals(5000, dev.paddock.tree.PersistentColls.get(h.tree.sessions(), alice.session()));
  }
}
