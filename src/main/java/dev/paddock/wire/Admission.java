package dev.paddock.wire;

import dev.paddock.session.RequestGate;

/**
 * One connection's way into the server's request gate. A request that finds no place is held
 * here, the only one the connection holds (it reads nothing more meanwhile), until the gate
 * wakes the connection and a place is free.
 */
final class Admission {
  private final RequestGate gate;
  private final Runnable wake;
  private Requests.Decoded held;
  private long heldSize;
  private boolean waiting;

  /** @param wake tells the connection that a place may have come free */
  Admission(RequestGate gate, Runnable wake) {
    this.gate = gate;
    this.wake = wake;
  }

  /** Takes a place for {@code request}, or holds it and waits; true when it may go on. */
  boolean enter(Requests.Decoded request, long size) {
    if (gate.tryEnter(size)) {
      return true;
    }
    held = request;
    heldSize = size;
    await();
    return false;
  }

  /**
   * The gate woke the connection: the held request once it has its place, or null (still
   * waiting, or nothing held, in which case the wake-up goes on to another connection).
   */
  Requests.Decoded woken() {
    waiting = false;
    if (held == null) {
      gate.passOn();
      return null;
    }
    if (!gate.tryEnter(heldSize)) {
      await();
      return null;
    }
    Requests.Decoded request = held;
    held = null;
    return request;
  }

  boolean holding() {
    return held != null;
  }

  long heldSize() {
    return heldSize;
  }

  /** Gives up the held request and the wait; the connection is going away. */
  void close() {
    held = null;
    if (waiting) {
      waiting = false;
      gate.cancel(wake);
      // The wake-up meant for this connection may already be on its way to it.
      gate.passOn();
    }
  }

  private void await() {
    if (!waiting) {
      waiting = true;
      gate.await(wake);
    }
  }
}
