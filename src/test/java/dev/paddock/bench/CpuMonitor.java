package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the machine's CPU went during a measurement (Linux /proc): the servers, the benchmark
 * JVM (the load-generating clients), and everything else. "Everything else" is the noise from
 * other builds sharing the machine; the tables print it so a reader can judge a figure.
 */
final class CpuMonitor {
  /** USER_HZ; 100 on every Linux configuration that matters here. */
  private static final long TICK_NANOS = 10_000_000L;

  private CpuMonitor() {}

  /** A point in time: machine-wide busy CPU, the servers' and the benchmark's own CPU. */
  record Sample(long wallNanos, long machineBusyNanos, long serverNanos, long benchNanos) {}

  /** CPU used between two samples, in cores (1.0 = one core busy for the whole interval). */
  record Usage(double servers, double bench, double other) {
    String describe() {
      return String.format(Locale.ROOT, "CPU (cores): servers %.2f, bench client JVM %.2f, "
          + "other processes %.2f", servers, bench, other);
    }
  }

  static Sample sample(Cluster cluster) {
    return new Sample(System.nanoTime(), machineBusyNanos(), cluster.cpuNanos(),
        processCpuNanos(ProcessHandle.current().pid()));
  }

  static Usage between(Sample a, Sample b) {
    double wall = Math.max(1, b.wallNanos() - a.wallNanos());
    double servers = Math.max(0, b.serverNanos() - a.serverNanos()) / wall;
    double bench = Math.max(0, b.benchNanos() - a.benchNanos()) / wall;
    double machine = Math.max(0, b.machineBusyNanos() - a.machineBusyNanos()) / wall;
    return new Usage(servers, bench, Math.max(0, machine - servers - bench));
  }

  /** utime + stime of a process, 0 if it does not exist (or this is not Linux). */
  static long processCpuNanos(long pid) {
    if (pid <= 0) {
      return 0;
    }
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after "pid (comm) ": state is field 3, utime field 14, stime field 15
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static long machineBusyNanos() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] f = first.trim().split("\\s+");
      // cpu user nice system idle iowait irq softirq steal ...
      long busy = 0;
      for (int i = 1; i < f.length && i <= 8; i++) {
        if (i != 4 && i != 5) {
          busy += Long.parseLong(f[i]);
        }
      }
      return busy * TICK_NANOS;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Other JVMs and Maven builds on the machine (not this benchmark or its servers). */
  static List<String> otherJavaProcesses() {
    long self = ProcessHandle.current().pid();
    List<Long> mine = new ArrayList<>();
    for (ProcessHandle h = ProcessHandle.current().parent().orElse(null); h != null;
        h = h.parent().orElse(null)) {
      mine.add(h.pid());
    }
    for (ChildProcess p : Cleanup.processes()) {
      mine.add(p.pid());
    }
    List<String> out = new ArrayList<>();
    ProcessHandle.allProcesses().forEach(h -> {
      if (h.pid() == self || mine.contains(h.pid())) {
        return;
      }
      String cmd = h.info().commandLine().orElse(h.info().command().orElse(""));
      if (cmd.contains("java") || cmd.contains("mvn")) {
        long cpu = processCpuNanos(h.pid());
        String shortCmd = cmd.length() > 110 ? cmd.substring(0, 110) + "..." : cmd;
        out.add("pid " + h.pid() + " (cpu so far " + cpu / 1_000_000_000L + " s): " + shortCmd);
      }
    });
    return out;
  }
}
