package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Throughput, latency and failover figures for Paddock, and for Apache ZooKeeper 3.9.5 on the
 * same machine in the same run. Not a test: run it with {@code bench/run.sh} (see
 * docs/benchmarks.md).
 *
 * <pre>
 * bench/run.sh [options] scenario...
 *   typed-standalone  typed-ensemble  wire-standalone  wire-ensemble  wire-ensemble-5  latency
 *   cas  memory  all; transport and tree (not in all)
 * options: --seconds=10 --warmup=5 --clients=4 --outstanding=200 --size=100 --failovers=3
 *          --quiet-wait=0 --heap=1g --products=paddock,zookeeper --typed-api=ask|facade
 *          --ops=create,setData,getData,mixed --node-arg=-Dkey=value (repeatable) --jfr=DIR --keep
 *          --tls (wire scenarios: Paddock only, over its TLS client port)
 *          --znodes=500000 (memory) --cas-seconds=30 --paused-seconds=65 (cas)
 * </pre>
 *
 * Tables go to stdout, progress to stderr.
 */
public final class Bench {
  static final Duration LOW_LOAD_WARMUP = Duration.ofSeconds(15);

  private Bench() {}

  static void progress(String line) {
    System.err.println("[bench " + DateTimeFormatter.ofPattern("HH:mm:ss")
        .format(ZonedDateTime.now()) + "] " + line);
  }

