package dev.paddock.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * Compare-and-set plus reads, one request at a time per client, with and without pauses: the
 * workload of a Jepsen-style register test. Per product a 3-server ensemble, 6 clients (see
 * {@link CasClient}); after an unmeasured warm-up a window without faults, then at once a window
 * in which {@link Pauser} SIGSTOPs a random server 4 s of every 7. Ops are counted as such a
 * test counts them: a read, or a CAS attempt whether it succeeded or met another version.
 */
final class CasBench {
  static final int CLIENTS = 6;
  static final int KEYS = 5;
  static final int DATA_SIZE = 100;
  /**
   * As long as the latency scenario's: at one request at a time a short warm-up would measure
   * the servers' interpreter rather than their request path.
   */
  static final Duration WARMUP = Bench.LOW_LOAD_WARMUP;

  /** What one product did; a window it did not get to is null, with {@link #failure} saying why. */
  private static final class Outcome {
    String label;
    CasStats.Result plain;
    CasStats.Result paused;
    List<Pauser.Pause> pauses = List.of();
    String startedOn = "";
    String endedOn = "";
    int negotiatedMs = -1;
    int stuckClients;
    String failure;
  }

  private CasBench() {}

  static void run(Cluster.ServerJvm jvm, Set<String> products, Duration plain, Duration paused) {
    System.out.println();
    System.out.println("=== cas: 3-server ensembles, 6 clients, compare-and-set + reads one at a "
        + "time, Paddock vs Apache ZooKeeper 3.9.5 ===");
    System.out.println(CLIENTS + " clients, each its own session of the official ZooKeeper 3.9.5 "
        + "client (synchronous API), all three servers in its list, 2 starting on each server; "
        + "session timeout " + CasClient.SESSION_TIMEOUT_MS + " ms, request timeout "
        + CasClient.REQUEST_TIMEOUT_MS + " ms");
    System.out.println("each op on a random key of " + KEYS + " (" + DATA_SIZE + " B): p=1/2 "
        + "getData (read), else compare-and-set = getData + setData(key, value, that version) "
        + "(cas-ok, or cas-fail on BadVersion); errors are not ops; warm-up " + WARMUP.toSeconds()
        + " s unmeasured");
    System.out.flush();
    Outcome p = products.contains("paddock")
        ? runProduct(() -> PaddockCluster.ensemble(jvm, null), plain, paused) : null;
    Outcome z = products.contains("zookeeper")
        ? runProduct(() -> ZooKeeperCluster.ensemble(jvm), plain, paused) : null;
    printPhase("cas: " + plain.toSeconds() + " s measured, no faults", p, z, false);
    printPhase(String.format(Locale.ROOT, "cas, paused: %d s measured, right after; %d pauses: "
        + "%d s in, then every %d s, one server (Random seed %d) SIGSTOPped for %d s",
        paused.toSeconds(), Pauser.pausesIn(paused), Pauser.RUNNING.toSeconds(),
        Pauser.CYCLE.toSeconds(), Pauser.SEED, Pauser.PAUSED.toSeconds()), p, z, true);
    System.out.flush();
    List<String> failures = new ArrayList<>();
    for (Outcome o : new Outcome[] {p, z}) {
      if (o != null && o.failure != null) {
        failures.add(o.failure);
      }
    }
    if (!failures.isEmpty()) {
      throw new IllegalStateException(String.join("; ", failures));
    }
  }

