package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.barriers.DistributedDoubleBarrier;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderSelector;
import org.apache.curator.framework.recipes.leader.LeaderSelectorListenerAdapter;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.framework.recipes.locks.InterProcessReadWriteLock;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.recipes.queue.SimpleDistributedQueue;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Curator's recipes, unchanged, against Paddock's client port. */
class CuratorRecipesTest {
  @TempDir static Path dir;
  static PaddockServer server;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() {
    server = PaddockServer.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    pool.shutdownNow();
  }

  private CuratorFramework curator() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.newClient(server.connectString(), 30_000,
        10_000, new ExponentialBackoffRetry(100, 5));
    c.start();
    assertTrue(c.blockUntilConnected(20, TimeUnit.SECONDS));
    open.add(c);
    return c;
  }

  /** Curator's locks belong to the thread that took them, so each holder gets its own. */
  private ExecutorService thread() {
    ExecutorService t = Executors.newSingleThreadExecutor();
    open.add(t::shutdownNow);
    return t;
  }

  @Test
  void interProcessMutexExcludes() throws Exception {
    InterProcessMutex a = new InterProcessMutex(curator(), "/locks/mutex");
    InterProcessMutex b = new InterProcessMutex(curator(), "/locks/mutex");
    ExecutorService bThread = thread();
    assertTrue(a.acquire(10, TimeUnit.SECONDS));
    assertTrue(a.acquire(10, TimeUnit.SECONDS), "reentrant");
    assertFalse(bThread.submit(() -> b.acquire(200, TimeUnit.MILLISECONDS))
        .get(10, TimeUnit.SECONDS));
    Future<Boolean> waiting = bThread.submit(() -> b.acquire(20, TimeUnit.SECONDS));
    a.release();
    a.release();
    assertTrue(waiting.get(20, TimeUnit.SECONDS));
    assertTrue(b.isAcquiredInThisProcess());
    assertFalse(a.acquire(200, TimeUnit.MILLISECONDS));
    bThread.submit(() -> {
      b.release();
      return null;
    }).get(10, TimeUnit.SECONDS);
    assertTrue(a.acquire(10, TimeUnit.SECONDS));
    a.release();
  }

  @Test
  void readWriteLockLetsReadersShareAndWritersWait() throws Exception {
    InterProcessReadWriteLock l1 = new InterProcessReadWriteLock(curator(), "/locks/rw");
    InterProcessReadWriteLock l2 = new InterProcessReadWriteLock(curator(), "/locks/rw");
    InterProcessReadWriteLock l3 = new InterProcessReadWriteLock(curator(), "/locks/rw");
    ExecutorService t2 = thread();
    ExecutorService t3 = thread();
    assertTrue(l1.readLock().acquire(10, TimeUnit.SECONDS));
    assertTrue(t2.submit(() -> l2.readLock().acquire(10, TimeUnit.SECONDS))
        .get(20, TimeUnit.SECONDS));
    assertFalse(t3.submit(() -> l3.writeLock().acquire(200, TimeUnit.MILLISECONDS))
        .get(10, TimeUnit.SECONDS));
    Future<Boolean> writer = t3.submit(() -> l3.writeLock().acquire(20, TimeUnit.SECONDS));
    l1.readLock().release();
    t2.submit(() -> {
      l2.readLock().release();
      return null;
    }).get(10, TimeUnit.SECONDS);
    assertTrue(writer.get(20, TimeUnit.SECONDS));
    assertFalse(l1.readLock().acquire(200, TimeUnit.MILLISECONDS));
    t3.submit(() -> {
      l3.writeLock().release();
      return null;
    }).get(10, TimeUnit.SECONDS);
  }

  @Test
  void leaderLatchHandsOverLeadership() throws Exception {
    LeaderLatch first = new LeaderLatch(curator(), "/latch", "first");
    LeaderLatch second = new LeaderLatch(curator(), "/latch", "second");
    first.start();
    assertTrue(first.await(20, TimeUnit.SECONDS));
    second.start();
    assertEquals("first", second.getLeader().getId());
    assertFalse(second.hasLeadership());
    first.close();
    assertTrue(second.await(20, TimeUnit.SECONDS));
    assertEquals("second", second.getLeader().getId());
    second.close();
  }

  @Test
  void leaderSelectorTakesTurns() throws Exception {
    BlockingQueue<String> leaders = new LinkedBlockingQueue<>();
    CountDownLatch release = new CountDownLatch(1);
    List<LeaderSelector> selectors = new ArrayList<>();
    for (String name : List.of("x", "y")) {
      LeaderSelector s = new LeaderSelector(curator(), "/selector",
          new LeaderSelectorListenerAdapter() {
            @Override
            public void takeLeadership(CuratorFramework client) throws Exception {
              leaders.add(name);
              release.await(20, TimeUnit.SECONDS);
            }
          });
      selectors.add(s);
      open.add(s);
      s.start();
    }
    String firstLeader = leaders.poll(20, TimeUnit.SECONDS);
    assertNotNull(firstLeader);
    release.countDown();
    String next = leaders.poll(20, TimeUnit.SECONDS);
    assertNotNull(next);
    org.junit.jupiter.api.Assertions.assertNotEquals(firstLeader, next);
    assertEquals(2, selectors.size());
  }

  @Test
  void doubleBarrierLetsAllInAndOut() throws Exception {
    int members = 3;
    List<Future<Boolean>> done = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      DistributedDoubleBarrier barrier = new DistributedDoubleBarrier(curator(), "/barrier",
          members);
      done.add(pool.submit(() -> barrier.enter(20, TimeUnit.SECONDS)
          && barrier.leave(20, TimeUnit.SECONDS)));
    }
    for (Future<Boolean> f : done) {
      assertTrue(f.get(30, TimeUnit.SECONDS));
    }
  }

  @Test
  void distributedAtomicLongCountsEveryIncrement() throws Exception {
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      DistributedAtomicLong counter = new DistributedAtomicLong(curator(), "/counter",
          new RetryOneTime(1));
      workers.add(pool.submit(() -> {
        int ok = 0;
        for (int i = 0; i < 20; i++) {
          AtomicValue<Long> v;
          do {
            v = counter.increment();
          } while (!v.succeeded());
          ok++;
        }
        return ok;
      }));
    }
    for (Future<Integer> f : workers) {
      assertEquals(20, f.get(60, TimeUnit.SECONDS));
    }
    assertEquals(60L, new DistributedAtomicLong(curator(), "/counter", new RetryOneTime(1))
        .get().postValue());
  }

  @Test
  void simpleQueueIsFirstInFirstOut() throws Exception {
    SimpleDistributedQueue producer = new SimpleDistributedQueue(curator(), "/queue");
    SimpleDistributedQueue consumer = new SimpleDistributedQueue(curator(), "/queue");
    Future<byte[]> waiting = pool.submit(() -> consumer.poll(20, TimeUnit.SECONDS));
    for (int i = 0; i < 5; i++) {
      assertTrue(producer.offer(("item" + i).getBytes()));
    }
    assertArrayEquals("item0".getBytes(), waiting.get(30, TimeUnit.SECONDS));
    for (int i = 1; i < 5; i++) {
      assertArrayEquals(("item" + i).getBytes(), consumer.take());
    }
  }

  @Test
  void curatorCacheFollowsTheSubtree() throws Exception {
    CuratorFramework c = curator();
    CuratorFramework writer = curator();
    writer.create().creatingParentsIfNeeded().forPath("/cache/a", "1".getBytes());
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    CountDownLatch initialized = new CountDownLatch(1);
    CuratorCache cache = CuratorCache.build(c, "/cache");
    cache.listenable().addListener(CuratorCacheListener.builder()
        .forCreates(n -> events.add("create " + n.getPath()))
        .forChanges((o, n) -> events.add("change " + n.getPath() + " " + new String(n.getData())))
        .forDeletes(n -> events.add("delete " + n.getPath()))
        .forInitialized(initialized::countDown)
        .build());
    open.add(cache);
    cache.start();
    assertTrue(initialized.await(20, TimeUnit.SECONDS));
    List<String> initial = new ArrayList<>();
    events.drainTo(initial);
    initial.sort(null);
    assertEquals(List.of("create /cache", "create /cache/a"), initial);
    writer.create().forPath("/cache/a/b", "2".getBytes());
    assertEquals("create /cache/a/b", events.poll(20, TimeUnit.SECONDS));
    writer.setData().forPath("/cache/a", "3".getBytes());
    assertEquals("change /cache/a 3", events.poll(20, TimeUnit.SECONDS));
    writer.delete().forPath("/cache/a/b");
    assertEquals("delete /cache/a/b", events.poll(20, TimeUnit.SECONDS));
    assertArrayEquals("3".getBytes(), cache.get("/cache/a").orElseThrow().getData());
  }

  @Test
  void persistentNodeComesBackWhenDeleted() throws Exception {
    CuratorFramework owner = curator();
    CuratorFramework other = curator();
    PersistentNode node = new PersistentNode(owner, CreateMode.EPHEMERAL, false, "/pn/me",
        "here".getBytes());
    open.add(node);
    node.start();
    assertTrue(node.waitForInitialCreate(20, TimeUnit.SECONDS));
    Stat st = other.checkExists().forPath("/pn/me");
    assertEquals(owner.getZookeeperClient().getZooKeeper().getSessionId(),
        st.getEphemeralOwner());
    CompletableFuture<Void> recreated = new CompletableFuture<>();
    other.delete().forPath("/pn/me");
    other.checkExists().usingWatcher((org.apache.zookeeper.Watcher) e -> {
      if (e.getType() == org.apache.zookeeper.Watcher.Event.EventType.NodeCreated) {
        recreated.complete(null);
      }
    }).forPath("/pn/me");
    if (other.checkExists().forPath("/pn/me") == null) {
      recreated.get(20, TimeUnit.SECONDS);
    }
    assertArrayEquals("here".getBytes(), other.getData().forPath("/pn/me"));
  }
}