  public static void main(String[] args) throws Exception {
    BenchOptions o;
    try {
      o = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    Cleanup.keepFiles(o.keep());
    if (o.jfrDir() != null) {
      Files.createDirectories(o.jfrDir());
    }
    Cluster.ServerJvm jvm = new Cluster.ServerJvm(
        List.of("-Xms" + o.heap(), "-Xmx" + o.heap()), o.jfrDir(), o.nodeArgs());
    printMachine(o, jvm);
    int status = 0;
    try {
      status = runAll(o, jvm);
    } catch (Throwable t) {
      status = 1;
      t.printStackTrace();
    } finally {
      // Always exit: the client actor systems' threads would keep a failed run alive.
      System.out.flush();
      System.exit(status);
    }
  }

  private static int runAll(BenchOptions o, Cluster.ServerJvm jvm) {
    int status = 0;
    for (String s : o.scenarios()) {
      try {
        switch (s) {
          case "typed-standalone" -> typed(o, jvm, false);
          case "typed-ensemble" -> typed(o, jvm, true);
          case "wire-standalone" -> wire(o, jvm, 1);
          case "wire-ensemble" -> wire(o, jvm, 3);
          case "wire-ensemble-5" -> wire(o, jvm, 5);
          case "latency" -> latency(o, jvm);
          case "cas" -> CasBench.run(jvm, o.products(), o.casTime(), o.pausedTime());
          case "memory" -> MemoryBench.run(jvm, o.products(), o.znodes(), o.load().dataSize());
          case "transport" -> TransportBench.run();
          case "tree" -> TreeApplyBench.run(Math.min(o.znodes(), 300_000));
          default -> throw new IllegalStateException(s);
        }
      } catch (Exception | LinkageError e) {
        status = 1;
        System.out.println("\n" + s + " FAILED: " + e);
        e.printStackTrace();
      }
    }
    return status;
  }

  private static void printMachine(BenchOptions o, Cluster.ServerJvm jvm) {
    System.out.println("Paddock benchmark, " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")
        .format(ZonedDateTime.now()));
    System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores ("
        + cpuModel() + "), " + System.getProperty("os.name") + " "
        + System.getProperty("os.version") + ", Java " + System.getProperty("java.version")
        + ", load average " + CpuMonitor.loadAverage());
    System.out.println("servers: separate JVMs " + String.join(" ", jvm.options())
        + (o.jfrDir() != null ? " + JFR to " + o.jfrDir() : "")
        + (o.nodeArgs().isEmpty() ? "" : "; Paddock nodes also get " + o.nodeArgs())
        + "; all on loopback with the benchmark's clients");
    // Only the typed and wire scenarios run this load; the others print theirs with their tables.
    if (o.scenarios().stream().anyMatch(x -> x.startsWith("typed-") || x.startsWith("wire-"))) {
      Load.Settings s = o.load();
      System.out.println("load: " + s.clients() + " clients x " + s.outstanding()
          + " outstanding requests, " + s.dataSize() + "-byte data, warm-up "
          + s.warmup().toSeconds() + " s then " + s.measure().toSeconds() + " s measured per op"
          + (s.quietWait().isZero() ? "" : "; each phase waits up to "
          + s.quietWait().toSeconds() + " s for other processes to go quiet"));
    }
    warnAboutNoise();
  }

  private static void warnAboutNoise() {
    List<String> others = CpuMonitor.otherJavaProcesses();
    if (!others.isEmpty()) {
      System.out.println("note: other Java/Maven processes are running; figures will be noisy:");
      for (String p : others) {
        System.out.println("  " + p);
      }
    }
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  // ---- scenarios ----

  interface ClusterMaker {
    Cluster make() throws IOException;
  }

  /** What one product did in one scenario. */
  private record Run(String label, List<Load.Result> results, List<Failover.Round> failovers,
      String unavailable, String failoverError) {}

  private static void typed(BenchOptions o, Cluster.ServerJvm jvm, boolean ensemble) {
    String name = ensemble ? "typed-ensemble" : "typed-standalone";
    header(name, "Paddock " + (ensemble ? "3-server ensemble" : "standalone server")
        + " (node.jar processes), " + o.typed().describe());
    Run run = runTarget(o, () -> ensemble ? PaddockCluster.ensemble(jvm, null)
        : PaddockCluster.standalone(jvm, null), o.typed(), ensemble, false);
    printSingle(run, o);
  }

  /** @param servers 1 for a standalone server, else the size of the ensemble */
  private static void wire(BenchOptions o, Cluster.ServerJvm jvm, int servers)
      throws IOException {
    boolean ensemble = servers > 1;
    String name = !ensemble ? "wire-standalone"
        : servers == 3 ? "wire-ensemble" : "wire-ensemble-" + servers;
    BenchTls tls = o.tls() ? BenchTls.create() : null;
    Driver.Factory factory = tls == null ? WireDriver.FACTORY : WireDriver.overTls(tls);
    // Only Paddock's servers are given TLS settings; a plaintext ZooKeeper beside them would
    // not be a comparison.
    boolean withZooKeeper = o.products().contains("zookeeper") && tls == null;
    header(name, (ensemble ? servers + "-server ensembles" : "standalone servers") + ", "
        + factory.describe() + (withZooKeeper ? ", Paddock vs Apache ZooKeeper 3.9.5" : ""));
    Run paddock = null;
    Run zookeeper = null;
    if (o.products().contains("paddock")) {
      paddock = runTarget(o, () -> ensemble ? PaddockCluster.ensemble(jvm, tls, servers)
          : PaddockCluster.standalone(jvm, tls), factory, ensemble, true);
    }
    if (withZooKeeper) {
      zookeeper = runTarget(o, () -> ensemble ? ZooKeeperCluster.ensemble(jvm, servers)
          : ZooKeeperCluster.standalone(jvm), WireDriver.FACTORY, ensemble, true);
    }
    printComparison(paddock, zookeeper, o);
  }

  /**
   * 3-server ensembles at low load, where most real clients live: one client with one request
   * in flight, then 4 clients with 8 each, every client on a follower (writes are forwarded).
   * setData and getData only (create runs unreported to make their nodes), no fail-over. The
   * warm-up is at least {@link #LOW_LOAD_WARMUP}: at one request at a time a short warm-up
   * measures the interpreter, not the request path.
   */
  private static void latency(BenchOptions o, Cluster.ServerJvm jvm) {
    Load.Settings base = o.load();
    Duration warmup = base.warmup().compareTo(LOW_LOAD_WARMUP) < 0 ? LOW_LOAD_WARMUP
        : base.warmup();
    Set<Load.Op> ops = java.util.EnumSet.of(Load.Op.SET, Load.Op.GET);
    for (int[] shape : new int[][] {{1, 1}, {4, 8}}) {
      Load.Settings s = new Load.Settings(shape[0], shape[1], base.dataSize(), warmup,
          base.measure(), base.quietWait(), ops);
      BenchOptions low = o.withLoad(s);
      header("latency", "3-server ensembles, " + shape[0] + " client" + (shape[0] == 1 ? "" : "s")
          + " x " + shape[1] + " outstanding, official client, Paddock vs Apache ZooKeeper 3.9.5");
      Run paddock = o.products().contains("paddock") ? runTarget(low,
          () -> PaddockCluster.ensemble(jvm, null), WireDriver.FACTORY, false, true, true) : null;
      Run zookeeper = o.products().contains("zookeeper") ? runTarget(low,
          () -> ZooKeeperCluster.ensemble(jvm), WireDriver.FACTORY, false, true, true) : null;
      printComparison(paddock, zookeeper, low);
    }
  }

  private static void header(String name, String what) {
    System.out.println();
    System.out.println("=== " + name + ": " + what + " ===");
    System.out.flush();
  }

  private static Run runTarget(BenchOptions o, ClusterMaker maker, Driver.Factory factory,
      boolean failover, boolean wire) {
    return runTarget(o, maker, factory, failover, wire, false);
  }

  /** @param viaFollowers connect every client to a follower, never to the leader */
  private static Run runTarget(BenchOptions o, ClusterMaker maker, Driver.Factory factory,
      boolean failover, boolean wire, boolean viaFollowers) {
    Cluster c = null;
    List<Driver> drivers = new ArrayList<>();
    String label = "?";
    try {
      c = maker.make();
      label = c.describe();
      progress(label + ": starting (" + CpuMonitor.loadAverage() + " load average)");
      c.startAll();
      int leader = c.awaitServing(Duration.ofSeconds(120));
      progress(label + ": serving, leader " + c.members.get(leader).process().name());
      if (wire) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        boolean answers = false;
        while (!(answers = c.clientPortAnswers(leader)) && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        if (!answers && !listens(c.members.get(leader).clientPort())) {
          String why = label + ": nothing listens on the client port " + c.clientAddress(leader)
              + " (this node.jar does not serve the ZooKeeper wire protocol yet)";
          progress(why);
          return new Run(label, List.of(), List.of(), why, null);
        }
        if (!answers) {
          progress(label + ": client port " + c.clientAddress(leader) + " does not answer "
              + "ruok; trying the ZooKeeper client anyway");
        }
      }
      try {
        for (int i = 0; i < o.load().clients(); i++) {
          int member = viaFollowers && !c.standalone()
              ? (leader + 1 + i % (c.members.size() - 1)) % c.members.size()
              : i % c.members.size();
          drivers.add(factory.connect(List.of(factory.address(c, member))));
        }
      } catch (Exception e) {
        String why = label + " cannot be driven with the " + factory.describe() + ": "
            + rootMessage(e);
        progress(why);
        return new Run(label, List.of(), List.of(), why, null);
      }
      List<Load.Result> results = new Load(drivers, o.load(), c, leader).runAll();
      if (o.jfrDir() != null) {
        results = JfrFsyncs.fill(c, leader, o.jfrDir(), results);
      }
      for (Driver d : drivers) {
        d.close();
      }
      drivers.clear();
      List<Failover.Round> rounds = List.of();
      String failoverError = null;
      if (failover && o.failovers() > 0) {
        byte[] data = new byte[o.load().dataSize()];
        new Random(7).nextBytes(data);
        try {
          rounds = Failover.run(c, factory, o.failovers(), data);
        } catch (Exception e) {
          failoverError = rootMessage(e);
          progress(label + ": failover measurement failed: " + failoverError);
          Cleanup.spare(c.dir);
        }
      }
      return new Run(label, results, rounds, null, failoverError);
    } catch (Exception e) {
      String why = label + " failed: " + rootMessage(e);
      progress(why);
      if (c != null) {
        System.err.println(c.logTails());
      }
      return new Run(label, List.of(), List.of(), why, null);
    } finally {
      for (Driver d : drivers) {
        d.close();
      }
      if (c != null) {
        progress(label + ": stopping");
        c.close();
      }
    }
  }

  private static boolean listens(int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = e == t ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t + ")";
    return m.split("\n")[0];
  }

  // ---- printing ----

  private static void printSingle(Run run, BenchOptions o) {
    System.out.println(run.label() + "; " + loadLine(o));
    if (run.unavailable() != null) {
      System.out.println("n/a: " + run.unavailable());
      return;
    }
    System.out.println(String.format(Locale.ROOT, "%-9s %8s %8s %8s %8s %8s %7s %10s   %s",
        "op", "ops/s", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "errors", "srv us/op",
        "CPU cores: servers/bench/other"));
    for (Load.Result r : run.results()) {
      Latencies.Summary l = r.latency();
      System.out.println(String.format(Locale.ROOT, "%-9s %8s %8s %8s %8s %8s %7d %10s   %s",
          r.op().label, ops(r.opsPerSec()), ms(l.p50()), ms(l.p99()), ms(l.p999()),
          ms(l.max()), r.errors(), micros(r.serverMicrosPerOp()), cpu(r.cpu())));
    }
    printFsync(run);
    printErrors(run);
    printFailover(run);
  }

  private static void printComparison(Run p, Run z, BenchOptions o) {
    System.out.println(loadLine(o));
    if (p != null && p.unavailable() != null) {
      System.out.println("Paddock n/a: " + p.unavailable());
    }
    if (z != null && z.unavailable() != null) {
      System.out.println("ZooKeeper n/a: " + z.unavailable());
    }
    System.out.println(String.format(Locale.ROOT, "%-9s | %9s %8s %8s | %9s %8s %8s | %15s",
        "", "Paddock", "", "", "ZooKeeper", "", "", "Paddock/ZK"));
    System.out.println(String.format(Locale.ROOT, "%-9s | %9s %8s %8s | %9s %8s %8s | %7s %7s",
        "op", "ops/s", "p50 ms", "p99 ms", "ops/s", "p50 ms", "p99 ms", "ops/s", "p99"));
    for (Load.Op op : Load.Op.values()) {
      if (!o.load().ops().contains(op)) {
        continue;
      }
      Load.Result pr = find(p, op);
      Load.Result zr = find(z, op);
      System.out.println(String.format(Locale.ROOT, "%-9s | %9s %8s %8s | %9s %8s %8s | %7s %7s",
          op.label,
          pr == null ? "n/a" : ops(pr.opsPerSec()),
          pr == null ? "" : ms(pr.latency().p50()), pr == null ? "" : ms(pr.latency().p99()),
          zr == null ? "n/a" : ops(zr.opsPerSec()),
          zr == null ? "" : ms(zr.latency().p50()), zr == null ? "" : ms(zr.latency().p99()),
          pr == null || zr == null ? "n/a" : ratio(pr.opsPerSec(), zr.opsPerSec()),
          pr == null || zr == null ? "n/a" : ratio(pr.latency().p99(), zr.latency().p99())));
    }
    for (Run r : new Run[] {p, z}) {
      if (r == null || r.unavailable() != null) {
        continue;
      }
      System.out.println(r.label() + ":");
      for (Load.Result res : r.results()) {
        System.out.println(String.format(Locale.ROOT,
            "  %-8s p99.9 %s ms, max %s ms, errors %d, server CPU %s us/op; %s", res.op().label,
            ms(res.latency().p999()), ms(res.latency().max()), res.errors(),
            micros(res.serverMicrosPerOp()), res.cpu() == null ? "" : res.cpu().describe()));
      }
      printFsync(r);
      printErrors(r);
      printFailover(r);
    }
    if (p != null && z != null && !p.failovers().isEmpty() && !z.failovers().isEmpty()) {
      double pm = median(p.failovers());
      double zm = median(z.failovers());
      System.out.println(String.format(Locale.ROOT,
          "failover (median kill -9 leader -> next ack): Paddock %.0f ms, ZooKeeper %.0f ms, "
              + "ratio %s", pm, zm, ratio(pm, zm)));
    }
  }

  private static Load.Result find(Run r, Load.Op op) {
    if (r == null) {
      return null;
    }
    for (Load.Result x : r.results()) {
      if (x.op() == op && x.ok() > 0) {
        return x;
      }
    }
    return null;
  }

  private static void printFsync(Run r) {
    for (Load.Result res : r.results()) {
      if (!res.txnsPerFsync().isEmpty()) {
        System.out.println("  txns per fsync (" + res.op().label + ", leader): "
            + res.txnsPerFsync());
      }
    }
  }

  private static void printErrors(Run r) {
    for (Load.Result res : r.results()) {
      if (!res.errorKinds().isEmpty() || res.stuck() > 0) {
        System.out.println("  " + res.op().label + " errors (whole phase): " + res.errorKinds()
            + (res.stuck() > 0 ? "; " + res.stuck() + " requests unanswered 60 s after the "
            + "window" : ""));
      }
    }
  }

  private static void printFailover(Run r) {
    if (r.failoverError() != null) {
      System.out.println("  failover: n/a (" + r.failoverError() + ")");
    }
    if (r.failovers().isEmpty()) {
      return;
    }
    String each = r.failovers().stream()
        .map(f -> String.format(Locale.ROOT, "%.0f ms (killed %d, new leader %d, %d failed "
            + "writes%s; %s)", f.gapMs(), f.killedId(), f.newLeaderId(), f.failedWrites(),
            f.errors().isEmpty() ? "" : " " + f.errors(), f.phases().describe()))
        .collect(Collectors.joining("; "));
    System.out.println(String.format(Locale.ROOT,
        "  failover, kill -9 leader -> next acknowledged write (writer on the followers): "
            + "median %.0f ms over %d rounds: %s", median(r.failovers()), r.failovers().size(),
        each));
  }

  private static double median(List<Failover.Round> rounds) {
    double[] g = rounds.stream().mapToDouble(Failover.Round::gapMs).sorted().toArray();
    return g.length % 2 == 1 ? g[g.length / 2] : (g[g.length / 2 - 1] + g[g.length / 2]) / 2;
  }

  private static String loadLine(BenchOptions o) {
    Load.Settings s = o.load();
    return s.clients() + " clients x " + s.outstanding() + " outstanding, " + s.dataSize()
        + " B, warm-up " + s.warmup().toSeconds() + " s, measured " + s.measure().toSeconds()
        + " s";
  }

  private static String ops(double v) {
    return String.format(Locale.ROOT, "%.0f", v);
  }

  private static String ms(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    return v >= 100 ? String.format(Locale.ROOT, "%.0f", v)
        : String.format(Locale.ROOT, "%.1f", v);
  }

  private static String micros(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.0f", v);
  }

  static String ratio(double a, double b) {
    if (Double.isNaN(a) || Double.isNaN(b) || b == 0) {
      return "n/a";
    }
    return String.format(Locale.ROOT, "%.2f", a / b);
  }

  private static String cpu(CpuMonitor.Usage u) {
    return u == null ? "" : String.format(Locale.ROOT, "%.2f/%.2f/%.2f", u.servers(), u.bench(),
        u.other());
  }
}
