package dev.paddock.wire;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Server statistics for four-letter words (ZooKeeper's ServerStats): request latency, packets,
 * requests in flight (from the server's request gate) and the live connections. Written by many connection actors, read by any.
 */
final class WireStats {
  private final long startNanos = System.nanoTime();
  private final LongAdder received = new LongAdder();
  private final LongAdder sent = new LongAdder();
  private volatile dev.paddock.session.RequestGate gate;
  private final AtomicLong authFailed = new AtomicLong();
  private final Latency latency = new Latency();
  private final ConcurrentHashMap<Long, ConnectionStats> connections = new ConcurrentHashMap<>();
  private final AtomicLong nextConnection = new AtomicLong();
  /** ZooKeeper's text trace mask (gtmk/stmk); Paddock keeps it for scripts, logging ignores it. */
  private final AtomicLong traceMask = new AtomicLong(DEFAULT_TRACE_MASK);
  private volatile ClientPortStats.LatencyObserver latencyObserver = (update, ms) -> {};

  /** ZooTrace's default: client requests, server packets and client pings... as 3.9 starts. */
  static final long DEFAULT_TRACE_MASK = 306;

  /** min/avg/max in whole milliseconds, as AvgMinMaxCounter keeps them. */
  static final class Latency {
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);

    void add(long ms) {
      total.addAndGet(ms);
      count.incrementAndGet();
      min.accumulateAndGet(ms, Math::min);
      max.accumulateAndGet(ms, Math::max);
    }

    long min() {
      long m = min.get();
      return m == Long.MAX_VALUE ? 0 : m;
    }

    long max() {
      long m = max.get();
      return m == Long.MIN_VALUE ? 0 : m;
    }

    /** Rounded to four decimals like ZooKeeper's, so outputs read the same. */
    double avg() {
      long c = count.get();
      if (c == 0) {
        return 0;
      }
      return Math.round(total.get() * 10000.0 / c) / 10000.0;
    }

    /** A connection's average is integer division in ZooKeeper. */
    long avgWhole() {
      long c = count.get();
      return c == 0 ? 0 : total.get() / c;
    }

    void reset() {
      total.set(0);
      count.set(0);
      min.set(Long.MAX_VALUE);
      max.set(Long.MIN_VALUE);
    }
  }

  ConnectionStats register(String remote) {
    long id = nextConnection.incrementAndGet();
    ConnectionStats c = new ConnectionStats(id, remote);
    connections.put(id, c);
    return c;
  }

  void unregister(ConnectionStats c) {
    connections.remove(c.id());
  }

  List<ConnectionStats> connections() {
    List<ConnectionStats> out = new ArrayList<>(connections.values());
    out.sort((a, b) -> Long.compare(a.id(), b.id()));
    return out;
  }

  int connectionCount() {
    return connections.size();
  }

  void packetReceived() {
    received.increment();
  }

  void packetSent() {
    sent.increment();
  }

  /** Where outstanding requests are counted: the server's gate, typed sessions included. */
  void countOutstanding(dev.paddock.session.RequestGate gate) {
    this.gate = gate;
  }

  void requestFinished(long latencyMs, int opcode) {
    latency.add(latencyMs);
    latencyObserver.observe(OpCodes.isUpdate(opcode), latencyMs);
  }

  void onLatency(ClientPortStats.LatencyObserver observer) {
    latencyObserver = observer;
  }

  long traceMask() {
    return traceMask.get();
  }

  void traceMask(long mask) {
    traceMask.set(mask);
  }

  void authFailed() {
    authFailed.incrementAndGet();
  }

  long received() {
    return received.sum();
  }

  long sent() {
    return sent.sum();
  }

  long outstanding() {
    dev.paddock.session.RequestGate g = gate;
    return g == null ? 0 : g.inFlight();
  }

  long authFailedCount() {
    return authFailed.get();
  }

  Latency latency() {
    return latency;
  }

  long uptimeMs() {
    return (System.nanoTime() - startNanos) / 1_000_000L;
  }

  /** srst: latency and packet counters start again. */
  void reset() {
    latency.reset();
    received.reset();
    sent.reset();
  }
}
