package dev.paddock.bench;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * Where one fail-over round's time went, read from the surviving servers' logs (both products
 * log wall-clock times to the millisecond): detect (kill until a server gives up on the dead
 * leader), elect (until an election decides), sync (until the new leader serves), first write
 * (until the writer's next write is acknowledged). A phase whose log line is missing is NaN.
 */
record FailoverPhases(double detectMs, double electMs, double syncMs, double firstWriteMs) {

  /** Log lines that mark the end of each phase, in either product's words. */
  private record Markers(String detected, String elected, String serving) {}

  private static final Markers PADDOCK = new Markers("leaving leader", "decided: leader",
      "serving clients as leader");
  private static final Markers ZOOKEEPER = new Markers("Peer state changed: looking",
      "LEADER ELECTION TOOK", "Peer state changed: leading - broadcast");

  static FailoverPhases read(List<String> survivorLogs, LocalTime killed, double gapMs,
      boolean paddock) {
    Markers m = paddock ? PADDOCK : ZOOKEEPER;
    double detected = first(survivorLogs, killed, m.detected());
    double elected = first(survivorLogs, killed, m.elected());
    double serving = first(survivorLogs, killed, m.serving());
    return new FailoverPhases(detected, elected - detected, serving - elected, gapMs - serving);
  }

  /** Milliseconds from the kill to the earliest line after it that contains {@code marker}. */
  private static double first(List<String> logs, LocalTime killed, String marker) {
    double best = Double.NaN;
    for (String log : logs) {
      for (String line : log.split("\n")) {
        if (line.length() < 12 || !line.contains(marker)) {
          continue;
        }
        LocalTime at;
        try {
          at = LocalTime.parse(line.substring(0, 12));
        } catch (DateTimeParseException e) {
          continue;
        }
        // The log has milliseconds; the kill's clock reading is finer. Same millisecond counts.
        double ms = Duration.between(killed, at).toNanos() / 1e6;
        if (ms > -1 && (Double.isNaN(best) || ms < best)) {
          best = Math.max(0, ms);
        }
      }
    }
    return best;
  }

  String describe() {
    return String.format(Locale.ROOT, "detect %s, elect %s, sync %s, first write %s ms",
        ms(detectMs), ms(electMs), ms(syncMs), ms(firstWriteMs));
  }

  private static String ms(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.0f", v);
  }
}
