package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ExitWatchdogTest {

  @Test
  void aSystemThatNeverTerminatesIsEndedAfterTheGrace() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    Thread watchdog = ExitWatchdog.arm(new CompletableFuture<Void>(), Duration.ofMillis(50),
        ended::countDown);
    assertTrue(watchdog.isDaemon());
    assertTrue(ended.await(30, TimeUnit.SECONDS));
  }

  @Test
  void aSystemThatTerminatesInTimeIsLeftAlone() throws Exception {
    CountDownLatch ended = new CountDownLatch(1);
    CompletableFuture<Void> terminated = new CompletableFuture<>();
    Thread watchdog = ExitWatchdog.arm(terminated, Duration.ofMinutes(10), ended::countDown);
    terminated.complete(null);
    watchdog.join(TimeUnit.SECONDS.toMillis(30));
    assertFalse(watchdog.isAlive());
    assertEquals(1, ended.getCount());
  }
}
