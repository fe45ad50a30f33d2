package dev.paddock.sim.check;

import java.util.Arrays;
import java.util.List;

/**
 * Call and return events in time order, as a doubly linked list over arrays. Linearizing a call
 * unlinks its two events; backtracking relinks them in the reverse order, which restores the list
 * exactly because the unlinked events keep their own links (dancing links).
 *
 * <p>Event 2i is the call of operation i and 2i+1 its return. An indeterminate operation without
 * a deadline has no return event: nothing ever has to wait for it.
 */
final class EventList {
  private final int head;
  private final int tail;
  private final int[] next;
  private final int[] prev;
  private final boolean[] hasReturn;

  EventList(List<? extends Operation<?, ?>> ops) {
    int n = ops.size();
    head = 2 * n;
    tail = 2 * n + 1;
    next = new int[2 * n + 2];
    prev = new int[2 * n + 2];
    hasReturn = new boolean[n];
    Integer[] events = new Integer[2 * n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      events[count++] = 2 * i;
      hasReturn[i] = ops.get(i).complete() != Operation.OPEN;
      if (hasReturn[i]) {
        events[count++] = 2 * i + 1;
      }
    }
    Arrays.sort(events, 0, count, (a, b) -> compare(ops, a, b));
    int last = head;
    for (int k = 0; k < count; k++) {
      link(last, events[k]);
      last = events[k];
    }
    link(last, tail);
  }

  // Calls sort before returns at the same instant, so that equal times count as overlapping.
  private static int compare(List<? extends Operation<?, ?>> ops, int a, int b) {
    int c = Long.compare(time(ops, a), time(ops, b));
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a & 1, b & 1);
    return c != 0 ? c : Integer.compare(a, b);
  }

  private static long time(List<? extends Operation<?, ?>> ops, int event) {
    Operation<?, ?> op = ops.get(event >> 1);
    return (event & 1) == 0 ? op.invoke() : op.complete();
  }

  private void link(int a, int b) {
    next[a] = b;
    prev[b] = a;
  }

  void lift(int op) {
    unlink(2 * op);
    if (hasReturn[op]) {
      unlink(2 * op + 1);
    }
  }

  void unlift(int op) {
    if (hasReturn[op]) {
      relink(2 * op + 1);
    }
    relink(2 * op);
  }

  private void unlink(int e) {
    next[prev[e]] = next[e];
    prev[next[e]] = prev[e];
  }

  private void relink(int e) {
    next[prev[e]] = e;
    prev[next[e]] = e;
  }

  /**
   * Fills {@code calls} with the operations that may be linearized next: those invoked before the
   * first pending return. Returns how many, and stores the operation owning that first return (or
   * -1 when no return is pending) in {@code barrier[0]}.
   */
  int window(int[] calls, int[] barrier) {
    int count = 0;
    int e = next[head];
    while (e != tail && (e & 1) == 0) {
      calls[count++] = e >> 1;
      e = next[e];
    }
    barrier[0] = e == tail ? -1 : e >> 1;
    return count;
  }
}