  private static Outcome runProduct(Bench.ClusterMaker maker, Duration plain, Duration paused) {
    Outcome o = new Outcome();
    o.label = "?";
    Cluster c = null;
    List<CasClient> clients = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    CountDownLatch stop = new CountDownLatch(1);
    Pauser pauser = null;
    try {
      c = maker.make();
      o.label = c.describe();
      Bench.progress(o.label + ": starting (" + CpuMonitor.loadAverage() + " load average)");
      c.startAll();
      int leader = c.awaitServing(Duration.ofSeconds(120));
      Bench.progress(o.label + ": serving, leader " + c.members.get(leader).process().name());
      awaitClientPorts(c, Duration.ofSeconds(15));
      List<String> keys = new ArrayList<>();
      for (int k = 0; k < KEYS; k++) {
        keys.add("/cas/k" + k);
      }
      List<CasStats> windows = new CopyOnWriteArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        CasClient client = new CasClient(i, c, i % c.members.size(), keys, windows, DATA_SIZE,
            stop);
        client.connect();
        clients.add(client);
      }
      o.negotiatedMs = clients.get(0).negotiatedTimeout();
      o.startedOn = placement(c, clients, true);
      Bench.progress(o.label + ": " + CLIENTS + " sessions (" + o.negotiatedMs + " ms), on "
          + o.startedOn);
      createKeys(clients.get(0).handle(), keys);
      long start = System.nanoTime() + WARMUP.toNanos();
      CasStats plainWindow = new CasStats("cas", start, plain, CLIENTS);
      CasStats pausedWindow = new CasStats("cas, paused", plainWindow.endNanos, paused, CLIENTS);
      windows.addAll(List.of(plainWindow, pausedWindow));
      for (CasClient client : clients) {
        Thread t = new Thread(client, "cas-client-" + threads.size());
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
      Bench.progress("  warm-up " + WARMUP.toSeconds() + " s, then " + plain.toSeconds()
          + " s without faults ...");
      waitUntil(plainWindow.startNanos, null);
      plainWindow.cpuStart(CpuMonitor.sample(c));
      waitUntil(plainWindow.endNanos, plainWindow);
      CpuMonitor.Sample mid = CpuMonitor.sample(c);
      plainWindow.cpuEnd(mid);
      pausedWindow.cpuStart(mid);
      o.plain = plainWindow.result();
      Bench.progress(String.format(Locale.ROOT, "  cas: %d ops, %.0f ops/s, errors %s; now %d s "
          + "with pauses ...", o.plain.ops(), o.plain.opsPerSec(), o.plain.errors(),
          paused.toSeconds()));
      pauser = new Pauser(c, pausedWindow);
      pauser.start();
      waitUntil(pausedWindow.endNanos, pausedWindow);
      pausedWindow.cpuEnd(CpuMonitor.sample(c));
      o.pauses = pauser.finish(Duration.ofSeconds(10));
      pauser = null;
      o.paused = pausedWindow.result();
      o.endedOn = placement(c, clients, false);
      Bench.progress(String.format(Locale.ROOT, "  cas, paused: %d ops, %.0f ops/s, errors %s",
          o.paused.ops(), o.paused.opsPerSec(), o.paused.errors()));
    } catch (Exception e) {
      o.failure = o.label + " failed: " + Bench.rootMessage(e);
      Bench.progress(o.failure);
      if (c != null) {
        System.err.println(c.logTails());
      }
    } finally {
      stop.countDown();
      if (pauser != null) {
        pauser.finish(Duration.ZERO);
      }
      Pauser.resumeAll(c);
      o.stuckClients = stopClients(threads, clients);
      if (c != null) {
        Bench.progress(o.label + ": stopping");
        c.close();
      }
    }
    return o;
  }

  private static void awaitClientPorts(Cluster c, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    for (int i = 0; i < c.members.size(); i++) {
      while (!c.clientPortAnswers(i) && System.nanoTime() - deadline < 0) {
        Thread.sleep(200);
      }
    }
  }

