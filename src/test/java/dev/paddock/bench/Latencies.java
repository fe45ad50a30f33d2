package dev.paddock.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Latency samples in nanoseconds, one HdrHistogram per client: completions of one client may
 * arrive on several threads, so each histogram is guarded by its own lock, and clients do not
 * contend with each other. Three significant digits keep every percentile within 0.1% of the
 * exact sample while memory stays fixed however long a phase runs.
 */
final class Latencies {
  /** Anything slower than this is recorded as this: no request in a bench phase waits longer. */
  private static final long HIGHEST = TimeUnit.MINUTES.toNanos(10);

  private final Histogram[] perClient;

  Latencies(int clients) {
    perClient = new Histogram[clients];
    for (int i = 0; i < clients; i++) {
      perClient[i] = new Histogram(1_000, HIGHEST, 3);
    }
  }

  void record(int client, long nanos) {
    Histogram h = perClient[client];
    synchronized (h) {
      h.recordValue(Math.max(1_000, Math.min(HIGHEST, nanos)));
    }
  }

  /** p50, p99, p99.9 and max in milliseconds; all NaN without samples. */
  record Summary(long count, double p50, double p99, double p999, double max) {}

  Summary summary() {
    Histogram all = new Histogram(1_000, HIGHEST, 3);
    for (Histogram h : perClient) {
      synchronized (h) {
        all.add(h);
      }
    }
    if (all.getTotalCount() == 0) {
      return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    return new Summary(all.getTotalCount(), ms(all.getValueAtPercentile(50)),
        ms(all.getValueAtPercentile(99)), ms(all.getValueAtPercentile(99.9)),
        ms(all.getMaxValue()));
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
