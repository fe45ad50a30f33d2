package dev.paddock.sim.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.sim.check.PerKey.KeyedOp;
import dev.paddock.sim.check.ZnodeModel.Compound;
import dev.paddock.sim.check.ZnodeModel.Err;
import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Ok;
import dev.paddock.sim.check.ZnodeModel.Output;
import dev.paddock.sim.check.ZnodeModel.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The search prunes (read-only commits, subsumed configurations, interchangeable lost calls,
 * deadlines); on histories small enough to try every order of every subset of lost calls, it must
 * agree with the definition exactly, in both directions.
 */
class BruteForceTest {
  private static final ZnodeModel MODEL = Znodes.MODEL;

  @Test
  void theSearchAgreesWithTryingEveryOrder() {
    int violations = 0;
    for (long seed = 0; seed < 1000; seed++) {
      Random rnd = new Random(seed);
      List<Operation<Input, Output>> h = new ArrayList<>();
      for (KeyedOp<Input, Output> k : RandomHistories.generate(seed,
          new RandomHistories.Shape(6, 3, 1, 2, 0.25, 0.25, 0.5))) {
        Operation<Input, Output> op = k.op();
        if (op.output() != null && !(op.input() instanceof Compound) && rnd.nextInt(6) == 0) {
          op = new Operation<>(op.client(), op.input(), anyAnswer(rnd), op.invoke(),
              op.complete());
        }
        h.add(op);
      }
      boolean expected = linearizable(h);
      Verdict v = Linearizability.check(MODEL, h, 1_000_000);
      assertEquals(expected ? Verdict.Kind.OK : Verdict.Kind.VIOLATION, v.kind(),
          () -> h + "\n" + v);
      violations += expected ? 0 : 1;
    }
    assertTrue(violations > 150, "only " + violations + " violations among the samples");
  }

  private static Output anyAnswer(Random rnd) {
    return switch (rnd.nextInt(3)) {
      case 0 -> new Ok(rnd.nextInt(3));
      case 1 -> new Value("v" + rnd.nextInt(2), rnd.nextInt(3));
      default -> new Err(List.of("NODE_EXISTS", "NO_NODE", "BAD_VERSION").get(rnd.nextInt(3)));
    };
  }

  /** Every subset of the lost calls, every order that respects real time, every successor. */
  private static boolean linearizable(List<Operation<Input, Output>> h) {
    List<Integer> lost = new ArrayList<>();
    for (int i = 0; i < h.size(); i++) {
      if (h.get(i).isIndeterminate()) {
        lost.add(i);
      }
    }
    for (int mask = 0; mask < 1 << lost.size(); mask++) {
      List<Operation<Input, Output>> chosen = new ArrayList<>();
      for (int i = 0; i < h.size(); i++) {
        int l = lost.indexOf(i);
        if (l < 0 || (mask >> l & 1) == 1) {
          chosen.add(h.get(i));
        }
      }
      if (orders(chosen, new boolean[chosen.size()], 0, MODEL.init())) {
        return true;
      }
    }
    return false;
  }

  private static boolean orders(List<Operation<Input, Output>> ops, boolean[] used, int count,
      Znode state) {
    if (count == ops.size()) {
      return true;
    }
    for (int i = 0; i < ops.size(); i++) {
      if (used[i] || !free(ops, used, i)) {
        continue;
      }
      Operation<Input, Output> op = ops.get(i);
      used[i] = true;
      for (Znode next : MODEL.step(state, op.input(), op.output())) {
        if (orders(ops, used, count + 1, next)) {
          return true;
        }
      }
      used[i] = false;
    }
    return false;
  }

  /** Nothing still to place returned before this one was invoked. */
  private static boolean free(List<Operation<Input, Output>> ops, boolean[] used, int i) {
    for (int j = 0; j < ops.size(); j++) {
      if (!used[j] && j != i && ops.get(j).complete() < ops.get(i).invoke()) {
        return false;
      }
    }
    return true;
  }
}
