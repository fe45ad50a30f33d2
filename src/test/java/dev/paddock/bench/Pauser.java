package dev.paddock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * Pauses servers during a measurement window, as a process pause (long GC, a stalled VM) would:
 * each cycle of {@link #CYCLE} runs everything for {@link #RUNNING}, then SIGSTOPs one server
 * chosen by a Random with a fixed seed (so every product sees the same sequence of member
 * indexes) and SIGCONTs it {@link #PAUSED} later. A pause that would end after the window is not
 * started. Whatever happens (interrupt, failure), a stopped server is continued.
 */
final class Pauser {
  static final long SEED = 42;
  static final Duration RUNNING = Duration.ofSeconds(3);
  static final Duration PAUSED = Duration.ofSeconds(4);
  static final Duration CYCLE = RUNNING.plus(PAUSED);

  /**
   * One pause: the server, its mode and the leader just before (from srvr), when it started
   * (seconds into the window), how long the server was stopped, and the ops and errors all
   * clients completed meanwhile.
   */
  record Pause(String server, String mode, String leader, double atSeconds, double seconds,
      long ops, long errors, String problem) {
    boolean wasLeader() {
      return "leader".equals(mode);
    }

    String describe() {
      return String.format(Locale.ROOT, "%s %s at %.1f s: %s", server,
          wasLeader() ? "(leader)" : "(" + (mode == null ? "no mode" : mode) + ", leader "
              + (leader == null ? "none" : leader) + ")", atSeconds,
          problem != null ? problem : String.format(Locale.ROOT,
              "%.1f s stopped, %d ops, %d errors", seconds, ops, errors));
    }
  }

  private final Cluster cluster;
  private final CasStats window;
  private final Random random = new Random(SEED);
  private final List<Pause> pauses = new ArrayList<>();
  private final Thread thread;

  Pauser(Cluster cluster, CasStats window) {
    this.cluster = cluster;
    this.window = window;
    this.thread = new Thread(this::loop, "cas-pauser");
    thread.setDaemon(true);
  }

  /** How many pauses fit in a window of this length. */
  static int pausesIn(Duration window) {
    long n = 0;
    while (RUNNING.plus(CYCLE.multipliedBy(n)).plus(PAUSED).compareTo(window) <= 0) {
      n++;
    }
    return (int) n;
  }

  void start() {
    thread.start();
  }

  /**
   * Waits for the schedule to end (at most until {@code wait} after the window), interrupts it
   * otherwise, and continues every server in any case.
   */
  List<Pause> finish(Duration wait) {
    try {
      long left = window.endNanos + wait.toNanos() - System.nanoTime();
      thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(15_000);
      }
    } catch (InterruptedException e) {
      thread.interrupt();
      Thread.currentThread().interrupt();
    } finally {
      resumeAll(cluster);
    }
    synchronized (pauses) {
      return List.copyOf(pauses);
    }
  }

  /** SIGCONT to every running server: harmless to a running process, vital to a stopped one. */
  static void resumeAll(Cluster cluster) {
    if (cluster == null) {
      return;
    }
    for (Cluster.Member m : cluster.members) {
      long pid = m.process().pid();
      if (pid > 0) {
        String problem = signalNow("CONT", pid);
        if (problem != null) {
          Bench.progress("  " + problem);
        }
      }
    }
  }

  private void loop() {
    try {
      for (int k = 0; ; k++) {
        long at = window.startNanos + RUNNING.plus(CYCLE.multipliedBy(k)).toNanos();
        if (at + PAUSED.toNanos() - window.endNanos > 0) {
          return;
        }
        sleepUntil(at);
        pauseOnce(random.nextInt(cluster.members.size()));
      }
    } catch (InterruptedException e) {
      // finish() gave up waiting; the server stopped last was continued on the way out
    }
  }

  private void pauseOnce(int victim) throws InterruptedException {
    ChildProcess process = cluster.members.get(victim).process();
    String mode = null;
    String leader = null;
    for (int i = 0; i < cluster.members.size(); i++) {
      String m = cluster.mode(i);
      if (i == victim) {
        mode = m;
      }
      if ("leader".equals(m)) {
        leader = cluster.members.get(i).process().name();
      }
    }
    double at = (System.nanoTime() - window.startNanos) / 1e9;
    long pid = process.pid();
    if (pid <= 0) {
      record(new Pause(process.name(), mode, leader, at, 0, 0, 0, "not running, not paused"));
      return;
    }
    long ops = window.ops();
    long errors = window.errorCount();
    long stoppedAt = System.nanoTime();
    String problem = signalNow("STOP", pid);
    if (problem != null) {
      record(new Pause(process.name(), mode, leader, at, 0, 0, 0, problem));
      return;
    }
    Bench.progress(String.format(Locale.ROOT, "  %.1f s: SIGSTOP %s (%s) for %d s",
        at, process.name(), mode, PAUSED.toSeconds()));
    try {
      sleepUntil(stoppedAt + PAUSED.toNanos());
    } finally {
      problem = signalNow("CONT", pid);
      double seconds = (System.nanoTime() - stoppedAt) / 1e9;
      record(new Pause(process.name(), mode, leader, at, seconds, window.ops() - ops,
          window.errorCount() - errors, problem));
      if (problem != null) {
        Bench.progress("  " + problem);
      }
    }
  }

  private void record(Pause p) {
    synchronized (pauses) {
      pauses.add(p);
    }
  }

  private static void sleepUntil(long deadline) throws InterruptedException {
    long left;
    while ((left = deadline - System.nanoTime()) > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /**
   * Sends a signal with the kill command (the JDK can send only TERM and KILL). It also runs
   * when the calling thread is interrupted: a SIGCONT must not be skipped.
   */
  private static String signalNow(String signal, long pid) {
    boolean interrupted = Thread.interrupted();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).start();
      boolean exited = false;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (!exited && System.nanoTime() - deadline < 0) {
        try {
          exited = kill.waitFor(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (!exited) {
        kill.destroyForcibly();
        return "kill -" + signal + " " + pid + " did not return within 5 s";
      }
      if (kill.exitValue() != 0) {
        return "kill -" + signal + " " + pid + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      }
      return null;
    } catch (IOException e) {
      return "kill -" + signal + " " + pid + " failed: " + e.getMessage();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