  /** The register's keys under /cas, created once; a lost connection is retried for 60 s. */
  private static void createKeys(ZooKeeper zk, List<String> keys) throws Exception {
    byte[] data = new byte[DATA_SIZE];
    new Random(7).nextBytes(data);
    List<String> paths = new ArrayList<>();
    paths.add("/cas");
    paths.addAll(keys);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (String path : paths) {
      while (true) {
        try {
          zk.create(path, data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
          break;
        } catch (KeeperException.NodeExistsException e) {
          break;
        } catch (KeeperException e) {
          boolean retry = e.code() == KeeperException.Code.CONNECTIONLOSS
              || e.code() == KeeperException.Code.OPERATIONTIMEOUT
              || e.code() == KeeperException.Code.REQUESTTIMEOUT;
          if (!retry || System.nanoTime() - deadline > 0) {
            throw e;
          }
          Thread.sleep(100);
        }
      }
    }
  }

  /** Waits for a deadline, telling the progress of a window every 5 s. */
  private static void waitUntil(long deadline, CasStats window) throws InterruptedException {
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 1000)));
      if (window != null && System.nanoTime() - nextReport >= 0 && deadline - nextReport > 0) {
        nextReport += TimeUnit.SECONDS.toNanos(5);
        Bench.progress(String.format(Locale.ROOT, "    %.0f s: %d ops, %d errors",
            (System.nanoTime() - window.startNanos) / 1e9, window.ops(), window.errorCount()));
      }
    }
  }

  /**
   * Lets the clients finish their current request (bounded by the request timeout), then
   * closes the sessions; a client still inside a request is freed by its session's close.
   * Returns how many clients had not stopped by then.
   */
  private static int stopClients(List<Thread> threads, List<CasClient> clients) {
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(CasClient.REQUEST_TIMEOUT_MS + 5_000);
    try {
      for (Thread t : threads) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      }
      List<Thread> closers = new ArrayList<>();
      for (CasClient client : clients) {
        Thread t = new Thread(() -> client.close(3000), "cas-close");
        t.setDaemon(true);
        closers.add(t);
        t.start();
      }
      long closeDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      for (Thread t : closers) {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(closeDeadline - System.nanoTime())));
      }
      for (Thread t : threads) {
        t.join(2000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int stuck = (int) threads.stream().filter(Thread::isAlive).count();
    if (stuck > 0) {
      Bench.progress("  " + stuck + " client threads still inside a request; abandoned");
    }
    return stuck;
  }

  private static String placement(Cluster c, List<CasClient> clients, boolean first) {
    Map<String, Integer> count = new TreeMap<>();
    for (CasClient client : clients) {
      int m = first ? client.firstServer() : client.currentServer();
      count.merge(m < 0 ? "not connected" : c.members.get(m).process().name(), 1, Integer::sum);
    }
    return count.entrySet().stream().map(e -> e.getKey() + " x" + e.getValue())
        .collect(Collectors.joining(", "));
  }

  // ---- printing ----

  private static void printPhase(String title, Outcome p, Outcome z, boolean paused) {
    System.out.println();
    System.out.println(title);
    System.out.println(String.format(Locale.ROOT, "%-10s | %8s %8s %8s %8s %8s %8s %8s %8s",
        "", "ops", "ops/s", "reads", "cas-ok", "cas-fail", "errors", "p50 ms", "p99 ms"));
    for (Outcome o : new Outcome[] {p, z}) {
      if (o == null) {
        continue;
      }
      String name = o.label.startsWith("Paddock") ? "Paddock" : "ZooKeeper";
      CasStats.Result r = paused ? o.paused : o.plain;
      if (r == null) {
        System.out.println(String.format(Locale.ROOT, "%-10s | n/a: %s", name,
            o.failure == null ? "not run" : o.failure));
        continue;
      }
      System.out.println(String.format(Locale.ROOT, "%-10s | %8d %8.1f %8d %8d %8d %8d %8s %8s",
          name, r.ops(), r.opsPerSec(), r.reads(), r.casOk(), r.casFail(), r.errorCount(),
          ms(r.latency().p50()), ms(r.latency().p99())));
    }
    CasStats.Result pr = p == null ? null : paused ? p.paused : p.plain;
    CasStats.Result zr = z == null ? null : paused ? z.paused : z.plain;
    if (pr == null || zr == null || zr.ops() == 0) {
      System.out.println("Paddock/ZooKeeper ops: n/a (goal >= 1.0)");
    } else {
      double ratio = (double) pr.ops() / zr.ops();
      System.out.println(String.format(Locale.ROOT, "Paddock/ZooKeeper ops: %.2f (goal >= 1.0: "
          + "%s)", ratio, ratio >= 1.0 ? "met" : "not met"));
    }
    for (Outcome o : new Outcome[] {p, z}) {
      CasStats.Result r = o == null ? null : paused ? o.paused : o.plain;
      if (r != null) {
        printDetails(o, r, paused);
      }
    }
  }

  private static void printDetails(Outcome o, CasStats.Result r, boolean paused) {
    System.out.println(String.format(Locale.ROOT, "  %s: p99.9 %s ms, max %s ms, longest time "
        + "without a completed op %.2f s; errors %s; disconnects %d, new sessions %d; %s",
        o.label, ms(r.latency().p999()), ms(r.latency().max()), r.longestStallMs() / 1000,
        r.errors(), r.disconnects(), r.newSessions(),
        r.cpu() == null ? "" : r.cpu().describe()));
    if (!paused) {
      System.out.println("    sessions: negotiated timeout " + o.negotiatedMs + " ms; started on "
          + o.startedOn);
      return;
    }
    double pausedSeconds = 0;
    long pausedOps = 0;
    for (Pauser.Pause x : o.pauses) {
      pausedSeconds += x.seconds();
      pausedOps += x.ops();
    }
    double runningSeconds = r.seconds() - pausedSeconds;
    System.out.println(String.format(Locale.ROOT, "    ops/s while a server was stopped %s "
        + "(%.1f s), while none was %s (%.1f s); leader paused %d of %d times; sessions at the "
        + "end on %s%s", pausedSeconds > 0 ? String.format(Locale.ROOT, "%.1f",
        pausedOps / pausedSeconds) : "n/a", pausedSeconds, runningSeconds > 0
        ? String.format(Locale.ROOT, "%.1f", (r.ops() - pausedOps) / runningSeconds) : "n/a",
        runningSeconds, o.pauses.stream().filter(Pauser.Pause::wasLeader).count(),
        o.pauses.size(), o.endedOn, o.stuckClients > 0 ? "; " + o.stuckClients
        + " clients never returned from a request" : ""));
    for (int i = 0; i < o.pauses.size(); i++) {
      System.out.println("    pause " + (i + 1) + ": " + o.pauses.get(i).describe());
    }
    StringBuilder perSecond = new StringBuilder("    ops per second:");
    for (long n : r.perSecond()) {
      perSecond.append(' ').append(n);
    }
    System.out.println(perSecond);
  }

  private static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.2f", v);
  }
}
