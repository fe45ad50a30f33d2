package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * Counts a server's transaction-log fsyncs from its JFR recording ({@code --jfr}), for servers
 * that do not report them in mntr: the recording is dumped with {@code jcmd PID JFR.dump} right
 * after the load phases (before a failover round could kill the server), and every
 * {@code jdk.FileForce} event on a log file (Paddock's {@code log/segment-*}, ZooKeeper's
 * {@code version-2/log.*}; snapshots are left out) between the two fsync probes of a phase
 * (1.5 s before its window to its end) counts, as do the transactions by srvr Zxid. The
 * benchmark's JFR settings record every force (threshold 0).
 */
final class JfrFsyncs {
  private JfrFsyncs() {}

  /** Replaces "n/a" ratios of write phases with JFR-based ones where it can. */
  static List<Load.Result> fill(Cluster c, int member, Path jfrDir, List<Load.Result> results) {
    ChildProcess p = c.members.get(member).process();
    Path dump = jfrDir.resolve(p.name() + "-load-" + System.currentTimeMillis() + ".jfr");
    List<RecordedEvent> forces = new ArrayList<>();
    String problem = null;
    try {
      Process jcmd = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd")
          .toString(), Long.toString(p.pid()), "JFR.dump", "filename=" + dump)
          .redirectErrorStream(true).start();
      String out = new String(jcmd.getInputStream().readAllBytes());
      if (!jcmd.waitFor(60, TimeUnit.SECONDS) || !Files.exists(dump)) {
        problem = "jcmd JFR.dump failed: " + out.trim();
      } else {
        for (RecordedEvent e : RecordingFile.readAllEvents(dump)) {
          if (e.getEventType().getName().equals("jdk.FileForce") && isLog(e.getString("path"))) {
            forces.add(e);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      problem = "reading the JFR recording failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = "interrupted";
    }
    List<Load.Result> out = new ArrayList<>();
    for (Load.Result r : results) {
      if (r.fsyncStart() == null || !r.txnsPerFsync().startsWith("n/a")) {
        out.add(r);
        continue;
      }
      if (problem != null) {
        out.add(r.withTxnsPerFsync(r.txnsPerFsync() + "; JFR: " + problem));
        continue;
      }
      Instant from = r.fsyncStart().at();
      Instant to = r.fsyncEnd().at();
      long n = forces.stream().filter(e -> !e.getStartTime().isBefore(from)
          && e.getStartTime().isBefore(to)).count();
      long txns = FsyncProbe.txns(r.fsyncStart(), r.fsyncEnd());
      out.add(r.withTxnsPerFsync(txns < 0 || n == 0
          ? "n/a (JFR: " + n + " log fsyncs, " + (txns < 0 ? "no txn count" : txns + " txns")
              + ")"
          : String.format(Locale.ROOT, "%.1f  (%d txns [srvr Zxid] / %d fsyncs [JFR "
              + "jdk.FileForce on the log])", (double) txns / n, txns, n)));
    }
    return out;
  }

  private static boolean isLog(String path) {
    if (path == null) {
      return false;
    }
    String name = Path.of(path).getFileName().toString();
    return (name.startsWith("segment-") && !name.endsWith(".tmp"))
        || (name.startsWith("log.") && path.contains("version-2"));
  }
}
