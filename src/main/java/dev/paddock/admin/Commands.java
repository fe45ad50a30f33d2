package dev.paddock.admin;

import dev.paddock.metrics.NodeMetrics;
import dev.paddock.storage.JournalStats;
import dev.paddock.session.DataTreeActor;
import dev.paddock.wire.ClientPortStats;
import dev.paddock.zab.ZabStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * ZooKeeper AdminServer's commands (server/admin/Commands) with their names, aliases and JSON
 * keys, answered from Paddock's figures. Where Paddock has no such figure the key is still
 * there with ZooKeeper's "nothing measured" value (-1, 0 or empty), so scripts keep parsing.
 */
final class Commands {
  static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests";

  /** What a command sees: the facts of this request and the node's long-lived parts. */
  record Context(Facts facts, NodeAccess.NodeFacts node, ClientPortStats clients,
      ZabStats zab, JournalStats journal, NodeMetrics metrics, Map<String, String> args) {
    NodeAccess.NodeStatus status() {
      return facts.status();
    }

    DataTreeActor.Info info() {
      return facts.info();
    }
  }

  /** @param serverRequired answers "not serving" unless the server serves clients */
  record Command(String name, List<String> aliases, Facts.Needs needs, boolean serverRequired,
      Function<Context, Map<String, Object>> run) {}

  static final List<Command> ALL = List.of(
      new Command("configuration", List.of("conf", "config"), Facts.Needs.STATUS, true,
          Commands::configuration),
      new Command("connection_stat_reset", List.of("crst"), Facts.Needs.STATUS, true, c -> {
        c.clients().resetConnections();
        return new LinkedHashMap<>();
      }),
      new Command("connections", List.of("cons"), Facts.Needs.STATUS, true,
          c -> map("connections", connections(c, false), "secure_connections", List.of())),
      new Command("dirs", List.of(), Facts.Needs.STATUS, true, c -> map(
          "datadir_size", ClientPortStats.directorySize(c.node().dataDir()),
          "logdir_size", ClientPortStats.directorySize(c.node().dataLogDir()))),
      new Command("dump", List.of(), Facts.Needs.TREE, true, Commands::dump),
      new Command("environment", List.of("env", "envi"), Facts.Needs.STATUS, false,
          c -> environment()),
      new Command("get_trace_mask", List.of("gtmk"), Facts.Needs.STATUS, false,
          c -> map("tracemask", c.clients().traceMask())),
      new Command("hash", List.of(), Facts.Needs.TREE, true, c -> map("digests", List.of(
          map("zxid", c.info().lastZxid(), "digest", c.info().digest())))),
      new Command("initial_configuration", List.of("icfg"), Facts.Needs.STATUS, true,
          c -> map("initial_configuration", c.node().initialConfiguration())),
      new Command("is_read_only", List.of("isro"), Facts.Needs.STATUS, true,
          c -> map("read_only", false)),
      new Command("leader", List.of("lead"), Facts.Needs.STATUS, true, Commands::leader),
      new Command("monitor", List.of("mntr"), Facts.Needs.ALL, false, Commands::monitor),
      new Command("observer_connection_stat_reset", List.of("orst"), Facts.Needs.STATUS, true,
          // Observers connect to the leader only; there are no observer-master connections.
          c -> new LinkedHashMap<>()),
      new Command("observers", List.of("obsr"), Facts.Needs.STATUS, true, Commands::observers),
      new Command("ruok", List.of(), Facts.Needs.STATUS, true, c -> new LinkedHashMap<>()),
      new Command("server_stats", List.of("srvr"), Facts.Needs.TREE, true,
          c -> serverStats(c)),
      new Command("set_trace_mask", List.of("stmk"), Facts.Needs.STATUS, false,
          Commands::setTraceMask),
      new Command("stat_reset", List.of("srst"), Facts.Needs.STATUS, true, c -> {
        c.clients().reset();
        return new LinkedHashMap<>();
      }),
      new Command("stats", List.of("stat"), Facts.Needs.TREE, true, c -> {
        Map<String, Object> out = serverStats(c);
        out.put("connections", connections(c, true));
        out.put("secure_connections", List.of());
        return out;
      }),
      new Command("system_properties", List.of("sysp"), Facts.Needs.STATUS, false, c -> {
        Map<String, Object> out = new LinkedHashMap<>();
        new TreeMap<>(System.getProperties()).forEach((k, v) -> out.put(k.toString(),
            v.toString()));
        return out;
      }),
      new Command("voting_view", List.of(), Facts.Needs.STATUS, true, Commands::votingView),
      new Command("watch_summary", List.of("wchs"), Facts.Needs.TREE, true, c -> map(
          "num_connections", c.info().watcherCount(),
          "num_paths", c.info().watchedPaths(),
          "num_total_watches", c.info().watchCount())),
      new Command("watches", List.of("wchc"), Facts.Needs.WATCHES, true,
          c -> map("session_id_to_watched_paths", c.facts().watches().bySession())),
      new Command("watches_by_path", List.of("wchp"), Facts.Needs.WATCHES, true,
          c -> map("path_to_session_ids", byPath(c.facts().watches()))),
      new Command("zabstate", List.of(), Facts.Needs.STATUS, false, Commands::zabState));

