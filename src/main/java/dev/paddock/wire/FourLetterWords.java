package dev.paddock.wire;

import dev.paddock.session.DataTreeActor;
import dev.paddock.storage.JournalStats;
import dev.paddock.tree.DataNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import scala.Tuple2;
import scala.collection.Iterator;

/**
 * The text of ZooKeeper's four-letter words (server/command/*), line for line where Paddock has
 * the same figures. Output ends the connection, as in ZooKeeper.
 */
final class FourLetterWords {
  /** What "Zookeeper version:" and zk_version report: the protocol level Paddock speaks. */
  static final String VERSION = "3.9.5-paddock, built on "
      + Stream.of(FourLetterWords.class.getPackage().getImplementationVersion())
          .filter(v -> v != null).findFirst().orElse("development build");

  /** Words this server can answer; ZooKeeper knows a few more (see FrameDecoder). */
  static final Set<String> IMPLEMENTED = Set.of("ruok", "srvr", "stat", "mntr", "conf", "cons",
      "wchs", "dump", "envi", "isro", "srst", "crst", "wchc", "wchp", "dirs", "gtmk", "stmk",
      "hash");

  private FourLetterWords() {}

  /** The enabled set from configuration; "*" enables all, and srvr is always on as in ZooKeeper. */
  static Set<String> whitelist(List<String> configured) {
    Set<String> out = new HashSet<>();
    for (String w : configured) {
      String t = w.trim();
      if (t.equals("*")) {
        out.addAll(FrameDecoder.KNOWN_WORDS);
      } else if (!t.isEmpty()) {
        out.add(t);
      }
    }
    out.add("srvr");
    return Set.copyOf(out);
  }

  static boolean needsTree(String word) {
    return switch (word) {
      case "srvr", "stat", "mntr", "wchs", "dump", "hash" -> true;
      default -> false;
    };
  }

  /** Words that add up the sizes of the data and log directories: a walk of the disk. */
  static boolean walksDisk(String word) {
    return word.equals("conf") || word.equals("dirs");
  }

  static boolean needsWatches(String word) {
    return word.equals("wchc") || word.equals("wchp");
  }

  /**
   * wchc lists each session's watched paths, wchp each path's sessions, as ZooKeeper's
   * WatchManager.dumpWatches does (data and child watches together here).
   */
  static String renderWatches(String word, DataTreeActor.Watches watches) {
    StringBuilder sb = new StringBuilder();
    if (word.equals("wchc")) {
      watches.bySession().forEach((id, paths) -> {
        sb.append("0x").append(Long.toHexString(id)).append('\n');
        paths.forEach(p -> sb.append('\t').append(p).append('\n'));
      });
    } else {
      byPath(watches).forEach((path, ids) -> {
        sb.append(path).append('\n');
        ids.forEach(id -> sb.append("\t0x").append(Long.toHexString(id)).append('\n'));
      });
    }
    return sb.append('\n').toString();
  }

  /** Sessions watching each path, paths in order. */
  static java.util.SortedMap<String, java.util.SortedSet<Long>> byPath(
      DataTreeActor.Watches watches) {
    java.util.SortedMap<String, java.util.SortedSet<Long>> out = new java.util.TreeMap<>();
    watches.bySession().forEach((id, paths) -> paths.forEach(
        p -> out.computeIfAbsent(p, k -> new java.util.TreeSet<>()).add(id)));
    return out;
  }

  static String notEnabled(String word) {
    return word + " is not executed because it is not in the whitelist.\n";
  }

  static final String NOT_SERVING = "This ZooKeeper instance is not currently serving requests\n";

  /** @param info the tree's facts; present exactly when {@link #needsTree} says so */
  static String render(String word, ClientPortEnv env, DataTreeActor.Info info) {
    WireStats stats = env.stats();
    if (env.mode().get() == null) {
      // What ZooKeeper's words answer while the server is not running (e.g. electing).
      return switch (word) {
        case "ruok" -> "imok";
        case "isro" -> "null";
        case "envi" -> environment();
        case "srvr", "stat" -> NOT_SERVING + storageProblem(env);
        case "mntr" -> NOT_SERVING + storageMetrics(env);
        default -> NOT_SERVING;
      };
    }
    return switch (word) {
      case "ruok" -> "imok";
      case "isro" -> "rw";
      case "srvr" -> version() + serverStats(env, info);
      case "stat" -> version() + clients(stats) + serverStats(env, info);
      case "cons" -> connections(stats, false) + "\n";
      case "conf" -> conf(env);
      case "envi" -> environment();
      case "mntr" -> monitor(env, info);
      case "wchs" -> info.watcherCount() + " connections watching " + info.watchedPaths()
          + " paths\nTotal watches:" + info.watchCount() + "\n";
      case "dump" -> dump(stats, info);
      case "srst" -> {
        stats.reset();
        yield "Server stats reset.\n";
      }
      case "dirs" -> "datadir_size: " + size(env.settings().conf().dataDir()) + "\nlogdir_size: "
          + size(env.settings().conf().dataLogDir()) + "\n";
      case "gtmk", "stmk" -> Long.toString(stats.traceMask());
      // ZooKeeper prints its digest log; Paddock has the digest of the tree as it is now.
      case "hash" -> Long.toHexString(info.lastZxid()) + ": " + info.digest() + "\n";
      case "crst" -> {
        stats.connections().forEach(ConnectionStats::reset);
        yield "Connection stats reset.\n";
      }
      default -> notEnabled(word);
    };
  }

