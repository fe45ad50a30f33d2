package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.ClientInfo;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;

/** Node operations through the official client: reply shapes, Stat fields and errors. */
abstract class NodeOpsContract extends Contract {
  private static final List<org.apache.zookeeper.data.ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

  @Test
  void createModesAndTheirStats() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    Stat st = new Stat();
    assertEquals(r + "/a", zk.create(r + "/a", b("hello"), OPEN, CreateMode.PERSISTENT, st));
    assertEquals(st.getCzxid(), st.getMzxid());
    assertEquals(st.getCzxid(), st.getPzxid());
    assertEquals(0, st.getVersion());
    assertEquals(0, st.getCversion());
    assertEquals(0, st.getAversion());
    assertEquals(0, st.getEphemeralOwner());
    assertEquals(5, st.getDataLength());
    assertEquals(0, st.getNumChildren());
    assertEquals(st.getCtime(), st.getMtime());
    assertTrue(st.getCtime() > 0);

    assertEquals(r + "/b", zk.create(r + "/b", null, OPEN, CreateMode.PERSISTENT));
    Stat bs = new Stat();
    assertNull(zk.getData(r + "/b", false, bs));
    assertEquals(0, bs.getDataLength());

    Stat es = new Stat();
    zk.create(r + "/e", b("e"), OPEN, CreateMode.EPHEMERAL, es);
    assertEquals(zk.getSessionId(), es.getEphemeralOwner());
    Stat cs = new Stat();
    zk.create(r + "/cont", b("c"), OPEN, CreateMode.CONTAINER, cs);
    assertEquals(0, cs.getEphemeralOwner());
    Stat ts = new Stat();
    zk.create(r + "/ttl", b("t"), OPEN, CreateMode.PERSISTENT_WITH_TTL, ts, 60_000);
    assertEquals(0, ts.getEphemeralOwner());
    assertTrue(ts.getCzxid() > cs.getCzxid());

