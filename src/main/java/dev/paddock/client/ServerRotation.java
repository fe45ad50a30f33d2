package dev.paddock.client;

/**
 * Which server a client tries next and until when: the list in order, then round-robin. After a
 * whole round of failed attempts the next one waits a little, so a client of an ensemble that is
 * down (or not yet serving) does not spin through connect attempts.
 */
final class ServerRotation {
  private static final long MAX_PAUSE_MS = 1000;

  private final ClientSettings settings;
  private int index;
  private int failures;
  private long deadline;

  ServerRotation(ClientSettings settings) {
    this.settings = settings;
  }

  String current() {
    return settings.servers().get(index);
  }

  void attemptStarted(long nowNanos, int timeoutMs) {
    deadline = nowNanos + settings.attemptTimeoutMs(timeoutMs) * 1_000_000L;
  }

  /** True when the running attempt (or the pause) is over. */
  boolean due(long nowNanos) {
    return nowNanos - deadline >= 0;
  }

  /** Moves on; returns true when the next attempt must wait until {@link #due}. */
  boolean failed(long nowNanos, int timeoutMs) {
    failures++;
    index = (index + 1) % settings.servers().size();
    if (failures % settings.servers().size() != 0) {
      return false;
    }
    deadline = nowNanos
        + Math.min(MAX_PAUSE_MS, settings.attemptTimeoutMs(timeoutMs)) * 1_000_000L;
    return true;
  }

  void connected() {
    failures = 0;
  }

  /** A working connection broke: the next server gets a fresh round at once. */
  void lost() {
    failures = 0;
    index = (index + 1) % settings.servers().size();
  }
}