  /**
   * Why the server is not serving, when it is its disk: operators read srvr first, and a full
   * disk must not look like an election.
   */
  static String storageProblem(ClientPortEnv env) {
    JournalStats.WriteFailure f = env.journal() == null ? null : env.journal().writeFailure();
    if (f == null) {
      return "";
    }
    return "Storage: cannot write the transaction log since "
        + java.time.Instant.ofEpochMilli(f.sinceMillis()) + ": " + f.reason()
        + "; not serving until a write succeeds\n";
  }

  private static String storageMetrics(ClientPortEnv env) {
    JournalStats.WriteFailure f = env.journal() == null ? null : env.journal().writeFailure();
    StringBuilder sb = new StringBuilder();
    metric(sb, "paddock_log_write_failed", f == null ? 0 : 1);
    if (f != null) {
      metric(sb, "paddock_log_write_failed_since", f.sinceMillis());
      metric(sb, "paddock_log_write_error", f.reason().replace('\n', ' ').replace('\t', ' '));
    }
    return sb.toString();
  }

  private static String version() {
    return "Zookeeper version: " + VERSION + "\n";
  }

  private static String clients(WireStats stats) {
    return "Clients:\n" + connections(stats, true) + "\n";
  }

  private static String connections(WireStats stats, boolean brief) {
    StringBuilder sb = new StringBuilder();
    for (ConnectionStats c : stats.connections()) {
      sb.append(c.describe(brief)).append('\n');
    }
    return sb.toString();
  }

  /** ServerStats.toString plus the node count. */
  private static String serverStats(ClientPortEnv env, DataTreeActor.Info info) {
    WireStats s = env.stats();
    WireStats.Latency l = s.latency();
    return "Latency min/avg/max: " + l.min() + "/" + l.avg() + "/" + l.max() + "\n"
        + "Received: " + s.received() + "\n"
        + "Sent: " + s.sent() + "\n"
        + "Connections: " + s.connectionCount() + "\n"
        + "Outstanding: " + s.outstanding() + "\n"
        + "Zxid: 0x" + Long.toHexString(info.lastZxid()) + "\n"
        + "Mode: " + env.mode().get() + "\n"
        + "Node count: " + zkNodeCount(info) + "\n";
  }

  /** ZooKeeper's node table holds the root twice (as "" and "/"); its counts include both. */
  private static int zkNodeCount(DataTreeActor.Info info) {
    return info.nodeCount() + 1;
  }

  private static String conf(ClientPortEnv env) {
    var s = env.settings().conf();
    boolean standalone = env.mode().get().equals("standalone");
    return "clientPort=" + env.boundPort() + "\n"
        + "secureClientPort=" + env.secureBoundPort() + "\n"
        + "dataDir=" + s.dataDir().toAbsolutePath() + "\n"
        + "dataDirSize=" + size(s.dataDir()) + "\n"
        + "dataLogDir=" + s.dataLogDir().toAbsolutePath() + "\n"
        + "dataLogSize=" + size(s.dataLogDir()) + "\n"
        + "tickTime=" + s.tickMs() + "\n"
        + "maxClientCnxns=" + env.settings().maxClientCnxns() + "\n"
        + "minSessionTimeout=" + s.minSessionTimeoutMs() + "\n"
        + "maxSessionTimeout=" + s.maxSessionTimeoutMs() + "\n"
        + "clientPortListenBacklog=-1\n"
        // ZooKeeper's standalone server reports id 0 whatever myid says.
        + "serverId=" + (standalone ? 0 : s.myId()) + "\n";
  }

