package dev.paddock.sim;

import java.util.PriorityQueue;

/**
 * The simulator's only clock and its only thread: tasks run one at a time in order of their
 * time, ties broken by the order they were scheduled, so a run depends on nothing but its seed.
 */
final class Sched {
  private record Task(long time, long seq, Runnable action) {}

  private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
      a.time != b.time ? Long.compare(a.time, b.time) : Long.compare(a.seq, b.seq));
  private long now;
  private long seq;
  private long executed;

  long now() {
    return now;
  }

  long executed() {
    return executed;
  }

  void at(long time, Runnable action) {
    queue.add(new Task(Math.max(time, now), seq++, action));
  }

  void after(long delayNanos, Runnable action) {
    at(now + delayNanos, action);
  }

  /** Runs tasks up to {@code until}; false when nothing was left to run. */
  boolean runUntil(long until) {
    while (!queue.isEmpty() && queue.peek().time <= until) {
      Task t = queue.poll();
      now = t.time;
      executed++;
      t.action.run();
    }
    if (now < until) {
      now = until;
    }
    return !queue.isEmpty();
  }
}
