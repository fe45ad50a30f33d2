package dev.paddock.zab;

import java.time.Duration;

/**
 * Zab's clocks: the tick with init-limit and sync-limit in ticks, and the leader's heartbeat with
 * the silence after which a follower gives its leader up.
 */
public record ZabTimers(Duration tick, int initLimitTicks, int syncLimitTicks,
    Duration leaderBeat, Duration leaderTimeout) {
  public Duration initLimit() {
    return tick.multipliedBy(initLimitTicks);
  }

  public Duration syncLimit() {
    return tick.multipliedBy(syncLimitTicks);
  }
}
