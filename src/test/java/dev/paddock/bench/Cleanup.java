package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the benchmark leaves behind: server processes and temporary directories. A JVM
 * shutdown hook (normal exit, exception, Ctrl-C, SIGTERM) kills the processes still running and
 * deletes the directories, unless {@code --keep} asked to keep them for inspection.
 */
final class Cleanup {
  private static final List<ChildProcess> PROCESSES = new ArrayList<>();
  private static final List<Path> DIRS = new ArrayList<>();
  private static final List<Path> SPARED = new ArrayList<>();
  private static volatile boolean keep;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::runAll, "bench-cleanup"));
  }

  private Cleanup() {}

  static void keepFiles(boolean value) {
    keep = value;
  }

  static synchronized void register(ChildProcess p) {
    PROCESSES.add(p);
  }

  static synchronized List<ChildProcess> processes() {
    return List.copyOf(PROCESSES);
  }

  /** A new temporary directory, deleted on exit. */
  static Path tempDir(String prefix) throws IOException {
    Path dir = Files.createTempDirectory("paddock-bench-" + prefix + "-");
    synchronized (Cleanup.class) {
      DIRS.add(dir);
    }
    return dir;
  }

  /**
   * Keeps one directory whatever {@code --keep} says: a phase failed there, and its servers'
   * logs are the only account of why.
   */
  static synchronized void spare(Path dir) {
    SPARED.add(dir);
    System.err.println("bench: keeping " + dir + " (a measurement failed there)");
  }

  /** Deletes a directory now (after its processes have stopped), unless files are kept. */
  static void deleteNow(Path dir) {
    synchronized (Cleanup.class) {
      if (keep || SPARED.contains(dir)) {
        return;
      }
    }
    deleteTree(dir);
    synchronized (Cleanup.class) {
      DIRS.remove(dir);
    }
  }

  private static void runAll() {
    List<ChildProcess> procs;
    List<Path> dirs;
    List<Path> spared;
    synchronized (Cleanup.class) {
      procs = List.copyOf(PROCESSES);
      dirs = List.copyOf(DIRS);
      spared = List.copyOf(SPARED);
    }
    for (ChildProcess p : procs) {
      p.killNow();
    }
    if (keep) {
      if (!dirs.isEmpty()) {
        System.err.println("bench: kept " + dirs);
      }
      return;
    }
    for (Path d : dirs) {
      if (!spared.contains(d)) {
        deleteTree(d);
      }
    }
  }

  static void deleteTree(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      System.err.println("bench: could not delete " + dir + ": " + e);
    }
  }
}
