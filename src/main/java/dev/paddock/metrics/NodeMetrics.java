package dev.paddock.metrics;

import dev.paddock.storage.JournalStats;
import dev.paddock.storage.SnapshotStats;
import dev.paddock.wire.ClientPortStats;
import dev.paddock.zab.ZabStats;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A node's Prometheus metrics. Names follow ZooKeeper's Prometheus provider where ZooKeeper
 * has the figure (znode_count, outstanding_requests, learners, fsynctime, ...), so dashboards
 * keep their queries; ZooKeeper's summaries become histograms (same name, milliseconds).
 * Figures only Paddock has start with {@code paddock_}. JVM metrics come from the Prometheus
 * client's own instrumentation.
 */
public final class NodeMetrics {
  /** ZooKeeper's fsync.warningthresholdms default: fsyncs slower than this are counted. */
  static final double FSYNC_WARNING_MS = 1000;

  /** Figures read from the tree and the node's state at scrape time. */
  public record TreeFigures(boolean serving, String mode, long znodes, long watches,
      long watchedPaths, long ephemerals, long approximateDataSize, long sessions,
      long lastZxid, long currentEpoch) {}

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final LatencyMetric fsync;
  private final LatencyMetric snapshot;
  private final LatencyMetric proposal;
  private final LatencyMetric read;
  private final LatencyMetric update;
  private final AtomicLong slowFsyncs = new AtomicLong();
  private final Gauge znodes;
  private final Gauge watches;
  private final Gauge ephemerals;
  private final Gauge dataSize;
  private final Gauge sessions;
  private final Gauge serving;
  private final Gauge lastZxid;
  private final Gauge epoch;
  private final Gauge state;
  private final JournalStats journal;
  private final SnapshotStats snapshots;

  /**
   * @param journalPlugin and {@code snapshotPlugin}: the config paths of the node's journal and
   *     snapshot store, whose figures are exported
   */
  public NodeMetrics(ActorSystem<?> system, String journalPlugin, String snapshotPlugin) {
    JvmMetrics.builder().register(registry);
    fsync = new LatencyMetric(registry, "fsynctime", "Time to fsync the transaction log (ms)");
    snapshot = new LatencyMetric(registry, "snapshottime", "Time to write a tree snapshot (ms)");
    proposal = new LatencyMetric(registry, "proposal_latency",
        "Time from proposal to commit on the leader (ms)");
    read = new LatencyMetric(registry, "readlatency", "Latency of read requests (ms)");
    update = new LatencyMetric(registry, "updatelatency", "Latency of update requests (ms)");

    journal = JournalStats.forPlugin(system, journalPlugin);
    journal.onFsync(nanos -> {
      double ms = nanos / 1e6;
      fsync.observe(ms);
      if (ms > FSYNC_WARNING_MS) {
        slowFsyncs.incrementAndGet();
      }
    });
    snapshots = SnapshotStats.forPlugin(system, snapshotPlugin);
    snapshots.onSaved(s -> snapshot.observe(s.nanos() / 1e6));
    ZabStats zab = ZabStats.get(system);
    zab.onProposalCommitted(nanos -> proposal.observe(nanos / 1e6));
    ClientPortStats clients = ClientPortStats.get(system);
    clients.onLatency((isUpdate, ms) -> (isUpdate ? update : read).observe(ms));

    znodes = gauge("znode_count", "Znodes in the tree");
    watches = gauge("watch_count", "Watches set by this server's sessions");
    ephemerals = gauge("ephemerals_count", "Ephemeral znodes");
    dataSize = gauge("approximate_data_size", "Bytes of paths and data in the tree");
    sessions = gauge("global_sessions", "Sessions open in the ensemble");
    serving = gauge("paddock_serving", "1 while this server serves clients");
    lastZxid = gauge("last_processed_zxid", "Zxid of the newest applied txn");
    epoch = gauge("paddock_current_epoch", "Zab epoch this server has accepted as current");
    state = Gauge.builder().name("paddock_server_state")
        .help("1 for the server's current state").labelNames("state").register(registry);

    callback("outstanding_requests", "Requests received and not yet answered",
        clients, s -> s.summary().outstanding());
    callback("num_alive_connections", "Open client connections",
        clients, s -> s.summary().connections());
    callback("packets_received", "Packets received from clients",
        clients, s -> s.summary().packetsReceived());
    callback("packets_sent", "Packets sent to clients", clients, s -> s.summary().packetsSent());
    callback("auth_failed_count", "Failed authentications", clients,
        s -> s.summary().authFailed());
    callback("uptime", "Milliseconds since the client port started",
        clients, s -> s.summary().uptimeMillis());
    callback("learners", "Learners connected to this leader", zab, z -> z.learners().learners());
    callback("synced_followers", "Voting followers up to date with this leader",
        zab, z -> z.learners().syncedFollowers());
    callback("synced_observers", "Observers up to date with this leader",
        zab, z -> z.learners().syncedObservers());
    callback("pending_syncs", "Learners this leader is synchronising",
        zab, z -> z.learners().pendingSyncs());
    callback("paddock_snapshot_size_bytes", "Size of the newest tree snapshot written",
        snapshots, s -> s.last() == null ? 0 : s.last().bytes());
    callback("fsync_threshold_exceed_count", "Log fsyncs slower than 1000 ms",
        slowFsyncs, AtomicLong::get);
    callback("paddock_log_write_failed", "1 while the transaction log cannot write (full disk,"
        + " I/O error); the server does not serve until a write succeeds",
        journal, j -> j.writeFailure() == null ? 0 : 1);
    CounterWithCallback.builder().name("paddock_txns_logged")
        .help("Txns made durable in the log (with paddock_log_fsyncs: txns per fsync)")
        .callback(cb -> cb.call(journal.txnsLogged())).register(registry);
    CounterWithCallback.builder().name("paddock_log_fsyncs")
        .help("fsyncs of the transaction log (one per group commit)")
        .callback(cb -> cb.call(journal.snapshot().fsyncs())).register(registry);
  }

  private Gauge gauge(String name, String help) {
    return Gauge.builder().name(name).help(help).register(registry);
  }

  private <T> void callback(String name, String help, T source, ToDoubleFunction<T> value) {
    GaugeWithCallback.builder().name(name).help(help)
        .callback(cb -> cb.call(value.applyAsDouble(source))).register(registry);
  }

  /** Sets the figures that come from the tree, then renders every metric in text format. */
  public byte[] scrape(TreeFigures f) {
    if (f != null) {
      znodes.set(f.znodes());
      watches.set(f.watches());
      ephemerals.set(f.ephemerals());
      dataSize.set(f.approximateDataSize());
      sessions.set(f.sessions());
      lastZxid.set(f.lastZxid());
      epoch.set(f.currentEpoch());
      serving.set(f.serving() ? 1 : 0);
      for (String s : List.of("standalone", "leader", "follower", "observer", "looking")) {
        state.labelValues(s).set(s.equals(f.mode()) ? 1 : 0);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  /** ZooKeeper's mntr figures for the summaries kept here (avg_fsynctime, cnt_readlatency...). */
  public void dumpSummaries(Map<String, Object> out) {
    for (LatencyMetric m : List.of(fsync, snapshot, proposal, read, update)) {
      m.dump(out);
    }
  }

  public long slowFsyncs() {
    return slowFsyncs.get();
  }
}
