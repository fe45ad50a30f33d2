package dev.paddock.sim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks a history over many keys one key at a time, which is sound because a history is
 * linearizable exactly when each key's part is (linearizability is local). Splitting keeps every
 * search small; the multi-key atomicity of a multi is not checked here.
 *
 * <p>Every key gets the whole {@code maxStepsPerKey}, so one key's verdict never depends on what
 * the others cost. Keys are checked in their natural order; a violation anywhere wins over running
 * out of budget elsewhere, since it is the more useful report.
 */
public final class PerKey {
  /** An operation on one key. */
  public record KeyedOp<I, O>(String key, Operation<I, O> op) {
  }

  private PerKey() {
  }

  public static <S, I, O> Verdict check(Model<S, I, O> model, List<KeyedOp<I, O>> history,
      long maxStepsPerKey) {
    Map<String, List<Operation<I, O>>> byKey = new TreeMap<>();
    for (KeyedOp<I, O> k : history) {
      byKey.computeIfAbsent(k.key(), x -> new ArrayList<>()).add(k.op());
    }
    long steps = 0;
    Verdict unknown = null;
    for (Map.Entry<String, List<Operation<I, O>>> e : byKey.entrySet()) {
      Verdict v = Linearizability.check(model, e.getValue(), maxStepsPerKey);
      steps += v.steps();
      if (v.kind() == Verdict.Kind.VIOLATION) {
        return new Verdict(v.kind(), "key " + e.getKey() + ": " + v.explanation(), steps);
      }
      if (v.kind() == Verdict.Kind.UNKNOWN && unknown == null) {
        unknown = v.about("key " + e.getKey());
      }
    }
    if (unknown != null) {
      return new Verdict(unknown.kind(), unknown.explanation(), steps);
    }
    return new Verdict(Verdict.Kind.OK, "linearizable: " + history.size() + " operations on "
        + byKey.size() + " keys", steps);
  }
}
