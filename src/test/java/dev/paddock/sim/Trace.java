package dev.paddock.sim;

import java.util.ArrayDeque;

/** The last lines of what happened in a run, printed with a violation. */
final class Trace {
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final int keep;
  private final Sched sched;

  Trace(Sched sched, int keep) {
    this.sched = sched;
    this.keep = keep;
  }

  void add(String line) {
    if (lines.size() == keep) {
      lines.pollFirst();
    }
    lines.addLast(String.format("%9.3fs %s", sched.now() / 1e9, line));
  }

  String dump() {
    return String.join("\n", lines);
  }
}
