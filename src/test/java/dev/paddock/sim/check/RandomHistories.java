package dev.paddock.sim.check;

import static dev.paddock.sim.check.Znodes.cas;
import static dev.paddock.sim.check.Znodes.create;
import static dev.paddock.sim.check.Znodes.delete;
import static dev.paddock.sim.check.Znodes.ephemeral;
import static dev.paddock.sim.check.Znodes.exists;
import static dev.paddock.sim.check.Znodes.get;
import static dev.paddock.sim.check.Znodes.multi;
import static dev.paddock.sim.check.Znodes.set;

import dev.paddock.sim.check.PerKey.KeyedOp;
import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Output;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Linearizable histories by construction: a correct server (the model's own semantics) applies
 * random operations one at a time, each at an instant inside the interval its client observes.
 * Intervals are as wide as the client's own sequencing allows, so up to every client overlaps.
 * Some applied operations lose their answer, and some lost ones never take effect at all.
 */
final class RandomHistories {
  /**
   * How a history is shaped. {@code values} small means values repeat and only versions tell them
   * apart; {@code ghostRate} adds lost calls that never took effect; {@code openRate} is the share
   * of lost calls given no deadline.
   */
  record Shape(int steps, int clients, int keys, int values, double lostRate, double ghostRate,
      double openRate) {
  }

  private RandomHistories() {
  }

  /** One client action at one instant; a session close touches several keys at once. */
  private record Step(int client, long at, List<KeyedOp<Input, Output>> ops, boolean lost) {
  }

  static List<KeyedOp<Input, Output>> generate(long seed, Shape shape) {
    Random rnd = new Random(seed);
    Map<String, Znode> state = new HashMap<>();
    long[] session = new long[shape.clients()];
    Map<Long, LinkedHashSet<String>> ephemeralKeys = new HashMap<>();
    for (int c = 0; c < session.length; c++) {
      session[c] = 1000L * (c + 1);
    }
    List<Step> steps = new ArrayList<>();
    for (int j = 0; j < shape.steps(); j++) {
      int c = rnd.nextInt(shape.clients());
      long at = 100L * j + 50;
      List<KeyedOp<Input, Output>> ops = new ArrayList<>();
      LinkedHashSet<String> owned = ephemeralKeys.get(session[c]);
      if (owned != null && rnd.nextInt(40) == 0) {
        for (String key : owned) {
          ops.add(apply(state, key, Znodes.closed(session[c]), c));
        }
        session[c]++;
      } else {
        String key = "/k" + rnd.nextInt(shape.keys());
        Input in = pick(rnd, state.getOrDefault(key, Znode.ABSENT), session[c], shape.values());
        if (in instanceof ZnodeModel.Create cr && cr.ephemeralOwner() != 0) {
          ephemeralKeys.computeIfAbsent(cr.ephemeralOwner(), s -> new LinkedHashSet<>()).add(key);
        }
        ops.add(apply(state, key, in, c));
      }
      steps.add(new Step(c, at, ops, rnd.nextDouble() < shape.lostRate()));
    }
    return timed(rnd, shape, steps);
  }

  private static KeyedOp<Input, Output> apply(Map<String, Znode> state, String key, Input in,
      int client) {
    ZnodeModel.Outcome o = ZnodeModel.apply(state.getOrDefault(key, Znode.ABSENT), in);
    state.put(key, o.next());
    return new KeyedOp<>(key, new Operation<>(client, in, o.output(), 0, 0));
  }

  private static Input pick(Random rnd, Znode s, long session, int values) {
    String v = "v" + rnd.nextInt(values);
    int version = s.present() ? s.version() : 0;
    int roll = rnd.nextInt(100);
    if (!s.present() && roll < 45) {
      return rnd.nextBoolean() ? create(v) : ephemeral(v, session);
    } else if (roll < 25) {
      return set(v);
    } else if (roll < 45) {
      return cas(v, rnd.nextInt(4) == 0 ? version - 1 : version);
    } else if (roll < 75) {
      return get();
    } else if (roll < 83) {
      return rnd.nextBoolean() ? delete() : delete(version);
    } else if (roll < 88) {
      return create(v);
    } else if (roll < 92) {
      return exists();
    }
    return rnd.nextBoolean() ? multi(cas(v, version), set(v + "x"))
        : multi(set(v), cas(v + "y", version + 1 + rnd.nextInt(2)), delete());
  }

  /** Places each step's interval around its instant, never overlapping its client's others. */
  private static List<KeyedOp<Input, Output>> timed(Random rnd, Shape shape, List<Step> steps) {
    long width = 100L * shape.clients() * 2;
    long[] nextAt = new long[steps.size()];
    Map<Integer, Long> following = new HashMap<>();
    for (int j = steps.size() - 1; j >= 0; j--) {
      nextAt[j] = following.getOrDefault(steps.get(j).client(), Long.MAX_VALUE);
      following.put(steps.get(j).client(), steps.get(j).at());
    }
    long[] freeFrom = new long[shape.clients()];
    List<KeyedOp<Input, Output>> out = new ArrayList<>();
    for (int j = 0; j < steps.size(); j++) {
      Step s = steps.get(j);
      long from = Math.max(freeFrom[s.client()] + 1, s.at() - width);
      long invoke = from + (long) (rnd.nextDouble() * (s.at() - from));
      long to = Math.min(nextAt[j] - 1, s.at() + width);
      long complete = s.at() + (long) (rnd.nextDouble() * (to - s.at()));
      freeFrom[s.client()] = complete;
      for (KeyedOp<Input, Output> k : s.ops()) {
        Operation<Input, Output> op = k.op();
        Operation<Input, Output> placed;
        if (!s.lost()) {
          placed = new Operation<>(s.client(), op.input(), op.output(), invoke, complete);
        } else if (rnd.nextDouble() < shape.openRate()) {
          placed = Operation.indeterminate(s.client(), op.input(), invoke);
        } else {
          placed = Operation.indeterminate(s.client(), op.input(), invoke, complete + width);
        }
        out.add(new KeyedOp<>(k.key(), placed));
      }
      if (rnd.nextDouble() < shape.ghostRate()) {
        String key = "/k" + rnd.nextInt(shape.keys());
        Input ghost = rnd.nextBoolean() ? set("ghost" + j) : delete();
        long at = Math.max(0, s.at() - rnd.nextInt((int) width));
        out.add(new KeyedOp<>(key, rnd.nextDouble() < shape.openRate()
            ? Operation.indeterminate(s.client(), ghost, at)
            : Operation.indeterminate(s.client(), ghost, at, at + width)));
      }
    }
    return out;
  }

  static List<Operation<Input, Output>> onKey(List<KeyedOp<Input, Output>> history, String key) {
    return history.stream().filter(k -> k.key().equals(key)).map(KeyedOp::op).toList();
  }
}
