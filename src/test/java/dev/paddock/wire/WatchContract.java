package dev.paddock.wire;

import static org.apache.zookeeper.Watcher.Event.EventType.NodeChildrenChanged;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeCreated;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeDataChanged;
import static org.apache.zookeeper.Watcher.Event.EventType.NodeDeleted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.junit.jupiter.api.Test;

/** Watches through the official client: kinds, one-shot vs persistent, order against replies. */
abstract class WatchContract extends Contract {
  private static final List<org.apache.zookeeper.data.ACL> OPEN = ZooDefs.Ids.OPEN_ACL_UNSAFE;

  /**
   * Proves no other event is pending on {@code q}: events arrive in order, so the next one must
   * be this barrier's own.
   */
  private static void nothingElse(ZooKeeper zk, BlockingQueue<WatchedEvent> q, String root)
      throws Exception {
    String barrier = root + "/barrier-" + System.nanoTime();
    zk.exists(barrier, true);
    zk.create(barrier, null, OPEN, CreateMode.EPHEMERAL);
    expect(q, NodeCreated, barrier);
  }

  @Test
  void standardWatchesFireOnce() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper zk = client(q);
    ZooKeeper other = client();
    String r = root(zk);
    zk.create(r + "/n", Contract.b("0"), OPEN, CreateMode.PERSISTENT);
    zk.getData(r + "/n", true, null);
    other.setData(r + "/n", Contract.b("1"), -1);
    expect(q, NodeDataChanged, r + "/n");
    other.setData(r + "/n", Contract.b("2"), -1);
    nothingElse(zk, q, r);

    zk.exists(r + "/later", true);
    other.create(r + "/later", null, OPEN, CreateMode.PERSISTENT);
    expect(q, NodeCreated, r + "/later");