  private static final Map<String, Command> BY_NAME = new TreeMap<>();

  static {
    for (Command c : ALL) {
      BY_NAME.put(c.name(), c);
      c.aliases().forEach(a -> BY_NAME.put(a, c));
    }
  }

  private Commands() {}

  static Command find(String name) {
    return BY_NAME.get(name);
  }

  static Map<String, Object> map(Object... kv) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      out.put((String) kv[i], kv[i + 1]);
    }
    return out;
  }

  private static Map<String, Object> configuration(Context c) {
    Map<String, Object> out = new LinkedHashMap<>(c.node().conf());
    if (c.facts().clientPort() != null) {
      out.put("client_port", c.facts().clientPort().getPort());
    }
    // ZooKeeper's conf command has no such key; a server without a TLS port answers as it does.
    if (c.clients().secureClientPort() >= 0) {
      out.put("secure_client_port", c.clients().secureClientPort());
    }
    return out;
  }

  /** ServerCnxn.getConnectionInfo: brief for stat, complete for cons. */
  private static List<Map<String, Object>> connections(Context c, boolean brief) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ClientPortStats.Connection k : c.clients().connections()) {
      Map<String, Object> m = map("remote_socket_address", k.remote(),
          "interest_ops", k.reading() ? 1 : 0,
          "outstanding_requests", k.queued(),
          "packets_received", k.packetsReceived(),
          "packets_sent", k.packetsSent());
      if (!brief) {
        m.put("session_id", k.sessionId());
        m.put("last_operation", k.lastOperation());
        m.put("session_timeout", k.sessionTimeout());
        m.put("established", k.established());
        m.put("last_cxid", k.lastCxid());
        m.put("last_zxid", k.lastZxid());
        m.put("last_response_time", k.lastResponseTime());
        m.put("last_latency", k.lastLatency());
        m.put("min_latency", k.minLatency());
        m.put("avg_latency", k.avgLatency());
        m.put("max_latency", k.maxLatency());
      }
      out.add(m);
    }
    return out;
  }

  /**
   * Ephemerals by session. Paddock keeps session deadlines inside the leader's tracker only,
   * so expiry_time_to_session_ids stays empty.
   */
  private static Map<String, Object> dump(Context c) {
    SortedMap<Long, Set<String>> ephemerals = new TreeMap<>();
    Iterator<Tuple2<Long, scala.collection.immutable.HashSet<String>>> it =
        c.info().snapshot().ephemerals().iterator();
    while (it.hasNext()) {
      Tuple2<Long, scala.collection.immutable.HashSet<String>> e = it.next();
      Set<String> paths = new TreeSet<>();
      e._2().foreach(p -> paths.add(p));
      ephemerals.put(e._1(), paths);
    }
    return map("expiry_time_to_session_ids", Map.of(),
        "session_id_to_ephemeral_paths", ephemerals);
  }

  static Map<String, Object> environment() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("zookeeper.version", ClientPortStats.version());
    String host;
    try {
      host = InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      host = "<NA>";
    }
    out.put("host.name", host);
    for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path",
        "java.library.path", "java.io.tmpdir", "java.compiler", "os.name", "os.arch",
        "os.version", "user.name", "user.home", "user.dir")) {
      out.put(key, System.getProperty(key, "<NA>"));
    }
    Runtime rt = Runtime.getRuntime();
    long mb = 1024 * 1024;
    out.put("os.memory.free", rt.freeMemory() / mb + "MB");
    out.put("os.memory.max", rt.maxMemory() / mb + "MB");
    out.put("os.memory.total", rt.totalMemory() / mb + "MB");
    return out;
  }

  private static Map<String, Object> leader(Context c) {
    if (c.node().standalone()) {
      // What ZooKeeper's standalone server (not a quorum server) answers.
      return map("error", "server is not initialized");
    }
    NodeAccess.NodeStatus s = c.status();
    String ip = c.node().members().stream().filter(m -> m.id() == s.leaderId())
        .map(NodeAccess.Member::host).findFirst().orElse("");
    return map("is_leader", s.role().equals("leader"), "leader_id", s.leaderId(),
        "leader_ip", ip);
  }

  private static Map<String, Object> monitor(Context c) {
    ClientPortStats.Summary s = c.clients().summary();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", ClientPortStats.version());
    out.put("server_state", c.status().serving() ? c.status().mode() : "looking");
    out.put("avg_latency", s.avgLatency());
    out.put("max_latency", s.maxLatency());
    out.put("min_latency", s.minLatency());
    out.put("packets_received", s.packetsReceived());
    out.put("packets_sent", s.packetsSent());
    out.put("num_alive_connections", s.connections());
    out.put("outstanding_requests", s.outstanding());
    out.put("uptime", s.uptimeMillis());
    DataTreeActor.Info info = c.info();
    if (info != null) {
      // ZooKeeper's node table holds the root twice ("" and "/"), and its counts say so.
      out.put("znode_count", info.nodeCount() + 1);
      out.put("watch_count", info.watchCount());
      out.put("ephemerals_count", ephemerals(info));
      out.put("approximate_data_size", info.snapshot().approximateDataSize());
      out.put("global_sessions", info.sessionCount());
    }
    out.put("local_sessions", 0);
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      out.put("open_file_descriptor_count", unix.getOpenFileDescriptorCount());
      out.put("max_file_descriptor_count", unix.getMaxFileDescriptorCount());
    }
    out.put("auth_failed_count", s.authFailed());
    out.put("non_mtls_remote_conn_count", 0);
    out.put("non_mtls_local_conn_count", 0);
    if (c.status().serving() && c.status().role().equals("leader")) {
      ZabStats.Learners l = c.zab().learners();
      out.put("learners", l.learners());
      // ZooKeeper 3.4's name for the same count, still read by monitoring scripts.
      out.put("followers", l.learners());
      out.put("synced_followers", l.syncedFollowers());
      out.put("synced_non_voting_followers", 0);
      out.put("synced_observers", l.syncedObservers());
      out.put("pending_syncs", l.pendingSyncs());
    }
    c.metrics().dumpSummaries(out);
    long txns = c.journal().txnsLogged();
    long fsyncs = c.journal().snapshot().fsyncs();
    out.put("paddock_txns_logged", txns);
    out.put("paddock_log_fsyncs", fsyncs);
    out.put("paddock_txns_per_fsync", fsyncs == 0 ? 0.0 : Math.round(txns * 10.0 / fsyncs) / 10.0);
    if (c.facts().log() != null) {
      out.put("paddock_current_epoch", c.facts().log().currentEpoch());
      out.put("paddock_accepted_epoch", c.facts().log().acceptedEpoch());
      out.put("paddock_last_logged_zxid", c.facts().log().lastLoggedZxid());
    }
    return out;
  }

  static long ephemerals(DataTreeActor.Info info) {
    long n = 0;
    Iterator<scala.collection.immutable.HashSet<String>> it =
        info.snapshot().ephemerals().valuesIterator();
    while (it.hasNext()) {
      n += it.next().size();
    }
    return n;
  }

  private static Map<String, Object> observers(Context c) {
    if (!c.status().role().equals("leader") || c.node().standalone()) {
      return map("synced_observers", 0, "observers", List.of());
    }
    ZabStats.Learners l = c.zab().learners();
    List<Map<String, Object>> list = new ArrayList<>();
    for (ZabStats.Learner x : l.all()) {
      if (x.observer()) {
        list.add(map("sid", x.id(), "stage", x.stage()));
      }
    }
    return map("synced_observers", l.syncedObservers(), "observers", list);
  }

  private static Map<String, Object> serverStats(Context c) {
    ClientPortStats.Summary s = c.clients().summary();
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("packets_sent", s.packetsSent());
    stats.put("packets_received", s.packetsReceived());
    stats.put("fsync_threshold_exceed_count", c.metrics().slowFsyncs());
    stats.put("client_response_stats", noBufferStats());
    stats.put("data_dir_size", ClientPortStats.directorySize(c.node().dataDir()));
    stats.put("log_dir_size", ClientPortStats.directorySize(c.node().dataLogDir()));
    stats.put("last_processed_zxid", c.info().lastZxid());
    stats.put("outstanding_requests", s.outstanding());
    stats.put("server_state", c.status().mode());
    stats.put("avg_latency", s.avgLatency());
    stats.put("max_latency", s.maxLatency());
    stats.put("min_latency", s.minLatency());
    stats.put("num_alive_client_connections", s.connections());
    stats.put("auth_failed_count", s.authFailed());
    stats.put("non_mtlsremote_conn_count", 0);
    stats.put("non_mtlslocal_conn_count", 0);
    stats.put("provider_null", false);
    stats.put("uptime", s.uptimeMillis());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("version", ClientPortStats.version());
    out.put("read_only", false);
    out.put("server_stats", stats);
    out.put("client_response", noBufferStats());
    if (c.status().role().equals("leader") && !c.node().standalone()) {
      out.put("proposal_stats", noBufferStats());
    }
    out.put("node_count", c.info().nodeCount() + 1);
    return out;
  }

  /** Paddock does not track response and proposal sizes: ZooKeeper's "no data yet" values. */
  private static Map<String, Object> noBufferStats() {
    return map("last_buffer_size", -1, "min_buffer_size", -1, "max_buffer_size", -1);
  }

  private static Map<String, Object> setTraceMask(Context c) {
    String given = c.args().get("traceMask");
    if (given == null) {
      return map("error", "setTraceMask requires long traceMask argument");
    }
    long mask;
    try {
      mask = Long.parseLong(given);
    } catch (NumberFormatException e) {
      return map("error", "setTraceMask requires long traceMask argument, got " + given);
    }
    c.clients().traceMask(mask);
    return map("tracemask", mask);
  }

  /** host:peerPort:role;host:clientPort (Paddock servers have no separate election port). */
  private static Map<String, Object> votingView(Context c) {
    Map<String, Object> view = new TreeMap<>();
    for (NodeAccess.Member m : c.node().members()) {
      view.put(Integer.toString(m.id()), m.host() + ":" + m.peerPort() + ":"
          + (m.observer() ? "observer" : "participant") + ";" + m.host() + ":" + m.clientPort());
    }
    return map("current_config", view);
  }

  private static Map<String, Object> zabState(Context c) {
    if (c.node().standalone()) {
      return map("voting", false, "zabstate", "");
    }
    boolean voting = c.node().members().stream()
        .anyMatch(m -> m.id() == c.node().myId() && !m.observer());
    NodeAccess.NodeStatus s = c.status();
    String state = s.serving() ? "broadcast"
        : s.role().equals("looking") ? "election" : "synchronization";
    return map("voting", voting, "zabstate", state.toLowerCase(Locale.ROOT));
  }

  private static SortedMap<String, Set<Long>> byPath(DataTreeActor.Watches watches) {
    SortedMap<String, Set<Long>> out = new TreeMap<>();
    watches.bySession().forEach((id, paths) -> paths.forEach(
        p -> out.computeIfAbsent(p, k -> new TreeSet<>()).add(id)));
    return out;
  }
}
