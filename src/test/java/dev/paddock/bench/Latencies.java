package dev.paddock.bench;

import java.util.Arrays;

/**
 * Latency samples in nanoseconds, one growable array per client (completions of one client may
 * arrive on several threads, so each array is guarded by its own lock). Percentiles come from the
 * sorted union: HdrHistogram is not on the test classpath, and at these rates (≤ a few million
 * samples per phase) sorting is cheap and exact.
 */
final class Latencies {
  private final long[][] samples;
  private final int[] counts;

  Latencies(int clients) {
    samples = new long[clients][];
    counts = new int[clients];
    for (int i = 0; i < clients; i++) {
      samples[i] = new long[1 << 16];
    }
  }

  void record(int client, long nanos) {
    synchronized (samples[client]) {
      long[] a = samples[client];
      int n = counts[client];
      if (n == a.length) {
        a = Arrays.copyOf(a, a.length * 2);
        samples[client] = a;
      }
      a[n] = nanos;
      counts[client] = n + 1;
    }
  }

  /** p50, p99, p99.9 and max in milliseconds; all NaN without samples. */
  record Summary(long count, double p50, double p99, double p999, double max) {}

  Summary summary() {
    int total = 0;
    for (int i = 0; i < samples.length; i++) {
      synchronized (samples[i]) {
        total += counts[i];
      }
    }
    long[] all = new long[total];
    int at = 0;
    for (int i = 0; i < samples.length; i++) {
      synchronized (samples[i]) {
        int n = Math.min(counts[i], total - at);
        System.arraycopy(samples[i], 0, all, at, n);
        at += n;
      }
    }
    if (at == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    Arrays.sort(all, 0, at);
    return new Summary(at, pct(all, at, 0.50), pct(all, at, 0.99), pct(all, at, 0.999),
        all[at - 1] / 1e6);
  }

  private static double pct(long[] sorted, int n, double q) {
    int rank = (int) Math.ceil(q * n) - 1;
    return sorted[Math.max(0, Math.min(n - 1, rank))] / 1e6;
  }
}
