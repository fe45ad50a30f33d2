package dev.paddock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One server JVM started by the benchmark. Every start writes a fresh log file
 * ({@code name-1.log}, {@code name-2.log}, ...), so a restarted server's log never shows the
 * previous incarnation's state. All instances are registered with {@link Cleanup}, whose shutdown
 * hook kills whatever is still running when the benchmark exits.
 */
final class ChildProcess {
  private final String name;
  private final List<String> command;
  private final Path workDir;
  private int incarnation;
  private Path logFile;
  private Process process;

  ChildProcess(String name, List<String> command, Path workDir) {
    this.name = name;
    this.command = List.copyOf(command);
    this.workDir = workDir;
    Cleanup.register(this);
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  String name() {
    return name;
  }

  synchronized void start() throws IOException {
    if (alive()) {
      throw new IllegalStateException(name + " is already running");
    }
    incarnation++;
    logFile = workDir.resolve(name + "-" + incarnation + ".log");
    process = new ProcessBuilder(new ArrayList<>(command))
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  /** Process id of the running incarnation, or -1. */
  synchronized long pid() {
    return alive() ? process.pid() : -1;
  }

  /** SIGKILL, then waits until the process is gone. */
  void kill9() throws InterruptedException {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.waitFor();
    }
  }

  /** SIGTERM (a JFR recording is dumped on the way out), SIGKILL after 15 s. */
  void stop() {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null || !p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /** For the shutdown hook: no waiting beyond a moment. */
  void killNow() {
    Process p = process;
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      try {
        p.waitFor(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  synchronized String log() {
    try {
      return logFile != null && Files.exists(logFile)
          ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  String logTail(int lines) {
    String[] all = log().split("\n");
    StringBuilder sb = new StringBuilder();
    for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
      sb.append("    | ").append(all[i]).append('\n');
    }
    return sb.toString();
  }

  /** Describes how the process ended, if it did. */
  synchronized String exitDescription() {
    if (process == null) {
      return "never started";
    }
    return process.isAlive() ? "running" : "exited with status " + process.exitValue();
  }
}
