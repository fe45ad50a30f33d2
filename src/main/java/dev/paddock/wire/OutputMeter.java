package dev.paddock.wire;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of replies a connection has queued and its socket has not yet taken. The connection
 * actor adds what it queues; the outgoing stream takes off what it hands to the socket, and
 * wakes the actor when a paused connection has drained to half its throttle.
 */
final class OutputMeter {
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicBoolean paused = new AtomicBoolean();
  private final long resumeBelow;
  private volatile Runnable onDrained = () -> { };

  OutputMeter(long throttleBytes) {
    this.resumeBelow = throttleBytes / 2;
  }

  void onDrained(Runnable wake) {
    this.onDrained = wake;
  }

  long queued() {
    return queued.get();
  }

  /** Counts bytes just queued; returns what is queued now. */
  long add(long bytes) {
    return queued.addAndGet(bytes);
  }

  /** Bytes the socket has taken so far: whether a paused client makes any progress. */
  long sentTotal() {
    return sent.get();
  }

  /** The socket took {@code bytes}; called on the stream's thread. */
  void sent(long bytes) {
    sent.addAndGet(bytes);
    long left = queued.addAndGet(-bytes);
    if (left < resumeBelow && paused.compareAndSet(true, false)) {
      onDrained.run();
    }
  }

  /**
   * Asks to be woken once drained; false when it already is (then nothing will wake the
   * caller, who must go on at once).
   */
  boolean pause() {
    paused.set(true);
    if (queued.get() < resumeBelow && paused.compareAndSet(true, false)) {
      return false;
    }
    return true;
  }
}
