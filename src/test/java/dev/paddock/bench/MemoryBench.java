package dev.paddock.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Heap per znode after a full GC, and restart time until serving, with many znodes: one
 * standalone server per product, filled through the official client with the same tree
 * ({@code /mem/pNNN/nNNN}, {@value #FANOUT} children per parent), then stopped with SIGTERM and
 * restarted, then killed with SIGKILL and restarted, checking the tree after each restart.
 */
final class MemoryBench {
  private static final int FANOUT = 1000;
  private static final int WINDOW = 1000;
  private static final long SEED = 0x5eedL;
  private static final int SESSION_TIMEOUT_MS = 30_000;
  private static final Duration START_MAX = Duration.ofSeconds(120);
  private static final Duration RESTART_MAX = Duration.ofMinutes(5);
  private static final double MB = 1024.0 * 1024.0;

  private MemoryBench() {}

  /** What one product did; NaN where the run did not get that far. */
  private static final class Figures {
    final String product;
    double baseline = Double.NaN;
    double half = Double.NaN;
    double after = Double.NaN;
    double createRate = Double.NaN;
    double start = Double.NaN;
    double[] term = {Double.NaN, Double.NaN};
    double[] kill = {Double.NaN, Double.NaN};
    double dirBytes = Double.NaN;
    final List<String> notes = new ArrayList<>();
    String failure;

    Figures(String product) {
      this.product = product;
    }

    double perZnode(int znodes) {
      return (after - baseline) / znodes;
    }

    /** Growth over the second half alone: start-up allocations and caches do not count. */
    double perZnodeSecondHalf(int znodes) {
      return (after - half) / (znodes - znodes / 2);
    }
  }

  /** The tree both products get: which path and which data the k-th znode has. */
  private record Layout(int znodes, int dataSize) {
    int parents() {
      return (znodes + FANOUT - 1) / FANOUT;
    }

    String parent(int p) {
      int width = Math.max(3, Integer.toString(parents() - 1).length());
      return String.format(Locale.ROOT, "/mem/p%0" + width + "d", p);
    }

    String path(int k) {
      return parent(k / FANOUT) + String.format(Locale.ROOT, "/n%03d", k % FANOUT);
    }

    /** Random, but reproducible, so a restarted server's data can be checked. */
    byte[] data(int k) {
      byte[] b = new byte[dataSize];
      new SplittableRandom(SEED + k).nextBytes(b);
      return b;
    }
  }

  static void run(Cluster.ServerJvm jvm, Set<String> products, int znodes, int dataSize) {
    String who = products.containsAll(List.of("paddock", "zookeeper"))
        ? "Paddock vs Apache ZooKeeper 3.9.5"
        : products.contains("paddock") ? "Paddock" : "Apache ZooKeeper 3.9.5";
    System.out.println();
    System.out.println("=== memory: standalone servers, " + znodes + " znodes x " + dataSize
        + " B, " + who + " ===");
    System.out.flush();
    Layout tree = new Layout(znodes, dataSize);
    List<Figures> all = new ArrayList<>();
    if (products.contains("paddock")) {
      all.add(measure("Paddock", () -> PaddockCluster.standalone(jvm, null), tree));
    }
    if (products.contains("zookeeper")) {
      all.add(measure("ZooKeeper", () -> ZooKeeperCluster.standalone(jvm), tree));
    }
    print(all, znodes);
    List<String> failed = all.stream().filter(f -> f.failure != null)
        .map(f -> f.product + ": " + f.failure).toList();
    if (!failed.isEmpty()) {
      throw new IllegalStateException(String.join("; ", failed));
    }
  }

  private static Figures measure(String product, Callable<Cluster> maker, Layout tree) {
    Figures f = new Figures(product);
    Cluster c = null;
    try {
      c = maker.call();
      Bench.progress(product + ": starting a standalone server (" + CpuMonitor.loadAverage()
          + " load average)");
      long t0 = System.nanoTime();
      c.startAll();
      f.start = awaitStandalone(c, t0, START_MAX, "its first start");
      try (ZooKeeper zk = connect(c.clientAddress(0))) {
        f.baseline = liveHeap(c);
        Bench.progress(product + ": live heap before the creates " + mb(f.baseline) + " MB");
        create(zk, c, tree, f);
        f.after = liveHeap(c);
        Bench.progress(product + ": live heap after " + tree.znodes() + " creates "
            + mb(f.after) + " MB, " + bytes(f.perZnode(tree.znodes())) + " B per znode");
      }
      f.dirBytes = dataDir(c, f, "after the creates");
      f.term = restart(c, tree, false);
      f.kill = restart(c, tree, true);
      dataDir(c, f, "after both restarts");
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      f.failure = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
      Bench.progress(product + " failed: " + e);
      if (c != null) {
        System.err.println(c.logTails());
      }
    } finally {
      if (c != null) {
        Bench.progress(product + ": stopping");
        c.close();
      }
    }
    return f;
  }

  /** Creates the tree, with a live-heap reading at the half-way point. */
  private static void create(ZooKeeper zk, Cluster c, Layout tree, Figures f) throws Exception {
    zk.create("/mem", new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    Creator creator = new Creator(zk);
    for (int p = 0; p < tree.parents(); p++) {
      creator.create(tree.parent(p), new byte[0]);
    }
    // A child's create must not overtake its parent's.
    creator.drain();
    int n = tree.znodes();
    int step = Math.max(1, n / 10);
    long spent = 0;
    long t = System.nanoTime();
    for (int k = 0; k < n; k++) {
      if (k == n / 2 && k > 0) {
        creator.drain();
        spent += System.nanoTime() - t;
        f.half = liveHeap(c);
        Bench.progress(f.product + ": live heap after " + k + " creates " + mb(f.half) + " MB");
        t = System.nanoTime();
      }
      creator.create(tree.path(k), tree.data(k));
      if ((k + 1) % step == 0) {
        double s = (spent + System.nanoTime() - t) / 1e9;
        Bench.progress(String.format(Locale.ROOT, "%s: %d of %d znodes sent, %.0f creates/s",
            f.product, k + 1, n, (k + 1) / s));
      }
    }
    creator.drain();
    spent += System.nanoTime() - t;
    f.createRate = n / (spent / 1e9);
  }

  /** Asynchronous creates with at most {@value #WINDOW} unanswered; the first error fails. */
  private static final class Creator {
    private final ZooKeeper zk;
    private final Semaphore window = new Semaphore(WINDOW);
    private final AtomicReference<String> error = new AtomicReference<>();

    Creator(ZooKeeper zk) {
      this.zk = zk;
    }

    void create(String path, byte[] data) throws InterruptedException {
      check();
      if (!window.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("none of " + WINDOW + " outstanding creates answered "
            + "within 60 s");
      }
      zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
          (rc, p, ctx, name) -> {
            if (rc != KeeperException.Code.OK.intValue()) {
              error.compareAndSet(null, "create " + p + " failed: " + KeeperException.Code.get(rc));
            }
            window.release();
          }, null);
    }

    void drain() throws InterruptedException {
      if (!window.tryAcquire(WINDOW, 120, TimeUnit.SECONDS)) {
        throw new IllegalStateException("creates still unanswered after 120 s");
      }
      window.release(WINDOW);
      check();
    }

    private void check() {
      if (error.get() != null) {
        throw new IllegalStateException(error.get());
      }
    }
  }

  /**
   * Stops the server (SIGTERM, or SIGKILL for {@code crash}), starts it again and returns the ms
   * from the start until srvr says standalone and until a fresh client has read the last znode;
   * then checks the tree.
   */
  private static double[] restart(Cluster c, Layout tree, boolean crash) throws Exception {
    String how = crash ? "kill -9" : "SIGTERM";
    ChildProcess p = c.members.get(0).process();
    long stopAt = System.nanoTime();
    if (crash) {
      c.kill9(0);
    } else {
      p.stop();
    }
    if (p.alive()) {
      throw new IllegalStateException(p.name() + " still runs after " + how);
    }
    Bench.progress(String.format(Locale.ROOT, "%s: %s took %.0f ms (%s); restarting", c.product,
        how, ms(System.nanoTime() - stopAt), p.exitDescription()));
    long t0 = System.nanoTime();
    c.restart(0);
    double serving = awaitStandalone(c, t0, RESTART_MAX, "its restart after " + how);
    int last = tree.znodes() - 1;
    try (ZooKeeper zk = connect(c.clientAddress(0))) {
      byte[] got = zk.getData(tree.path(last), false, null);
      double read = ms(System.nanoTime() - t0);
      Bench.progress(String.format(Locale.ROOT, "%s: restart after %s: serving after %.0f ms, "
          + "first read after %.0f ms", c.product, how, serving, read));
      verify(zk, tree, last, got, how);
      return new double[] {serving, read};
    }
  }

  /** Ms from t0 until srvr says standalone; every 10 ms, finer than Cluster.awaitServing. */
  private static double awaitStandalone(Cluster c, long t0, Duration max, String what)
      throws InterruptedException {
    ChildProcess p = c.members.get(0).process();
    while (!"standalone".equals(c.mode(0))) {
      if (!p.alive()) {
        throw new IllegalStateException(p.name() + " ended during " + what + " ("
            + p.exitDescription() + ")");
      }
      if (System.nanoTime() - t0 > max.toNanos()) {
        throw new IllegalStateException(p.name() + " not serving " + max + " after " + what);
      }
      Thread.sleep(10);
    }
    return ms(System.nanoTime() - t0);
  }

  private static void verify(ZooKeeper zk, Layout tree, int last, byte[] got, String how)
      throws Exception {
    int expected = tree.parents() + tree.znodes();
    int count = zk.getAllChildrenNumber("/mem");
    if (count != expected) {
      throw new IllegalStateException("after the restart after " + how + ": " + count
          + " znodes under /mem, expected " + expected + " (" + tree.parents() + " parents + "
          + tree.znodes() + " children)");
    }
    int sample = new SplittableRandom().nextInt(tree.znodes());
    for (int k : new int[] {last, sample}) {
      byte[] data = k == last ? got : zk.getData(tree.path(k), false, null);
      if (!Arrays.equals(data, tree.data(k))) {
        throw new IllegalStateException("after the restart after " + how + ": " + tree.path(k)
            + " holds " + data.length + " bytes that differ from the " + tree.dataSize()
            + " written");
      }
    }
  }

  private static ZooKeeper connect(String address) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(address, SESSION_TIMEOUT_MS, e -> {
      if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(SESSION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
      zk.close(2000);
      throw new IllegalStateException("no session with " + address + " within "
          + SESSION_TIMEOUT_MS + " ms");
    }
    return zk;
  }

  private static double liveHeap(Cluster c) throws IOException, InterruptedException {
    long pid = c.members.get(0).process().pid();
    if (pid < 0) {
      throw new IllegalStateException(c.describe() + " is not running");
    }
    return MemoryProbe.liveHeap(pid);
  }

  private static double dataDir(Cluster c, Figures f, String when) throws Exception {
    MemoryProbe.DirUsage u = MemoryProbe.dirUsage(c.dir.resolve("data"));
    f.notes.add(String.format(Locale.ROOT, "data dir %s: %d files, %.1f MB (%s MB allocated); "
        + "%d snapshot files, %.1f MB", when, u.files(), u.bytes() / MB,
        u.allocated() < 0 ? "n/a" : mb(u.allocated()), u.snapshots(), u.snapshotBytes() / MB));
    Bench.progress(c.product + ": data dir " + when + ":" + u.listing());
    return u.bytes();
  }

  private static void print(List<Figures> all, int znodes) {
    String row = "%-9s | %8s %8s %8s %8s | %8s | %8s | %8s %8s | %8s %8s | %8s";
    System.out.println(String.format(Locale.ROOT, row, "", "live", "heap", "B/znode", "B/znode",
        "create", "empty", "SIGTERM", "restart", "kill -9", "restart", "data dir"));
    System.out.println(String.format(Locale.ROOT, row, "product", "base MB", "after MB", "all",
        "2nd half", "ops/s", "start ms", "serving", "1st read", "serving", "1st read", "MB"));
    for (Figures f : all) {
      System.out.println(String.format(Locale.ROOT, row, f.product, mb(f.baseline), mb(f.after),
          bytes(f.perZnode(znodes)), bytes(f.perZnodeSecondHalf(znodes)), bytes(f.createRate),
          bytes(f.start), bytes(f.term[0]), bytes(f.term[1]), bytes(f.kill[0]), bytes(f.kill[1]),
          mb(f.dirBytes)));
    }
    System.out.println("live heap: jcmd GC.class_histogram after a full GC (second of two); "
        + "B/znode = heap growth / znodes, over all creates and over the second half alone; "
        + "ms from the process start until srvr says standalone (empty start: the first one, "
        + "no data) / until a fresh official client has read a znode");
    for (Figures f : all) {
      for (String note : f.notes) {
        System.out.println(f.product + ": " + note);
      }
      if (f.failure != null) {
        System.out.println(f.product + " n/a: " + f.failure);
      }
    }
    Figures p = all.stream().filter(f -> f.product.equals("Paddock")).findFirst().orElse(null);
    Figures z = all.stream().filter(f -> f.product.equals("ZooKeeper")).findFirst().orElse(null);
    if (p != null && z != null) {
      System.out.println("Paddock/ZooKeeper (goal <= 0.50 each): B/znode "
          + Bench.ratio(p.perZnode(znodes), z.perZnode(znodes)) + " (2nd half "
          + Bench.ratio(p.perZnodeSecondHalf(znodes), z.perZnodeSecondHalf(znodes))
          + "); restart after SIGTERM " + Bench.ratio(p.term[0], z.term[0]) + " serving, "
          + Bench.ratio(p.term[1], z.term[1]) + " first read; after kill -9 "
          + Bench.ratio(p.kill[0], z.kill[0]) + " serving, " + Bench.ratio(p.kill[1], z.kill[1])
          + " first read");
    }
    System.out.flush();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static String mb(double bytes) {
    return Double.isNaN(bytes) ? "n/a" : String.format(Locale.ROOT, "%.1f", bytes / MB);
  }

  private static String bytes(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
  }
}
