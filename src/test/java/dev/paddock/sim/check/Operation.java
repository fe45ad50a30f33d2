package dev.paddock.sim.check;

import java.util.Objects;

/**
 * One call in a recorded history, with times from the simulated clock.
 *
 * <p>A null output means the client never learned the outcome (it lost its connection, say): the
 * call may have taken effect at any point after {@code invoke}, or never. Its {@code complete} is
 * then a deadline, {@link #OPEN} when none is known. A finite deadline says the call took effect
 * before it or not at all; it can only make the check stricter, and it keeps the search small when
 * many outcomes are lost, so a simulator that can prove one (every message of that time delivered
 * or dropped, say) should give it.
 *
 * <p>Two events at the same instant are taken as concurrent: a call completed at t does not precede
 * one invoked at t. A simulator whose causally ordered events can share an instant should advance
 * its clock between them.
 */
public record Operation<I, O>(int client, I input, O output, long invoke, long complete) {
  /** The deadline of an indeterminate call that may still take effect at any later time. */
  public static final long OPEN = Long.MAX_VALUE;

  public Operation {
    Objects.requireNonNull(input, "input");
    if (complete < invoke) {
      throw new IllegalArgumentException("completes at " + complete + " before its invoke at "
          + invoke + ": " + input);
    }
  }

  /** A call whose outcome is unknown, and which may take effect at any time after its invoke. */
  public static <I, O> Operation<I, O> indeterminate(int client, I input, long invoke) {
    return new Operation<>(client, input, null, invoke, OPEN);
  }

  /** A call whose outcome is unknown, but which took effect before {@code deadline} or never. */
  public static <I, O> Operation<I, O> indeterminate(int client, I input, long invoke,
      long deadline) {
    return new Operation<>(client, input, null, invoke, deadline);
  }

  public boolean isIndeterminate() {
    return output == null;
  }

  @Override
  public String toString() {
    String outcome = output == null ? "?" : String.valueOf(output);
    String until = complete == OPEN ? "" : complete + (output == null ? "?" : "");
    return "c" + client + " " + input + " -> " + outcome + " @" + invoke + ".." + until;
  }
}
