package dev.paddock.sim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.sim.check.PerKey.KeyedOp;
import dev.paddock.sim.check.RandomHistories.Shape;
import dev.paddock.sim.check.ZnodeModel.Create;
import dev.paddock.sim.check.ZnodeModel.Delete;
import dev.paddock.sim.check.ZnodeModel.Get;
import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Ok;
import dev.paddock.sim.check.ZnodeModel.Output;
import dev.paddock.sim.check.ZnodeModel.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Histories a correct server produced, which must pass, and the same with one answer made
 * impossible, which must not; and the sizes the simulator works at, which must fit the budget.
 */
class RandomHistoryTest {
  private static final Shape SMALL = new Shape(60, 4, 2, 3, 0.1, 0.1, 0.5);
  /** One key taking every operation: the hardest split of a simulator run. */
  private static final Shape ONE_HOT_KEY = new Shape(2000, 6, 1, 3, 0.02, 0.02, 0.25);
  /** A simulator run as expected: ten keys, lost answers without deadlines. */
  private static final Shape TEN_KEYS = new Shape(2000, 6, 10, 3, 0.03, 0.03, 1.0);
  private static final long BUDGET = 200_000;

  @Test
  void whatACorrectServerDidIsLinearizable() {
    for (long seed = 0; seed < 300; seed++) {
      Verdict v = PerKey.check(Znodes.MODEL, RandomHistories.generate(seed, SMALL), BUDGET);
      assertEquals(Verdict.Kind.OK, v.kind(), () -> "seed " + v);
    }
  }

  @Test
  void oneImpossibleAnswerIsAViolation() {
    for (long seed = 0; seed < 300; seed++) {
      Random rnd = new Random(seed);
      List<KeyedOp<Input, Output>> h = new ArrayList<>(RandomHistories.generate(seed, SMALL));
      List<Integer> mutable = new ArrayList<>();
      for (int i = 0; i < h.size(); i++) {
        Operation<Input, Output> op = h.get(i).op();
        if (op.output() != null && (op.input() instanceof Get || op.input() instanceof Create
            || op.input() instanceof ZnodeModel.Set || op.input() instanceof Delete)) {
          mutable.add(i);
        }
      }
      int i = mutable.get(rnd.nextInt(mutable.size()));
      KeyedOp<Input, Output> k = h.get(i);
      Operation<Input, Output> op = k.op();
      h.set(i, new KeyedOp<>(k.key(), new Operation<>(op.client(), op.input(),
          impossible(op.input(), op.output()), op.invoke(), op.complete())));
      Verdict v = PerKey.check(Znodes.MODEL, h, BUDGET);
      long s = seed;
      assertEquals(Verdict.Kind.VIOLATION, v.kind(), () -> "seed " + s + " op " + h.get(i) + v);
      assertTrue(v.explanation().startsWith("key " + k.key() + ": "), v::toString);
    }
  }

  /** No one writes this value, and no version gets that high. */
  private static Output impossible(Input in, Output out) {
    if (in instanceof Get) {
      return new Value("never written", out instanceof Value v ? v.version() : 0);
    }
    return new Ok(99_999);
  }

  @Test
  void aLongHistoryOnOneKeyFitsTheBudget() {
    for (long seed = 0; seed < 3; seed++) {
      List<KeyedOp<Input, Output>> h = RandomHistories.generate(seed, ONE_HOT_KEY);
      Verdict v = Linearizability.check(Znodes.MODEL, RandomHistories.onKey(h, "/k0"), BUDGET);
      assertEquals(Verdict.Kind.OK, v.kind(), v::toString);
    }
  }

  @Test
  void aSimulatorSizedRunFitsTheBudget() {
    for (long seed = 0; seed < 3; seed++) {
      Verdict v = PerKey.check(Znodes.MODEL, RandomHistories.generate(seed, TEN_KEYS), BUDGET);
      assertEquals(Verdict.Kind.OK, v.kind(), v::toString);
    }
  }

  @Test
  void aTinyBudgetOnALongHistoryIsUnknown() {
    List<Operation<Input, Output>> h =
        RandomHistories.onKey(RandomHistories.generate(7, ONE_HOT_KEY), "/k0");
    Verdict v = Linearizability.check(Znodes.MODEL, h, 100);
    assertEquals(Verdict.Kind.UNKNOWN, v.kind(), v::toString);
    assertEquals(100, v.steps());
    assertTrue(v.explanation().startsWith("search budget of 100 steps exhausted"), v::toString);
  }
}
