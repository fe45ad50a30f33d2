package dev.paddock.sim.check;

import static dev.paddock.sim.check.Znodes.call;
import static dev.paddock.sim.check.Znodes.create;
import static dev.paddock.sim.check.Znodes.get;
import static dev.paddock.sim.check.Znodes.ok;
import static dev.paddock.sim.check.Znodes.set;
import static dev.paddock.sim.check.Znodes.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.sim.check.PerKey.KeyedOp;
import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Output;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys are judged apart, and the verdict names the key at fault. */
class PerKeyTest {
  private static final List<KeyedOp<Input, Output>> TWO_KEYS = List.of(
      new KeyedOp<>("/a", call(0, 0, 10, create("a"), ok(0))),
      new KeyedOp<>("/b", call(1, 0, 10, create("b"), ok(0))),
      new KeyedOp<>("/a", call(0, 20, 30, set("a2"), ok(1))),
      new KeyedOp<>("/b", call(1, 40, 50, get(), value("b", 0))));

  @Test
  void keysAreIndependent() {
    // the same value at version 0 is fine on /b, which /a's set does not touch
    Verdict v = PerKey.check(Znodes.MODEL, TWO_KEYS, 1000);
    assertEquals(Verdict.Kind.OK, v.kind(), v::toString);
    assertEquals("linearizable: 4 operations on 2 keys", v.explanation());
  }

  @Test
  void theViolationNamesItsKey() {
    List<KeyedOp<Input, Output>> h = new ArrayList<>(TWO_KEYS);
    h.add(new KeyedOp<>("/a", call(2, 40, 50, get(), value("a", 0))));
    Verdict v = PerKey.check(Znodes.MODEL, h, 1000);
    assertEquals(Verdict.Kind.VIOLATION, v.kind(), v::toString);
    assertTrue(v.explanation().startsWith("key /a: not linearizable"), v::toString);
  }

  @Test
  void aViolationOutranksAnotherKeyRunningOutOfBudget() {
    List<KeyedOp<Input, Output>> h = new ArrayList<>(RandomHistories.generate(3,
        new RandomHistories.Shape(300, 6, 1, 3, 0.02, 0.02, 0.5)));
    Verdict unknown = PerKey.check(Znodes.MODEL, h, 20);
    assertEquals(Verdict.Kind.UNKNOWN, unknown.kind(), unknown::toString);
    assertTrue(unknown.explanation().startsWith("key /k0: search budget"), unknown::toString);
    h.add(new KeyedOp<>("/z", call(0, 0, 10, create("z"), ok(0))));
    h.add(new KeyedOp<>("/z", call(0, 20, 30, get(), value("y", 0))));
    Verdict v = PerKey.check(Znodes.MODEL, h, 20);
    assertEquals(Verdict.Kind.VIOLATION, v.kind(), v::toString);
    assertTrue(v.explanation().startsWith("key /z: "), v::toString);
  }
}
