package dev.paddock.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;

/**
 * One of ZooKeeper's summary metrics (fsynctime, readlatency, ...): a Prometheus histogram for
 * scraping, plus the avg/min/max/cnt/sum figures that mntr prints under the same name.
 * Values are in milliseconds, as ZooKeeper reports them.
 */
final class LatencyMetric {
  /** Bucket bounds in ms: from sub-millisecond fsyncs on fast disks to multi-second stalls. */
  static final double[] BOUNDS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000,
      2500, 5000, 10000};

  private final String name;
  private final Histogram histogram;
  private final AtomicLong count = new AtomicLong();
  private final DoubleAdder sum = new DoubleAdder();
  private final AtomicLong minBits = new AtomicLong(Double.doubleToLongBits(Double.MAX_VALUE));
  private final AtomicLong maxBits = new AtomicLong(Double.doubleToLongBits(0));

  LatencyMetric(PrometheusRegistry registry, String name, String help) {
    this.name = name;
    this.histogram = Histogram.builder().name(name).help(help)
        .classicOnly().classicUpperBounds(BOUNDS).register(registry);
  }

  void observe(double millis) {
    histogram.observe(millis);
    count.incrementAndGet();
    sum.add(millis);
    minBits.accumulateAndGet(Double.doubleToLongBits(millis),
        (a, b) -> Double.longBitsToDouble(b) < Double.longBitsToDouble(a) ? b : a);
    maxBits.accumulateAndGet(Double.doubleToLongBits(millis),
        (a, b) -> Double.longBitsToDouble(b) > Double.longBitsToDouble(a) ? b : a);
  }

  /** ZooKeeper's AvgMinMaxCounter keys: avg_, min_, max_, cnt_ and sum_ + name (whole ms). */
  void dump(Map<String, Object> out) {
    long n = count.get();
    double s = sum.sum();
    out.put("avg_" + name, n == 0 ? 0.0 : Math.round(s * 10000.0 / n) / 10000.0);
    out.put("min_" + name, n == 0 ? 0 : (long) Double.longBitsToDouble(minBits.get()));
    out.put("max_" + name, n == 0 ? 0 : (long) Double.longBitsToDouble(maxBits.get()));
    out.put("cnt_" + name, n);
    out.put("sum_" + name, (long) s);
  }

  long count() {
    return count.get();
  }
}
