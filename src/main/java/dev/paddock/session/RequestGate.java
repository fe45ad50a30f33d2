package dev.paddock.session;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide bound on client requests in flight (ZooKeeper's globalOutstandingLimit),
 * counted in requests and in their bytes. A request takes a place before it is acted on and
 * gives it back once answered. A client connection that finds no place stops reading its
 * socket and waits to be woken; a typed session, which cannot stop a remote client from
 * sending, refuses the request instead. Nothing waits in a queue of requests.
 *
 * <p>The count is exact: no more than {@code maxRequests} ever hold a place. The byte bound
 * admits a request when the bytes in flight are below it, so it is exceeded by at most one
 * request; a request larger than the bound still gets through once nothing else is in flight.
 */
public final class RequestGate {
  private final int maxRequests;
  private final long maxBytes;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger peak = new AtomicInteger();
  private final ConcurrentLinkedQueue<Runnable> waiting = new ConcurrentLinkedQueue<>();

  public RequestGate(int maxRequests, long maxBytes) {
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  /** Takes a place for a request of {@code size} bytes if there is room. */
  public boolean tryEnter(long size) {
    while (true) {
      int n = requests.get();
      if (n >= maxRequests || n > 0 && bytes.get() >= maxBytes) {
        return false;
      }
      if (requests.compareAndSet(n, n + 1)) {
        bytes.addAndGet(size);
        peak.accumulateAndGet(n + 1, Math::max);
        return true;
      }
    }
  }

  /** Gives back the place of an answered (or abandoned) request; wakes one waiter. */
  public void leave(long size) {
    bytes.addAndGet(-size);
    requests.decrementAndGet();
    passOn();
  }

  /**
   * Runs {@code wake} once there may be room (at once if there is). A woken waiter tries again
   * and waits again if another took the place; one that no longer needs a place calls
   * {@link #passOn}, so a wake-up is never lost.
   */
  public void await(Runnable wake) {
    waiting.add(wake);
    if (hasRoom()) {
      passOn();
    }
  }

  /** Withdraws a waiter that went away (its connection closed). */
  public void cancel(Runnable wake) {
    waiting.remove(wake);
  }

  /** Hands a wake-up on to the next waiter, if there is room for it. */
  public void passOn() {
    if (hasRoom()) {
      Runnable next = waiting.poll();
      if (next != null) {
        next.run();
      }
    }
  }

  private boolean hasRoom() {
    int n = requests.get();
    return n < maxRequests && (n == 0 || bytes.get() < maxBytes);
  }

  /** Requests holding a place now: what mntr reports as outstanding_requests. */
  public int inFlight() {
    return requests.get();
  }

  public long bytesInFlight() {
    return bytes.get();
  }

  /** The most requests that ever held a place at once. */
  public int peak() {
    return peak.get();
  }

  public int maxRequests() {
    return maxRequests;
  }
}
