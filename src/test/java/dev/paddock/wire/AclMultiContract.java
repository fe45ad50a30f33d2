package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooDefs.Perms;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;

/** ACL schemes, getACL masking, multi and multiRead, and the request size limit. */
abstract class AclMultiContract extends Contract {
  private static final List<ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

  /** The client rejects immutable lists (it asks them whether they contain null). */
  private static List<ACL> acl(ACL... entries) {
    return new java.util.ArrayList<>(java.util.Arrays.asList(entries));
  }

  @Test
  void digestAuthGuardsNodes() throws Exception {
    ZooKeeper alice = client();
    ZooKeeper anon = client();
    String r = root(alice);
    alice.addAuthInfo("digest", b("alice:pw"));
    alice.create(r + "/secret", b("s"), ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT);
    List<ACL> acl = alice.getACL(r + "/secret", new Stat());
    assertEquals(List.of(new ACL(Perms.ALL, new Id("digest",
        DigestAuthenticationProvider.generateDigest("alice:pw")))), acl);
    assertThrows(KeeperException.NoAuthException.class,
        () -> anon.getData(r + "/secret", false, null));
    assertThrows(KeeperException.NoAuthException.class,
        () -> anon.setData(r + "/secret", b("x"), -1));
    assertThrows(KeeperException.NoAuthException.class,
        () -> anon.getACL(r + "/secret", null));
    assertThrows(KeeperException.NoAuthException.class,
        () -> anon.create(r + "/secret/kid", null, OPEN, CreateMode.PERSISTENT));
    // exists only needs READ when the node is there
    assertThrows(KeeperException.NoAuthException.class, () -> anon.exists(r + "/secret", false));
    assertNull(anon.exists(r + "/secret/none", false));
    anon.addAuthInfo("digest", b("alice:wrong"));
    assertThrows(KeeperException.NoAuthException.class,
        () -> anon.getData(r + "/secret", false, null));
    anon.addAuthInfo("digest", b("alice:pw"));
    assertArrayEquals(b("s"), anon.getData(r + "/secret", false, null));
  }

