package dev.paddock.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Closed-loop load: every client keeps {@code outstanding} requests in flight; each completion
 * issues the next request from the completing thread (after an error, 5 ms later, so a
 * disconnected client does not spin). First every op runs once unmeasured for the warm-up time
 * (JIT). Then each measured phase runs a warm-up, then a measurement window; only completions
 * inside the window count, for throughput and latency (issue → completion). Then it stops
 * issuing and waits for what is in flight, so phases never overlap.
 *
 * <p>Phases: {@code create} (persistent nodes /bench/c{client}-{n} with {@code dataSize} random
 * bytes), {@code setData} and {@code getData} (cycling over up to 10,000 nodes each client
 * created).
 */
final class Load {
  /**
   * @param quietWait how long a phase may wait, before it starts, for other processes on the
   *     machine to use less than a quarter of a core (zero: start at once)
   * @param ops the phases to measure; create always runs (the others need its nodes), but is
   *     only reported when asked for
   */
  record Settings(int clients, int outstanding, int dataSize, Duration warmup, Duration measure,
      Duration quietWait, java.util.Set<Op> ops) {}

  enum Op {
    CREATE("create"), SET("setData"), GET("getData"),
    /** Nine getData for every setData, on the same nodes. */
    MIXED("mixed");

    final String label;

    Op(String label) {
      this.label = label;
    }
  }

  /**
   * @param fsyncStart the fsync probe at the start of the window (null for reads)
   * @param fsyncEnd the fsync probe at its end
   */
  record Result(Op op, long ok, double seconds, long errors, Map<String, Long> errorKinds,
      Latencies.Summary latency, String txnsPerFsync, CpuMonitor.Usage cpu, long stuck,
      FsyncProbe.Sample fsyncStart, FsyncProbe.Sample fsyncEnd) {
    Result withTxnsPerFsync(String value) {
      return new Result(op, ok, seconds, errors, errorKinds, latency, value, cpu, stuck,
          fsyncStart, fsyncEnd);
    }

    double opsPerSec() {
      return ok / seconds;
    }

    /** Server CPU time per completed request, in microseconds (all servers together). */
    double serverMicrosPerOp() {
      return cpu == null || ok == 0 ? Double.NaN : cpu.servers() * seconds * 1e6 / ok;
    }
  }

  private static final int NODES_PER_CLIENT = 10_000;

  private final List<Driver> drivers;
  private final Settings settings;
  private final Cluster cluster;
  private final int probeMember;
  private final byte[] data;
  private final int[][] created;
  private final int[] createdCount;
  private final AtomicLong[] nextCreate;
  private final ScheduledExecutorService retry = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-retry");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param probeMember the server whose fsync counters are read (the leader)
   */
  Load(List<Driver> drivers, Settings settings, Cluster cluster, int probeMember) {
    this.drivers = drivers;
    this.settings = settings;
    this.cluster = cluster;
    this.probeMember = probeMember;
    this.data = new byte[settings.dataSize()];
    new Random(42).nextBytes(data);
    int n = drivers.size();
    created = new int[n][NODES_PER_CLIENT];
    createdCount = new int[n];
    nextCreate = new AtomicLong[n];
    for (int i = 0; i < n; i++) {
      nextCreate[i] = new AtomicLong();
    }
  }

  List<Result> runAll() throws Exception {
    Driver.ensure(drivers.get(0), "/bench", Duration.ofSeconds(60));
    // Servers start cold: one unmeasured round of every op first, so that the JIT has compiled
    // every path before the first measured phase (otherwise creates, measured first, pay it).
    Bench.progress("  server warm-up: " + settings.warmup().toSeconds() + " s of each op, "
        + "not measured ...");
    for (Op op : Op.values()) {
      // The mixed load runs the paths that setData and getData have already warmed.
      if (op != Op.MIXED) {
        run(op, false);
      }
    }
    List<Result> out = new ArrayList<>();
    for (Op op : Op.values()) {
      if (op != Op.CREATE && !settings.ops().contains(op)) {
        continue;
      }
      Bench.progress("  " + op.label + ": warm-up " + settings.warmup().toSeconds() + " s, "
          + "measuring " + settings.measure().toSeconds() + " s ...");
      Result r = run(op, true);
      if (settings.ops().contains(op)) {
        out.add(r);
      }
      // A quiet spell between phases, so one op's tail (fsyncs, GC) is not charged to the next.
      Thread.sleep(1000);
    }
    retry.shutdownNow();
    return out;
  }

  private final class Phase {
    final Op op;
    volatile boolean issuing = true;
    volatile long windowStart = Long.MAX_VALUE;
    volatile long windowEnd = Long.MAX_VALUE;
    final AtomicLong inFlight = new AtomicLong();
    final LongAdder ok = new LongAdder();
    final LongAdder errors = new LongAdder();
    final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
    final Latencies latencies = new Latencies(drivers.size());
    final AtomicLong[] seq = new AtomicLong[drivers.size()];

    Phase(Op op) {
      this.op = op;
      for (int i = 0; i < seq.length; i++) {
        seq[i] = new AtomicLong();
      }
    }
  }

