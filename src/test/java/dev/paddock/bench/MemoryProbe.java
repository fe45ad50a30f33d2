package dev.paddock.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What a server process holds: its live heap (through jcmd) and its data directory on disk. */
final class MemoryProbe {
  private static final Duration JCMD_MAX = Duration.ofMinutes(2);

  private MemoryProbe() {}

  /**
   * Files under a data directory: total size, snapshots among them (by name only), bytes du says
   * are allocated (-1 if du failed), and one "path size" line per file.
   */
  record DirUsage(long bytes, int files, int snapshots, long snapshotBytes, long allocated,
      String listing) {}

  /**
   * Live heap in bytes: the total of {@code jcmd GC.class_histogram}, which runs a full GC first.
   * Read twice, the second kept: objects only finalization or reference processing frees can
   * survive the first GC.
   */
  static long liveHeap(long pid) throws IOException, InterruptedException {
    histogramTotal(pid);
    return histogramTotal(pid);
  }

  private static long histogramTotal(long pid) throws IOException, InterruptedException {
    Path jcmd = Path.of(ChildProcess.javaBinary()).resolveSibling("jcmd");
    // To a file, not a pipe: reading a pipe would wait without a deadline if jcmd hung.
    Path out = Files.createTempFile("paddock-bench-histogram-", ".txt");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "GC.class_histogram")
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(JCMD_MAX.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("jcmd " + pid + " GC.class_histogram took over "
            + JCMD_MAX);
      }
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
      for (int i = lines.size() - 1; i >= 0; i--) {
        String[] w = lines.get(i).trim().split("\\s+");
        if (w.length == 3 && w[0].equals("Total")) {
          return Long.parseLong(w[2]);
        }
      }
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram printed no Total: "
          + String.join(" | ", lines.subList(0, Math.min(3, lines.size()))));
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /**
   * Sizes as the file system reports them, and du's allocation beside them: both products
   * preallocate their logs, ZooKeeper sparsely.
   */
  static DirUsage dirUsage(Path dir) throws IOException, InterruptedException {
    long total = 0;
    long snapBytes = 0;
    int files = 0;
    int snaps = 0;
    StringBuilder listing = new StringBuilder();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path file : all.filter(Files::isRegularFile).sorted().toList()) {
        long size = Files.size(file);
        total += size;
        files++;
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).contains("snap")) {
          snaps++;
          snapBytes += size;
        }
        listing.append("\n    ").append(dir.relativize(file)).append(' ').append(size);
      }
    }
    return new DirUsage(total, files, snaps, snapBytes, allocated(dir), listing.toString());
  }

  private static long allocated(Path dir) throws InterruptedException {
    try {
      Process du = new ProcessBuilder("du", "-s", "-B1", dir.toString()).start();
      if (!du.waitFor(30, TimeUnit.SECONDS) || du.exitValue() != 0) {
        du.destroyForcibly();
        return -1;
      }
      return Long.parseLong(new String(du.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8).split("\\s+")[0]);
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
  }
}