  static long size(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0;
        }
      }).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return 0;
    }
  }

  private static String environment() {
    StringBuilder sb = new StringBuilder("Environment:\n");
    env(sb, "zookeeper.version", VERSION);
    String host;
    try {
      host = InetAddress.getLocalHost().getCanonicalHostName();
    } catch (IOException e) {
      host = "<NA>";
    }
    env(sb, "host.name", host);
    for (String key : List.of("java.version", "java.vendor", "java.home", "java.class.path",
        "java.library.path", "java.io.tmpdir", "java.compiler", "os.name", "os.arch",
        "os.version", "user.name", "user.home", "user.dir")) {
      env(sb, key, System.getProperty(key, "<NA>"));
    }
    Runtime rt = Runtime.getRuntime();
    long mb = 1024 * 1024;
    env(sb, "os.memory.free", rt.freeMemory() / mb + "MB");
    env(sb, "os.memory.max", rt.maxMemory() / mb + "MB");
    env(sb, "os.memory.total", rt.totalMemory() / mb + "MB");
    return sb.toString();
  }

  private static void env(StringBuilder sb, String key, String value) {
    sb.append(key).append('=').append(value).append('\n');
  }

  private static String monitor(ClientPortEnv env, DataTreeActor.Info info) {
    WireStats s = env.stats();
    StringBuilder sb = new StringBuilder();
    metric(sb, "version", VERSION);
    metric(sb, "server_state", env.mode().get());
    metric(sb, "avg_latency", s.latency().avg());
    metric(sb, "max_latency", s.latency().max());
    metric(sb, "min_latency", s.latency().min());
    metric(sb, "packets_received", s.received());
    metric(sb, "packets_sent", s.sent());
    metric(sb, "num_alive_connections", s.connectionCount());
    metric(sb, "outstanding_requests", s.outstanding());
    metric(sb, "uptime", s.uptimeMs());
    metric(sb, "znode_count", zkNodeCount(info));
    metric(sb, "watch_count", info.watchCount());
    metric(sb, "ephemerals_count", ephemeralsCount(info));
    metric(sb, "approximate_data_size", info.snapshot().approximateDataSize());
    metric(sb, "global_sessions", info.sessionCount());
    metric(sb, "local_sessions", 0);
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      metric(sb, "open_file_descriptor_count", unix.getOpenFileDescriptorCount());
      metric(sb, "max_file_descriptor_count", unix.getMaxFileDescriptorCount());
    }
    metric(sb, "auth_failed_count", s.authFailedCount());
    if (env.mode().get().equals("leader")) {
      leaderMetrics(sb, env.leader().learners());
    }
    sb.append(storageMetrics(env));
    if (env.journal() != null) {
      // Paddock's own: group commit at work (txns made durable per fsync of the log).
      long fsyncs = env.journal().snapshot().fsyncs();
      long txns = env.journal().txnsLogged();
      metric(sb, "paddock_txns_logged", txns);
      metric(sb, "paddock_log_fsyncs", fsyncs);
      metric(sb, "paddock_txns_per_fsync", fsyncs == 0 ? "0" : String.format(
          java.util.Locale.ROOT, "%.1f", (double) txns / fsyncs));
    }
    return sb.toString();
  }

  /**
   * The leader's view of its learners. ZooKeeper 3.5+ names the count zk_learners; zk_followers
   * is the older name that monitoring scripts still read, so both are printed.
   */
  private static void leaderMetrics(StringBuilder sb, dev.paddock.zab.ZabStats.Learners l) {
    metric(sb, "learners", l.learners());
    metric(sb, "followers", l.learners());
    metric(sb, "synced_followers", l.syncedFollowers());
    metric(sb, "synced_non_voting_followers", 0);
    metric(sb, "synced_observers", l.syncedObservers());
    metric(sb, "pending_syncs", l.pendingSyncs());
  }

  private static void metric(StringBuilder sb, String key, Object value) {
    // Integers print as integers and other numbers as doubles, as MonitorCommand prints them.
    String v = value instanceof Double d ? String.format(Locale.ROOT, "%s", d) : value.toString();
    sb.append("zk_").append(key).append('\t').append(v).append('\n');
  }

  private static long ephemeralsCount(DataTreeActor.Info info) {
    long n = 0;
    Iterator<Tuple2<Long, scala.collection.immutable.HashSet<String>>> it =
        info.snapshot().ephemerals().iterator();
    while (it.hasNext()) {
      n += it.next()._2().size();
    }
    return n;
  }

  /** dump: sessions with their timeouts, ephemerals by session, then connections. */
  private static String dump(WireStats stats, DataTreeActor.Info info) {
    StringBuilder sb = new StringBuilder("SessionTracker dump:\n");
    var sessions = info.snapshot().sessions();
    sb.append("Global Sessions(").append(sessions.size()).append("):\n");
    Iterator<Tuple2<Long, Integer>> it = sessions.iterator();
    while (it.hasNext()) {
      Tuple2<Long, Integer> e = it.next();
      sb.append("0x").append(Long.toHexString(e._1())).append('\t').append(e._2())
          .append("ms\n");
    }
    sb.append("ephemeral nodes dump:\n");
    var ephemerals = info.snapshot().ephemerals();
    sb.append("Sessions with Ephemerals (").append(ephemerals.size()).append("):\n");
    Iterator<Tuple2<Long, scala.collection.immutable.HashSet<String>>> eph =
        ephemerals.iterator();
    while (eph.hasNext()) {
      Tuple2<Long, scala.collection.immutable.HashSet<String>> e = eph.next();
      sb.append("0x").append(Long.toHexString(e._1())).append(":\n");
      Iterator<String> paths = e._2().iterator();
      while (paths.hasNext()) {
        sb.append('\t').append(paths.next()).append('\n');
      }
    }
    sb.append("Connections dump:\n");
    List<ConnectionStats> cnxns = stats.connections();
    sb.append("Connections Sets (1)/(").append(cnxns.size()).append("):\n");
    for (ConnectionStats c : cnxns) {
      sb.append("\tip: ").append(c.remote()).append(" sessionId: 0x")
          .append(Long.toHexString(c.sessionId())).append('\n');
    }
    return sb.toString();
  }
}
