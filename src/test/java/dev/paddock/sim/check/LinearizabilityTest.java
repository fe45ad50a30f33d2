package dev.paddock.sim.check;

import static dev.paddock.sim.check.Znodes.call;
import static dev.paddock.sim.check.Znodes.create;
import static dev.paddock.sim.check.Znodes.get;
import static dev.paddock.sim.check.Znodes.lost;
import static dev.paddock.sim.check.Znodes.ok;
import static dev.paddock.sim.check.Znodes.set;
import static dev.paddock.sim.check.Znodes.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Output;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search itself: time order, budgets, models with several successor states, pruning. */
class LinearizabilityTest {
  /** A register whose "roll" may leave any of three values: a model with several successors. */
  private static final Model<Integer, String, Integer> DIE = new Model<>() {
    @Override
    public Integer init() {
      return 0;
    }

    @Override
    public List<Integer> step(Integer s, String in, Integer out) {
      if (in.equals("roll")) {
        return List.of(1, 2, 3);
      }
      return s.equals(out) ? List.of(s) : List.of();
    }

    @Override
    public boolean readOnly(String in, Integer out) {
      return in.equals("read");
    }
  };

  private static Verdict die(List<Operation<String, Integer>> h) {
    return Linearizability.check(DIE, h, 1000);
  }

  @Test
  void everySuccessorStateIsTried() {
    for (int seen = 1; seen <= 3; seen++) {
      assertEquals(Verdict.Kind.OK, die(List.of(
          new Operation<>(0, "roll", 0, 0, 10),
          new Operation<>(1, "read", seen, 20, 30),
          new Operation<>(1, "read", seen, 40, 50))).kind());
    }
    assertEquals(Verdict.Kind.VIOLATION, die(List.of(
        new Operation<>(0, "roll", 0, 0, 10),
        new Operation<>(1, "read", 2, 20, 30),
        new Operation<>(1, "read", 3, 40, 50))).kind());
  }

  @Test
  void aReadBeforeTheRollMaySeeTheOldValue() {
    assertEquals(Verdict.Kind.OK, die(List.of(
        new Operation<>(1, "read", 3, 20, 30),
        new Operation<>(0, "roll", 0, 0, 25),
        new Operation<>(2, "read", 0, 1, 2))).kind());
  }

  @Test
  void operationsSharingAnInstantAreConcurrent() {
    List<Operation<Input, Output>> h = new ArrayList<>(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(0, 20, 30, set("b"), ok(1))));
    h.add(call(1, 30, 40, get(), value("a", 0)));
    assertEquals(Verdict.Kind.OK, Znodes.check(h).kind());
    h.set(2, call(1, 31, 40, get(), value("a", 0)));
    assertEquals(Verdict.Kind.VIOLATION, Znodes.check(h).kind());
  }

  @Test
  void runningOutOfBudgetIsNeverOk() {
    List<Operation<Input, Output>> h = List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 30, get(), value("a", 0)));
    Verdict v = Linearizability.check(Znodes.MODEL, h, 1);
    assertEquals(Verdict.Kind.UNKNOWN, v.kind(), v::toString);
    assertEquals(1, v.steps());
    assertEquals(Verdict.Kind.OK, Linearizability.check(Znodes.MODEL, h, 2).kind());
    assertEquals(Verdict.Kind.OK, Linearizability.check(Znodes.MODEL, List.of(), 0).kind());
  }

  @Test
  void alikeLostCallsAreTriedOnceNotInEveryCombination() {
    List<Operation<Input, Output>> h = new ArrayList<>();
    h.add(call(0, 0, 10, create("a"), ok(0)));
    for (int i = 0; i < 40; i++) {
      h.add(lost(1 + i % 5, 20 + i, set("x")));
    }
    h.add(call(6, 1000, 1010, get(), value("x", 41)));
    Verdict v = Linearizability.check(Znodes.MODEL, h, 10_000);
    assertEquals(Verdict.Kind.VIOLATION, v.kind(), v::toString);
    h.set(h.size() - 1, call(6, 1000, 1010, get(), value("x", 40)));
    assertEquals(Verdict.Kind.OK, Linearizability.check(Znodes.MODEL, h, 10_000).kind());
  }

  @Test
  void aViolationSaysWhereItGotStuck() {
    Verdict v = Znodes.check(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 30, set("b"), ok(1)),
        call(2, 40, 50, get(), value("a", 0))));
    assertEquals(Verdict.Kind.VIOLATION, v.kind());
    String e = v.explanation();
    assertTrue(e.contains("places 2 of 3"), e);
    assertTrue(e.contains("c1 Set[value=b, expectedVersion=-1] -> Ok[version=1] @20..30"), e);
    assertTrue(e.contains("{value=b, version=1}"), e);
    assertTrue(e.contains("none of these could be placed next: c2 Get[] -> "
        + "Value[value=a, version=0] @40..50"), e);
  }

  @Test
  void malformedOperationsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> call(0, 10, 5, get(), value("a", 0)));
    assertThrows(IllegalArgumentException.class, () -> Znodes.check(List.of(
        call(0, 0, 10, Znodes.multi(create("a"), set("b")), ok(0)))));
  }
}
