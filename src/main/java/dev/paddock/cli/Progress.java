package dev.paddock.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress display for long commands: done so far, rate and, when the total is
 * known, the time left. Drawn only on a terminal (it rewrites its line), at most every 200 ms.
 */
final class Progress {
  private final PrintStream err;
  private final String unit;
  private final long total;
  private final boolean terminal;
  private final long start = System.nanoTime();
  private long lastDraw;
  private long done;

  Progress(PrintStream err, String unit, long total) {
    this.err = err;
    this.unit = unit;
    this.total = total;
    this.terminal = System.console() != null;
  }

  void add(long n) {
    done += n;
    long now = System.nanoTime();
    if (terminal && now - lastDraw > 200_000_000L) {
      lastDraw = now;
      err.print("\r" + line(now) + "   ");
      err.flush();
    }
  }

  long done() {
    return done;
  }

  double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** Clears the progress line; the caller prints its summary after. */
  void finish() {
    if (terminal && lastDraw != 0) {
      err.print("\r" + " ".repeat(78) + "\r");
      err.flush();
    }
  }

  String line(long now) {
    double secs = Math.max(1e-3, (now - start) / 1e9);
    double rate = done / secs;
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%,d %s", done, unit));
    if (total > 0) {
      sb.append(String.format(Locale.ROOT, " of %,d (%.0f%%)", total, 100.0 * done / total));
    }
    sb.append(String.format(Locale.ROOT, ", %,.0f %s/s", rate, unit));
    if (total > 0 && rate > 0 && done < total) {
      sb.append(String.format(Locale.ROOT, ", %.0f s left", (total - done) / rate));
    }
    return sb.toString();
  }
}
