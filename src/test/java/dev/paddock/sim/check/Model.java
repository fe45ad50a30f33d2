package dev.paddock.sim.check;

import java.util.List;

/**
 * A sequential specification. States must implement {@code equals} and {@code hashCode}: the
 * checker remembers the (linearized calls, state) pairs it has explored and never explores one
 * twice, so two states that compare equal must behave the same from then on.
 */
public interface Model<S, I, O> {
  S init();

  /**
   * The states that applying {@code input} in state {@code s} may lead to when it answered
   * {@code output}; empty when that answer is impossible from {@code s}. For an indeterminate call
   * ({@code output} null) the states it may lead to if it took effect; the checker covers the case
   * where it never did.
   */
  List<S> step(S s, I input, O output);

  /**
   * True when the call with this answer leaves every state in which that answer is possible
   * unchanged (a read, a failed write). The checker then places it as soon as it fits and does
   * not try to place it anywhere later, which is sound only if this holds for every state.
   */
  default boolean readOnly(I input, O output) {
    return false;
  }
}