    Stat ps = zk.exists(r, false);
    assertEquals(5, ps.getNumChildren());
    assertEquals(5, ps.getCversion());
    assertEquals(ts.getCzxid(), ps.getPzxid());
  }

  /**
   * One client's pipeline, never waiting for a reply: each read shows the client's writes sent
   * before it and none sent after it, and replies come in request order (the client's callbacks
   * run on one thread in reply order), a sync's before that of the write sent right after it.
   */
  @Test
  void pipelinedReadsSeeTheWritesBeforeThemAndNoneAfter() throws Exception {
    ZooKeeper zk = client();
    String p = zk.create(root(zk) + "/p", b("0"), OPEN, CreateMode.PERSISTENT);
    int rounds = 300;
    List<String> replies = java.util.Collections.synchronizedList(new ArrayList<>());
    List<String> expected = new ArrayList<>();
    java.util.concurrent.CountDownLatch all = new java.util.concurrent.CountDownLatch(rounds * 4);
    for (int i = 1; i <= rounds; i++) {
      int round = i;
      zk.getData(p, false, (rc, path, ctx, data, stat) -> {
        replies.add("before " + round + ": " + (data == null ? rc : new String(data)));
        all.countDown();
      }, null);
      expected.add("before " + i + ": " + (i - 1));
      if (i % 7 == 0) {
        zk.sync(p, (rc, path, ctx) -> replies.add("sync " + round + ": " + rc), null);
        expected.add("sync " + i + ": 0");
      }
      zk.setData(p, b(Integer.toString(i)), i - 1, (rc, path, ctx, stat) -> {
        replies.add("set " + round + ": " + rc + " v" + (stat == null ? -1 : stat.getVersion()));
        all.countDown();
      }, null);
      expected.add("set " + i + ": 0 v" + i);
      zk.exists(p, false, (rc, path, ctx, stat) -> {
        replies.add("after " + round + ": v" + (stat == null ? rc : stat.getVersion()));
        all.countDown();
      }, null);
      expected.add("after " + i + ": v" + i);
      zk.getChildren(p, false, (rc, path, ctx, children) -> {
        replies.add("children " + round + ": " + rc);
        all.countDown();
      }, null);
      expected.add("children " + i + ": 0");
    }
    // The last reply comes after every other, syncs included.
    assertTrue(all.await(60, TimeUnit.SECONDS), () -> "every reply; got " + replies);
    assertEquals(expected, new ArrayList<>(replies));
  }

  @Test
  void sequentialNamesCountCreatesOfTheParent() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    for (int i = 0; i < 3; i++) {
      assertEquals(String.format("%s/s-%010d", r, i),
          zk.create(r + "/s-", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
    }
    zk.delete(r + "/s-0000000001", -1);
    Stat parent = zk.exists(r, false);
    assertEquals(4, parent.getCversion());
    assertEquals(2, parent.getNumChildren());
    assertEquals(r + "/s-0000000003",
        zk.create(r + "/s-", null, OPEN, CreateMode.EPHEMERAL_SEQUENTIAL));
    assertEquals(r + "/0000000004",
        zk.create(r + "/", null, OPEN, CreateMode.PERSISTENT_SEQUENTIAL));
  }

  @Test
  void setDataVersionsAndStat() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    Stat created = new Stat();
    zk.create(r + "/v", b("1"), OPEN, CreateMode.PERSISTENT, created);
    Stat s1 = zk.setData(r + "/v", b("22"), 0);
    assertEquals(1, s1.getVersion());
    assertEquals(2, s1.getDataLength());
    assertEquals(created.getCzxid(), s1.getCzxid());
    assertTrue(s1.getMzxid() > created.getMzxid());
    assertEquals(created.getPzxid(), s1.getPzxid());
    assertEquals(created.getCtime(), s1.getCtime());
    assertThrows(KeeperException.BadVersionException.class,
        () -> zk.setData(r + "/v", b("x"), 0));
    Stat s2 = zk.setData(r + "/v", b("333"), -1);
    assertEquals(2, s2.getVersion());
    Stat read = new Stat();
    assertArrayEquals(b("333"), zk.getData(r + "/v", false, read));
    assertEquals(s2, read);
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.setData(r + "/missing", b("x"), -1));
  }

  @Test
  void deleteErrors() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/d", null, OPEN, CreateMode.PERSISTENT);
    zk.create(r + "/d/c", null, OPEN, CreateMode.PERSISTENT);
    assertThrows(KeeperException.NotEmptyException.class, () -> zk.delete(r + "/d", -1));
    assertThrows(KeeperException.BadVersionException.class, () -> zk.delete(r + "/d/c", 3));
    assertThrows(KeeperException.NoNodeException.class, () -> zk.delete(r + "/nope", -1));
    zk.delete(r + "/d/c", 0);
    zk.delete(r + "/d", -1);
    assertNull(zk.exists(r + "/d", false));
    assertThrows(KeeperException.BadArgumentsException.class,
        () -> zk.delete("/zookeeper", -1));
  }

  @Test
  void createErrors() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.create(r + "/x", null, OPEN, CreateMode.PERSISTENT);
    assertThrows(KeeperException.NodeExistsException.class,
        () -> zk.create(r + "/x", null, OPEN, CreateMode.PERSISTENT));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.create(r + "/none/child", null, OPEN, CreateMode.PERSISTENT));
    zk.create(r + "/eph", null, OPEN, CreateMode.EPHEMERAL);
    assertThrows(KeeperException.NoChildrenForEphemeralsException.class,
        () -> zk.create(r + "/eph/child", null, OPEN, CreateMode.PERSISTENT));
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.create(r + "/acl", null, new ArrayList<>(), CreateMode.PERSISTENT));
    assertThrows(KeeperException.InvalidACLException.class,
        () -> zk.create(r + "/acl", null, ZooDefs.Ids.CREATOR_ALL_ACL, CreateMode.PERSISTENT));
  }

  @Test
  void childrenWithAndWithoutStat() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    for (String c : List.of("a", "b", "c")) {
      zk.create(r + "/" + c, null, OPEN, CreateMode.PERSISTENT);
    }
    List<String> kids = new ArrayList<>(zk.getChildren(r, false));
    kids.sort(null);
    assertEquals(List.of("a", "b", "c"), kids);
    Stat st = new Stat();
    assertEquals(3, zk.getChildren(r, false, st).size());
    assertEquals(3, st.getNumChildren());
    assertEquals(zk.exists(r, false), st);
    assertThrows(KeeperException.NoNodeException.class, () -> zk.getChildren(r + "/z", false));
    assertTrue(zk.getChildren("/", false).contains("zookeeper"));
  }

  @Test
  void existsAndGetDataOnMissingNodes() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    assertNull(zk.exists(r + "/none", false));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.getData(r + "/none", false, null));
    assertThrows(KeeperException.NoNodeException.class, () -> zk.getACL(r + "/none", null));
  }

  @Test
  void countsEphemeralsAndIdentity() throws Exception {
    ZooKeeper zk = client();
    ZooKeeper other = client();
    String r = root(zk);
    zk.create(r + "/a", null, OPEN, CreateMode.PERSISTENT);
    zk.create(r + "/a/b", null, OPEN, CreateMode.PERSISTENT);
    zk.create(r + "/a/b/c", null, OPEN, CreateMode.EPHEMERAL);
    zk.create(r + "/e1", null, OPEN, CreateMode.EPHEMERAL);
    other.create(r + "/e2", null, OPEN, CreateMode.EPHEMERAL);
    assertEquals(5, zk.getAllChildrenNumber(r));
    assertEquals(2, zk.getAllChildrenNumber(r + "/a"));
    assertEquals(0, zk.getAllChildrenNumber(r + "/e1"));
    assertThrows(KeeperException.NoNodeException.class,
        () -> zk.getAllChildrenNumber(r + "/none"));

    List<String> mine = new ArrayList<>(zk.getEphemerals(r));
    mine.sort(null);
    assertEquals(List.of(r + "/a/b/c", r + "/e1"), mine);
    assertEquals(List.of(r + "/a/b/c"), zk.getEphemerals(r + "/a"));
    assertTrue(zk.getEphemerals().containsAll(mine));
    assertEquals(List.of(r + "/e2"), other.getEphemerals(r));

    List<ClientInfo> who = zk.whoAmI();
    assertEquals(1, who.size());
    assertEquals("ip", who.get(0).getAuthScheme());
    assertEquals("127.0.0.1", who.get(0).getUser());
    zk.addAuthInfo("digest", b("alice:secret"));
    // ZooKeeper lists a connection's ids in hash-set order, not in the order they were added.
    who = zk.whoAmI();
    assertEquals(2, who.size());
    assertTrue(who.contains(new ClientInfo("digest", "alice")));
    assertTrue(who.contains(new ClientInfo("ip", "127.0.0.1")));
  }

  @Test
  void syncAndConfig() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.sync(r);
    CompletableFuture<String> path = new CompletableFuture<>();
    zk.sync(r + "/any", (rc, p, ctx) -> path.complete(rc + " " + p), null);
    assertEquals("0 " + r + "/any", path.get(10, TimeUnit.SECONDS));
    Stat st = new Stat();
    // Standalone: /zookeeper/config exists and is empty, never a wrong member list.
    assertEquals(0, zk.getConfig(false, st).length);
    assertEquals(-1, st.getAversion());
    assertEquals(0, st.getCzxid());
  }

  @Test
  void addWatchRepliesAndReadsReadOnlyNodes() throws Exception {
    ZooKeeper zk = client();
    String r = root(zk);
    zk.addWatch(r, AddWatchMode.PERSISTENT_RECURSIVE);
    assertArrayEquals(new byte[0], zk.getData("/zookeeper/config", false, null));
    assertThrows(KeeperException.NoAuthException.class,
        () -> zk.setData("/zookeeper/config", b("server.1=x"), -1));
  }
}
