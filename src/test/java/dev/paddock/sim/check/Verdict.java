package dev.paddock.sim.check;

/**
 * The outcome of a check. UNKNOWN means the step budget ran out before the search settled; callers
 * must treat it as a failure, since the history may hide a violation.
 */
public record Verdict(Kind kind, String explanation, long steps) {
  public enum Kind { OK, VIOLATION, UNKNOWN }

  public boolean ok() {
    return kind == Kind.OK;
  }

  Verdict about(String subject) {
    return new Verdict(kind, subject + ": " + explanation, steps);
  }

  @Override
  public String toString() {
    return kind + " (" + steps + " steps): " + explanation;
  }
}
