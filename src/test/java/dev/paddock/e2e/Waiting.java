package dev.paddock.e2e;

import java.time.Duration;

/**
 * The poll interval for waiting on other processes. There is no actor or future to wait on
 * when the thing waited for is another operating-system process, so the callers poll a
 * condition until a deadline; this is only the pause between two polls, never the wait itself.
 */
final class Waiting {
  private Waiting() {}

  static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
