package dev.paddock.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the clients of the cas scenario did in one measurement window. An op or error belongs to
 * the window its completion falls in, so an op started during the warm-up and finished inside
 * the window counts, one finished after it does not.
 */
final class CasStats {
  enum Kind { READ, CAS_OK, CAS_FAIL }

  /** The figures of a finished window. */
  record Result(String name, double seconds, long reads, long casOk, long casFail,
      Map<String, Long> errors, Latencies.Summary latency, long newSessions, long disconnects,
      double longestStallMs, long[] perSecond, CpuMonitor.Usage cpu) {
    long ops() {
      return reads + casOk + casFail;
    }

    double opsPerSec() {
      return ops() / seconds;
    }

    long errorCount() {
      return errors.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  final String name;
  final long startNanos;
  final long endNanos;
  private final LongAdder reads = new LongAdder();
  private final LongAdder casOk = new LongAdder();
  private final LongAdder casFail = new LongAdder();
  private final LongAdder newSessions = new LongAdder();
  private final LongAdder disconnects = new LongAdder();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final Latencies latencies;
  private final AtomicLongArray perSecond;
  private final AtomicLong lastCompletion;
  private final AtomicLong longestStall = new AtomicLong();
  private volatile CpuMonitor.Sample cpuStart;
  private volatile CpuMonitor.Usage cpu;

  CasStats(String name, long startNanos, Duration length, int clients) {
    this.name = name;
    this.startNanos = startNanos;
    this.endNanos = startNanos + length.toNanos();
    this.latencies = new Latencies(clients);
    this.perSecond = new AtomicLongArray((int) Math.max(1, (length.toMillis() + 999) / 1000));
    this.lastCompletion = new AtomicLong(startNanos);
  }

  boolean covers(long nanos) {
    return nanos - startNanos >= 0 && nanos - endNanos < 0;
  }

  void op(Kind kind, int client, long startedAt, long doneAt) {
    switch (kind) {
      case READ -> reads.increment();
      case CAS_OK -> casOk.increment();
      case CAS_FAIL -> casFail.increment();
    }
    latencies.record(client, doneAt - startedAt);
    perSecond.incrementAndGet((int) Math.min(perSecond.length() - 1,
        (doneAt - startNanos) / 1_000_000_000L));
    long previous = lastCompletion.getAndAccumulate(doneAt, Math::max);
    longestStall.accumulateAndGet(doneAt - previous, Math::max);
  }

  void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  void newSession() {
    newSessions.increment();
  }

  void disconnected() {
    disconnects.increment();
  }

  /** Completed ops so far (the pauser reads it around each pause). */
  long ops() {
    return reads.sum() + casOk.sum() + casFail.sum();
  }

  long errorCount() {
    return errors.values().stream().mapToLong(LongAdder::sum).sum();
  }

  void cpuStart(CpuMonitor.Sample s) {
    cpuStart = s;
  }

  void cpuEnd(CpuMonitor.Sample s) {
    if (cpuStart != null) {
      cpu = CpuMonitor.between(cpuStart, s);
    }
  }

  /** Call after the window: the stall still open at its end counts too. */
  Result result() {
    Map<String, Long> errs = new TreeMap<>();
    errors.forEach((k, v) -> errs.put(k, v.sum()));
    long stall = Math.max(longestStall.get(), endNanos - lastCompletion.get());
    long[] seconds = new long[perSecond.length()];
    for (int i = 0; i < seconds.length; i++) {
      seconds[i] = perSecond.get(i);
    }
    return new Result(name, (endNanos - startNanos) / 1e9, reads.sum(), casOk.sum(),
        casFail.sum(), errs, latencies.summary(), newSessions.sum(), disconnects.sum(),
        stall / 1e6, seconds, cpu);
  }
}