  /** One phase: warm-up, then (if {@code measure}) the measurement window. */
  private Result run(Op op, boolean measure) throws InterruptedException {
    Phase p = new Phase(op);
    if (!measure) {
      for (int i = 0; i < drivers.size(); i++) {
        for (int s = 0; s < settings.outstanding(); s++) {
          issue(p, i);
        }
      }
      Thread.sleep(settings.warmup().toMillis());
      p.issuing = false;
      drain(p);
      return null;
    }
    if (op != Op.CREATE) {
      for (int c : createdCount) {
        if (c == 0) {
          return new Result(op, 0, settings.measure().toNanos() / 1e9, 0,
              Map.of("no nodes were created to read or write", 1L),
              new Latencies(1).summary(), "", null, 0, null, null);
        }
      }
    }
    awaitQuiet();
    long t0 = System.nanoTime();
    p.windowStart = t0 + settings.warmup().toNanos();
    p.windowEnd = p.windowStart + settings.measure().toNanos();
    for (int i = 0; i < drivers.size(); i++) {
      for (int s = 0; s < settings.outstanding(); s++) {
        issue(p, i);
      }
    }
    // The fsync probe asks srvr and mntr. Paddock computes a digest of the whole tree for
    // those (on the actor that applies every txn), which stalls requests for ~0.1 s per 100k
    // nodes; so the probe runs 1.5 s before the window and right after it, while the load still
    // runs. A ratio of txns to fsyncs needs no exact window.
    sleepUntil(Math.max(t0, p.windowStart - 1_500_000_000L));
    FsyncProbe.Sample fa = op == Op.GET ? null : FsyncProbe.sample(cluster, probeMember);
    sleepUntil(p.windowStart);
    CpuMonitor.Sample cpuA = CpuMonitor.sample(cluster);
    sleepUntil(p.windowEnd);
    CpuMonitor.Sample cpuB = CpuMonitor.sample(cluster);
    FsyncProbe.Sample fb = op == Op.GET ? null : FsyncProbe.sample(cluster, probeMember);
    p.issuing = false;
    drain(p);
    Map<String, Long> kinds = new TreeMap<>();
    p.errorKinds.forEach((k, v) -> kinds.put(k, v.sum()));
    return new Result(op, p.ok.sum(), settings.measure().toNanos() / 1e9, p.errors.sum(), kinds,
        p.latencies.summary(), op == Op.GET ? "" : FsyncProbe.ratio(fa, fb),
        CpuMonitor.between(cpuA, cpuB), p.inFlight.get(), fa, fb);
  }

  /** Waits up to 60 s for the requests in flight to complete. */
  private static void drain(Phase p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (p.inFlight.get() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  /** Waits (up to quietWait) until other processes use less than 0.25 cores over 2 s. */
  private void awaitQuiet() throws InterruptedException {
    long deadline = System.nanoTime() + settings.quietWait().toNanos();
    boolean said = false;
    while (System.nanoTime() < deadline) {
      CpuMonitor.Sample a = CpuMonitor.sample(cluster);
      Thread.sleep(2000);
      double other = CpuMonitor.between(a, CpuMonitor.sample(cluster)).other();
      if (other < 0.25) {
        return;
      }
      if (!said) {
        Bench.progress(String.format(java.util.Locale.ROOT, "    other processes use %.2f "
            + "cores; waiting up to %d s for them to go quiet", other,
            settings.quietWait().toSeconds()));
        said = true;
      }
    }
    if (said) {
      Bench.progress("    starting anyway: the machine did not go quiet");
    }
  }

  private void issue(Phase p, int client) {
    if (!p.issuing) {
      return;
    }
    long n = p.seq[client].getAndIncrement();
    Driver d = drivers.get(client);
    String prefix = "/bench/c" + client + "-";
    p.inFlight.incrementAndGet();
    long start = System.nanoTime();
    try {
      switch (p.op) {
        case CREATE -> {
          long id = nextCreate[client].getAndIncrement();
          d.create(prefix + id, data, err -> {
            if (err == null) {
              remember(client, id);
            }
            completed(p, client, start, err);
          });
        }
        case SET -> d.setData(prefix + pick(client, n), data,
            err -> completed(p, client, start, err));
        case GET -> d.getData(prefix + pick(client, n), err -> completed(p, client, start, err));
        case MIXED -> {
          if (n % 10 == 0) {
            d.setData(prefix + pick(client, n), data, err -> completed(p, client, start, err));
          } else {
            d.getData(prefix + pick(client, n), err -> completed(p, client, start, err));
          }
        }
        default -> throw new IllegalStateException();
      }
    } catch (RuntimeException e) {
      completed(p, client, start, "thrown " + e.getClass().getSimpleName());
    }
  }

  private void completed(Phase p, int client, long start, String err) {
    long now = System.nanoTime();
    boolean inWindow = now >= p.windowStart && now < p.windowEnd;
    if (err == null) {
      if (inWindow) {
        p.latencies.record(client, now - start);
        p.ok.increment();
      }
    } else {
      if (inWindow) {
        p.errors.increment();
      }
      p.errorKinds.computeIfAbsent(err, k -> new LongAdder()).increment();
    }
    p.inFlight.decrementAndGet();
    if (err == null) {
      issue(p, client);
    } else if (p.issuing) {
      retry.schedule(() -> issue(p, client), 5, TimeUnit.MILLISECONDS);
    }
  }

  private void remember(int client, long id) {
    synchronized (created[client]) {
      if (createdCount[client] < NODES_PER_CLIENT) {
        created[client][createdCount[client]++] = (int) id;
      }
    }
  }

  private int pick(int client, long n) {
    synchronized (created[client]) {
      return created[client][(int) (n % createdCount[client])];
    }
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, Math.min(200, left / 1_000_000)));
    }
  }
}
