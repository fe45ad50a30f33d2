package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.atomic.AtomicValue;
import org.apache.curator.framework.recipes.atomic.DistributedAtomicLong;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.retry.RetryNTimes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Curator's recipes, unchanged, against Paddock's TLS client port with client certificates. */
class CuratorOverTlsTest {
  @TempDir static Path dir;
  static TlsFixture tls;
  static PaddockServer server;
  static int securePort;
  static Path keys;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final List<ExecutorService> threads = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    tls = new TlsFixture(dir.resolve("certs"));
    keys = tls.client("CN=curator,O=Paddock");
    server = PaddockServer.start(dir.resolve("data"), tls.serverSettings(""));
    securePort = TlsFixture.securePort(server);
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
    threads.forEach(ExecutorService::shutdownNow);
  }

  private CuratorFramework curator() throws InterruptedException {
    CuratorFramework c = CuratorFrameworkFactory.builder()
        .connectString("127.0.0.1:" + securePort)
        .sessionTimeoutMs(30_000)
        .connectionTimeoutMs(10_000)
        .retryPolicy(new ExponentialBackoffRetry(100, 5))
        .zkClientConfig(tls.clientConfig(keys))
        .build();
    c.start();
    assertTrue(c.blockUntilConnected(20, TimeUnit.SECONDS), "Curator did not connect over TLS");
    open.add(c);
    return c;
  }

  /** Curator's locks belong to the thread that took them, so each holder gets its own. */
  private ExecutorService thread() {
    ExecutorService t = Executors.newSingleThreadExecutor();
    threads.add(t);
    return t;
  }

  @Test
  void interProcessMutexExcludesASecondHolderUntilReleased() throws Exception {
    InterProcessMutex first = new InterProcessMutex(curator(), "/tls-locks/m");
    InterProcessMutex second = new InterProcessMutex(curator(), "/tls-locks/m");
    ExecutorService a = thread();
    ExecutorService b = thread();
    assertTrue(a.submit(() -> first.acquire(20, TimeUnit.SECONDS)).get(30, TimeUnit.SECONDS));
    assertFalse(b.submit(() -> second.acquire(200, TimeUnit.MILLISECONDS))
        .get(30, TimeUnit.SECONDS), "the lock was taken twice");
    Future<Boolean> waiting = b.submit(() -> second.acquire(20, TimeUnit.SECONDS));
    a.submit(() -> {
      first.release();
      return null;
    }).get(30, TimeUnit.SECONDS);
    assertTrue(waiting.get(30, TimeUnit.SECONDS), "the waiter did not get the released lock");
    b.submit(() -> {
      second.release();
      return null;
    }).get(30, TimeUnit.SECONDS);
  }

  @Test
  void leaderLatchElectsOneAndHandsOverWhenItLeaves() throws Exception {
    LeaderLatch one = new LeaderLatch(curator(), "/tls-latch", "one");
    LeaderLatch two = new LeaderLatch(curator(), "/tls-latch", "two");
    one.start();
    two.start();
    open.add(one);
    open.add(two);
    // Both start at once: either may create the lower sequence node and lead.
    LeaderLatch leader = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (leader == null && System.nanoTime() < deadline) {
      leader = one.await(100, TimeUnit.MILLISECONDS) ? one
          : two.await(100, TimeUnit.MILLISECONDS) ? two : null;
    }
    assertTrue(leader != null, "neither latch led");
    LeaderLatch other = leader == one ? two : one;
    assertFalse(other.hasLeadership(), "both latches lead");
    leader.close();
    open.remove(leader);
    assertTrue(other.await(20, TimeUnit.SECONDS), "leadership was not handed over");
  }

  @Test
  void distributedAtomicLongCountsEveryIncrementFromSeveralClients() throws Exception {
    int clients = 3;
    int each = 10;
    List<Future<Integer>> done = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      DistributedAtomicLong counter = new DistributedAtomicLong(curator(), "/tls-counter",
          new RetryNTimes(1000, 5));
      done.add(thread().submit(() -> {
        int ok = 0;
        for (int n = 0; n < each; n++) {
          AtomicValue<Long> v = counter.increment();
          if (v.succeeded()) {
            ok++;
          }
        }
        return ok;
      }));
    }
    int succeeded = 0;
    for (Future<Integer> f : done) {
      succeeded += f.get(60, TimeUnit.SECONDS);
    }
    assertEquals(clients * each, succeeded, "increments that failed");
    DistributedAtomicLong reader = new DistributedAtomicLong(curator(), "/tls-counter",
        new RetryNTimes(10, 5));
    assertEquals(clients * each, reader.get().postValue());
  }
}