    zk.getChildren(r, true);
    other.create(r + "/kid", null, OPEN, CreateMode.PERSISTENT);
    expect(q, NodeChildrenChanged, r);
    other.setData(r + "/kid", Contract.b("x"), -1);
    nothingElse(zk, q, r);
  }

  @Test
  void deleteFiresOneEventPerClientForDataAndChildWatches() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper zk = client(q);
    ZooKeeper other = client();
    String r = root(zk);
    zk.create(r + "/d", null, OPEN, CreateMode.PERSISTENT);
    zk.getData(r + "/d", true, null);
    zk.getChildren(r + "/d", true);
    zk.getChildren(r, true);
    other.delete(r + "/d", -1);
    WatchedEvent first = next(q);
    WatchedEvent second = next(q);
    assertEquals(NodeDeleted + " " + r + "/d", first.getType() + " " + first.getPath());
    assertEquals(NodeChildrenChanged + " " + r, second.getType() + " " + second.getPath());
    nothingElse(zk, q, r);
  }

  @Test
  void eventsPrecedeTheRepliesThatShowTheirChange() throws Exception {
    List<String> order = new CopyOnWriteArrayList<>();
    CountDownLatch done = new CountDownLatch(2);
    ZooKeeper zk = client();
    ZooKeeper other = client();
    String r = root(zk);
    zk.create(r + "/o", Contract.b("0"), OPEN, CreateMode.PERSISTENT);
    Watcher w = e -> {
      order.add("event " + e.getType());
      done.countDown();
    };
    zk.getData(r + "/o", w, null);
    zk.setData(r + "/o", Contract.b("1"), -1, (rc, path, ctx, stat) -> {
      order.add("reply " + rc + " v" + stat.getVersion());
      done.countDown();
    }, null);
    assertEquals(true, done.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("event NodeDataChanged", "reply 0 v1"), order);

    order.clear();
    CountDownLatch again = new CountDownLatch(2);
    zk.getData(r + "/o", e -> {
      order.add("event " + e.getType());
      again.countDown();
    }, null);
    other.setData(r + "/o", Contract.b("2"), -1);
    zk.getData(r + "/o", false, (rc, path, ctx, data, stat) -> {
      order.add("read " + new String(data));
      again.countDown();
    }, null);
    assertEquals(true, again.await(10, TimeUnit.SECONDS));
    assertEquals(List.of("event NodeDataChanged", "read 2"), order);
  }

  @Test
  void persistentWatchStaysAndSeesDataAndChildren() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper zk = client(q);
    ZooKeeper other = client();
    String r = root(zk);
    String p = r + "/p";
    zk.create(p, null, OPEN, CreateMode.PERSISTENT);
    BlockingQueue<WatchedEvent> pq = new LinkedBlockingQueue<>();
    zk.addWatch(p, pq::add, AddWatchMode.PERSISTENT);
    other.setData(p, Contract.b("1"), -1);
    expect(pq, NodeDataChanged, p);
    other.setData(p, Contract.b("2"), -1);
    expect(pq, NodeDataChanged, p);
    other.create(p + "/c", null, OPEN, CreateMode.PERSISTENT);
    expect(pq, NodeChildrenChanged, p);
    other.setData(p + "/c", Contract.b("x"), -1);
    other.delete(p + "/c", -1);
    expect(pq, NodeChildrenChanged, p);
    other.delete(p, -1);
    expect(pq, NodeDeleted, p);
    other.create(p, null, OPEN, CreateMode.PERSISTENT);
    expect(pq, NodeCreated, p);
  }

  @Test
  void recursiveWatchSeesTheSubtreeButNoChildEvents() throws Exception {
    ZooKeeper zk = client();
    ZooKeeper other = client();
    String r = root(zk);
    BlockingQueue<WatchedEvent> rq = new LinkedBlockingQueue<>();
    zk.addWatch(r, rq::add, AddWatchMode.PERSISTENT_RECURSIVE);
    other.create(r + "/a", null, OPEN, CreateMode.PERSISTENT);
    expect(rq, NodeCreated, r + "/a");
    other.create(r + "/a/b", null, OPEN, CreateMode.PERSISTENT);
    expect(rq, NodeCreated, r + "/a/b");
    other.setData(r + "/a/b", Contract.b("x"), -1);
    expect(rq, NodeDataChanged, r + "/a/b");
    other.delete(r + "/a/b", -1);
    expect(rq, NodeDeleted, r + "/a/b");
    other.setData(r, Contract.b("y"), -1);
    expect(rq, NodeDataChanged, r);
  }

  @Test
  void removeAndCheckWatches() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper zk = client(q);
    ZooKeeper other = client();
    String r = root(zk);
    String p = r + "/w";
    zk.create(p, null, OPEN, CreateMode.PERSISTENT);
    BlockingQueue<WatchedEvent> wq = new LinkedBlockingQueue<>();
    Watcher w = wq::add;
    zk.getData(p, w, null);
    zk.removeWatches(p, w, Watcher.WatcherType.Data, false);
    expect(wq, Watcher.Event.EventType.DataWatchRemoved, p);
    assertThrows(KeeperException.NoWatcherException.class,
        () -> zk.removeWatches(p, w, Watcher.WatcherType.Data, false));

    zk.getChildren(p, w);
    zk.removeAllWatches(p, Watcher.WatcherType.Children, false);
    expect(wq, Watcher.Event.EventType.ChildWatchRemoved, p);

    zk.addWatch(p, w, AddWatchMode.PERSISTENT);
    zk.removeWatches(p, w, Watcher.WatcherType.Persistent, false);
    expect(wq, Watcher.Event.EventType.PersistentWatchRemoved, p);

    other.setData(p, Contract.b("changed"), -1);
    other.create(p + "/c", null, OPEN, CreateMode.PERSISTENT);
    zk.exists(p + "/barrier", w);
    other.create(p + "/barrier", null, OPEN, CreateMode.PERSISTENT);
    expect(wq, NodeCreated, p + "/barrier");
    assertEquals(0, wq.size());
  }

  @Test
  void eventsAboutNodesTheClientMayNotReadAreNotDelivered() throws Exception {
    BlockingQueue<WatchedEvent> q = new LinkedBlockingQueue<>();
    ZooKeeper anon = client(q);
    ZooKeeper owner = client();
    owner.addAuthInfo("digest", Contract.b("owner:pw"));
    String r = root(anon);
    String elsewhere = root(anon);
    BlockingQueue<WatchedEvent> rq = new LinkedBlockingQueue<>();
    anon.addWatch(r, rq::add, AddWatchMode.PERSISTENT_RECURSIVE);
    anon.exists(r + "/secret", true);
    owner.create(r + "/secret", Contract.b("s"), ZooDefs.Ids.CREATOR_ALL_ACL,
        CreateMode.PERSISTENT);
    owner.create(r + "/public", null, OPEN, CreateMode.PERSISTENT);
    expect(rq, NodeCreated, r + "/public");
    nothingElse(anon, q, elsewhere);

    owner.create(r + "/n", null, OPEN, CreateMode.PERSISTENT);
    expect(rq, NodeCreated, r + "/n");
    anon.getData(r + "/n", true, null);
    owner.setACL(r + "/n", ZooDefs.Ids.CREATOR_ALL_ACL, -1);
    owner.setData(r + "/n", Contract.b("hidden"), -1);
    owner.delete(r + "/secret", -1);
    owner.setData(r + "/public", Contract.b("seen"), -1);
    expect(rq, NodeDataChanged, r + "/public");
    nothingElse(anon, q, elsewhere);
  }
}
