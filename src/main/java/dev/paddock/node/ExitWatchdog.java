package dev.paddock.node;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ends the process when the actor system has not terminated within a grace period after its
 * shutdown began. Pekko 1.7's Artery can wait without a deadline for a remoting stream to
 * complete, and a server that decided it must stop must not linger half-stopped: it has
 * already stopped serving, so a supervisor waiting for it to exit would wait forever.
 */
final class ExitWatchdog {
  static final Duration GRACE = Duration.ofSeconds(60);

  private ExitWatchdog() {}

  /** Starts a daemon thread that runs {@code onExpiry} unless {@code terminated} completes in time. */
  static Thread arm(CompletionStage<?> terminated, Duration grace, Runnable onExpiry) {
    Thread watchdog = new Thread(() -> {
      try {
        terminated.toCompletableFuture().get(grace.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        onExpiry.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // Termination completed, if exceptionally: nothing is left to bound.
      }
    }, "paddock-exit-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    return watchdog;
  }
}