  @Test
  void getAclMasksDigestsWithoutAdmin() throws Exception {
    ZooKeeper owner = client();
    ZooKeeper reader = client();
    String r = root(owner);
    String digest = DigestAuthenticationProvider.generateDigest("bob:pw");
    List<ACL> acl = acl(new ACL(Perms.ALL, new Id("digest", digest)),
        new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE));
    owner.create(r + "/m", null, acl, CreateMode.PERSISTENT);
    Stat st = new Stat();
    List<ACL> seen = reader.getACL(r + "/m", st);
    assertEquals(List.of(new ACL(Perms.ALL, new Id("digest", "bob:x")),
        new ACL(Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)), seen);
    assertEquals(0, st.getAversion());
    reader.addAuthInfo("digest", b("bob:pw"));
    assertEquals(acl, reader.getACL(r + "/m", null));
  }

  @Test
  void ipAndWorldSchemesAndSetAclVersions() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/local", b("l"), acl(new ACL(Perms.ALL, new Id("ip", "127.0.0.1"))),
        CreateMode.PERSISTENT);
    assertArrayEquals(b("l"), zk.getData(r + "/local", false, null));
    zk.create(r + "/net", b("n"), acl(new ACL(Perms.ALL, new Id("ip", "127.0.0.0/8"))),
        CreateMode.PERSISTENT);
    assertArrayEquals(b("n"), zk.getData(r + "/net", false, null));
    zk.create(r + "/far", b("f"), acl(new ACL(Perms.ALL, new Id("ip", "10.1.2.3/16"))),
        CreateMode.PERSISTENT);
    assertThrows(KeeperException.NoAuthException.class,
        () -> zk.getData(r + "/far", false, null));
    assertThrows(KeeperException.InvalidACLException.class, () -> zk.create(r + "/bad", null,
        acl(new ACL(Perms.ALL, new Id("ip", "not-an-ip"))), CreateMode.PERSISTENT));
    assertThrows(KeeperException.InvalidACLException.class, () -> zk.create(r + "/bad", null,
        acl(new ACL(Perms.ALL, new Id("nosuch", "x"))), CreateMode.PERSISTENT));

    zk.create(r + "/ro", b("r"), ZooDefs.Ids.READ_ACL_UNSAFE, CreateMode.PERSISTENT);
    assertThrows(KeeperException.NoAuthException.class, () -> zk.setData(r + "/ro", b("x"), -1));
    assertThrows(KeeperException.NoAuthException.class, () -> zk.setACL(r + "/ro", OPEN, -1));

    zk.create(r + "/a", null, OPEN, CreateMode.PERSISTENT);
    Stat s = zk.setACL(r + "/a", acl(new ACL(Perms.ALL, new Id("ip", "127.0.0.1"))), 0);
    assertEquals(1, s.getAversion());
    assertEquals(0, s.getVersion());
    assertThrows(KeeperException.BadVersionException.class,
        () -> zk.setACL(r + "/a", OPEN, 0));
    assertEquals(2, zk.setACL(r + "/a", ZooDefs.Ids.READ_ACL_UNSAFE, 1).getAversion());
    assertThrows(KeeperException.NoAuthException.class,
        () -> zk.setACL(r + "/a", OPEN, 0));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.setACL(r + "/none", OPEN, -1));
  }

  @Test
  void multiAppliesAllAndShapesResults() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/old", b("o"), OPEN, CreateMode.PERSISTENT);
    zk.create(r + "/gone", null, OPEN, CreateMode.PERSISTENT);
    List<OpResult> results = zk.multi(List.of(
        Op.create(r + "/new", b("n"), OPEN, CreateMode.PERSISTENT),
        Op.create(r + "/seq-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL),
        Op.create(r + "/cont", null, OPEN, CreateMode.CONTAINER),
        Op.setData(r + "/old", b("o2"), 0),
        Op.check(r + "/old", 1),
        Op.delete(r + "/gone", -1)));
    assertEquals(6, results.size());
    OpResult.CreateResult c = assertInstanceOf(OpResult.CreateResult.class, results.get(0));
    assertEquals(r + "/new", c.getPath());
    assertNull(c.getStat());
    assertEquals(r + "/seq-0000000003",
        assertInstanceOf(OpResult.CreateResult.class, results.get(1)).getPath());
    OpResult.CreateResult cont = assertInstanceOf(OpResult.CreateResult.class, results.get(2));
    assertNotNull(cont.getStat());
    assertEquals(c.getType(), ZooDefs.OpCode.create);
    assertEquals(ZooDefs.OpCode.create2, cont.getType());
    Stat set = assertInstanceOf(OpResult.SetDataResult.class, results.get(3)).getStat();
    assertEquals(1, set.getVersion());
    assertEquals(set.getMzxid(), cont.getStat().getCzxid());
    assertInstanceOf(OpResult.CheckResult.class, results.get(4));
    assertInstanceOf(OpResult.DeleteResult.class, results.get(5));
    assertNull(zk.exists(r + "/gone", false));
  }

  @Test
  void failedMultiChangesNothingAndReportsEachOp() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/x", b("x"), OPEN, CreateMode.PERSISTENT);
    KeeperException e = assertThrows(KeeperException.NodeExistsException.class, () -> zk.multi(
        List.of(Op.create(r + "/y", null, OPEN, CreateMode.PERSISTENT),
            Op.create(r + "/x", null, OPEN, CreateMode.PERSISTENT),
            Op.setData(r + "/x", b("z"), -1))));
    List<OpResult> results = e.getResults();
    assertEquals(List.of(0, KeeperException.Code.NODEEXISTS.intValue(),
            KeeperException.Code.RUNTIMEINCONSISTENCY.intValue()),
        results.stream().map(o -> ((OpResult.ErrorResult) o).getErr()).toList());
    assertNull(zk.exists(r + "/y", false));
    assertArrayEquals(b("x"), zk.getData(r + "/x", false, null));

    KeeperException bad = assertThrows(KeeperException.BadVersionException.class,
        () -> zk.transaction().check(r + "/x", 7).delete(r + "/x", -1).commit());
    assertEquals(2, bad.getResults().size());
    assertNotNull(zk.exists(r + "/x", false));
  }

  @Test
  void multiReadAnswersEachPartOnItsOwn() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/d", b("data"), OPEN, CreateMode.PERSISTENT);
    zk.create(r + "/d/k", null, OPEN, CreateMode.PERSISTENT);
    List<OpResult> results = zk.multi(List.of(Op.getData(r + "/d"), Op.getChildren(r + "/d"),
        Op.getData(r + "/none"), Op.getChildren(r + "/none")));
    OpResult.GetDataResult d = assertInstanceOf(OpResult.GetDataResult.class, results.get(0));
    assertArrayEquals(b("data"), d.getData());
    assertEquals(1, d.getStat().getNumChildren());
    assertEquals(List.of("k"),
        assertInstanceOf(OpResult.GetChildrenResult.class, results.get(1)).getChildren());
    assertEquals(KeeperException.Code.NONODE.intValue(),
        assertInstanceOf(OpResult.ErrorResult.class, results.get(2)).getErr());
    assertEquals(KeeperException.Code.NONODE.intValue(),
        assertInstanceOf(OpResult.ErrorResult.class, results.get(3)).getErr());
  }

  @Test
  void requestAboveTheBufferLimitCostsTheConnectionNotTheSession() throws Exception {
    BlockingQueue<Watcher.Event.KeeperState> states = new LinkedBlockingQueue<>();
    ZooKeeper zk = client(new LinkedBlockingQueue<>(), states);
    ZooKeeper bystander = client();
    String r = root(zk);
    zk.create(r + "/e", null, OPEN, CreateMode.EPHEMERAL);
    long session = zk.getSessionId();
    byte[] big = new byte[1024 * 1024];
    assertThrows(KeeperException.ConnectionLossException.class,
        () -> zk.create(r + "/big", big, OPEN, CreateMode.PERSISTENT));
    assertEquals(Watcher.Event.KeeperState.Disconnected, states.poll(10, TimeUnit.SECONDS));
    assertEquals(Watcher.Event.KeeperState.SyncConnected, states.poll(10, TimeUnit.SECONDS));
    byte[] fits = new byte[1024 * 1024 - 200];
    assertEquals(r + "/fits", zk.create(r + "/fits", fits, OPEN, CreateMode.PERSISTENT));
    assertEquals(session, zk.getSessionId());
    assertNotNull(zk.exists(r + "/e", false));
    assertNull(bystander.exists(r + "/big", false));
    assertEquals(fits.length, bystander.exists(r + "/fits", false).getDataLength());
  }
}
