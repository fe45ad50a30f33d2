package dev.paddock.zab;

import java.time.Duration;

/** Zab's clocks, in ticks as configured: the tick, init-limit and sync-limit. */
public record ZabTimers(Duration tick, int initLimitTicks, int syncLimitTicks) {
  public Duration initLimit() {
    return tick.multipliedBy(initLimitTicks);
  }

  public Duration syncLimit() {
    return tick.multipliedBy(syncLimitTicks);
  }
}
