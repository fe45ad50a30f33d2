package dev.paddock.sim.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One znode key as a versioned register. Every answer is checked exactly, with three leniencies
 * where ZooKeeper's replies carry less than the model knows: a delete may report version 0 for any
 * version (its reply has none), and the version in the Ok of an assertion or a session close is
 * not compared.
 *
 * <p>A multi that touched the key projects onto it as a {@link Compound}, answered by
 * {@link Results}. A failed multi changes nothing: its results, up to and including the first
 * error, must be what the sub-operations would have answered applied in order; results after the
 * error are not compared. A multi that failed because of another key's sub-operation says only
 * what its sub-operations here would have answered, which the simulator may record as assertions,
 * or not at all.
 *
 * <p>The simulator should record a {@link SessionClosed} on every key its session created, or
 * tried to create, ephemerally: that is what lets the check see an ephemeral outliving its session.
 * A create by a session already closed here is impossible, since ZooKeeper refuses it before
 * looking at the key.
 */
public final class ZnodeModel implements Model<Znode, ZnodeModel.Input, ZnodeModel.Output> {
  /** Any version, in Set and Delete. */
  public static final int ANY = -1;

  public sealed interface Input
      permits Create, Set, Get, Delete, AssertExists, AssertAbsent, SessionClosed, Compound {
  }

  /** {@code ephemeralOwner} is the creating session for an ephemeral node, 0 otherwise. */
  public record Create(String value, long ephemeralOwner) implements Input {
    public Create {
      Objects.requireNonNull(value, "value");
    }
  }

  public record Set(String value, int expectedVersion) implements Input {
    public Set {
      Objects.requireNonNull(value, "value");
    }
  }

  public record Get() implements Input {
  }

  public record Delete(int expectedVersion) implements Input {
  }

  /** The key existed (a check in a multi, say); answered Ok, or Err NO_NODE when it did not. */
  public record AssertExists() implements Input {
  }

  /** The key did not exist; answered Ok, or Err NODE_EXISTS when it did. */
  public record AssertAbsent() implements Input {
  }

  /** The session closed or expired; answered Ok. */
  public record SessionClosed(long owner) implements Input {
    public SessionClosed {
      if (owner == 0) {
        throw new IllegalArgumentException("session 0 owns nothing");
      }
    }
  }

  /** Sub-operations on this one key applied atomically, in order. */
  public record Compound(List<Input> inputs) implements Input {
    public Compound {
      inputs = List.copyOf(inputs);
      if (inputs.isEmpty() || inputs.stream().anyMatch(i -> i instanceof Compound)) {
        throw new IllegalArgumentException("a compound holds one or more plain inputs: " + inputs);
      }
    }
  }

  public sealed interface Output permits Ok, Value, Err, Results {
  }

  /** Create answers 0, set the new version, delete the deleted version (or 0). */
  public record Ok(int version) implements Output {
  }

  public record Value(String value, int version) implements Output {
    public Value {
      Objects.requireNonNull(value, "value");
    }
  }

  public record Err(String code) implements Output {
    public static final Err NODE_EXISTS = new Err("NODE_EXISTS");
    public static final Err NO_NODE = new Err("NO_NODE");
    public static final Err BAD_VERSION = new Err("BAD_VERSION");

    public Err {
      if (!List.of("NODE_EXISTS", "NO_NODE", "BAD_VERSION").contains(code)) {
        throw new IllegalArgumentException("unknown error code " + code);
      }
    }
  }

  /** The answers to a {@link Compound}, one per sub-operation. */
  public record Results(List<Output> outputs) implements Output {
    public Results {
      outputs = List.copyOf(outputs);
    }

    boolean failed() {
      return outputs.stream().anyMatch(o -> o instanceof Err);
    }
  }

  /** What an input answers in a state, and the state after; null output when it cannot run. */
  public record Outcome(Output output, Znode next) {
    boolean failed() {
      return output == null || output instanceof Err || output instanceof Results r && r.failed();
    }
  }

  @Override
  public Znode init() {
    return Znode.ABSENT;
  }

  @Override
  public List<Znode> step(Znode s, Input input, Output output) {
    if (output != null && (input instanceof Compound) != (output instanceof Results)
        || input instanceof Compound c && output instanceof Results r
        && r.outputs().size() > c.inputs().size()) {
      throw new IllegalArgumentException("answer " + output + " does not fit " + input);
    }
    Outcome o = apply(s, input);
    if (output == null) {
      return List.of(o.failed() ? s : o.next());
    }
    return o.output() != null && matches(input, o.output(), output) ? List.of(o.next()) : List.of();
  }

  @Override
  public boolean readOnly(Input input, Output output) {
    if (output instanceof Err || output instanceof Value
        || output instanceof Results r && r.failed()) {
      return true;
    }
    if (input instanceof Compound c) {
      return output != null && c.inputs().stream().allMatch(ZnodeModel::isRead);
    }
    return output != null && isRead(input);
  }

  private static boolean isRead(Input input) {
    return input instanceof Get || input instanceof AssertExists || input instanceof AssertAbsent;
  }

  /** The sequential semantics: how a correct server answers {@code input} in state {@code s}. */
  public static Outcome apply(Znode s, Input input) {
    if (input instanceof Create c) {
      if (c.ephemeralOwner() != 0 && s.closedSession(c.ephemeralOwner())) {
        return new Outcome(null, s);
      }
      return s.present() ? new Outcome(Err.NODE_EXISTS, s)
          : new Outcome(new Ok(0), s.holding(c.value(), 0, c.ephemeralOwner()));
    } else if (input instanceof Set x) {
      if (!s.present()) {
        return new Outcome(Err.NO_NODE, s);
      } else if (x.expectedVersion() != ANY && x.expectedVersion() != s.version()) {
        return new Outcome(Err.BAD_VERSION, s);
      }
      return new Outcome(new Ok(s.version() + 1),
          s.holding(x.value(), s.version() + 1, s.ephemeralOwner()));
    } else if (input instanceof Get) {
      return new Outcome(s.present() ? new Value(s.value(), s.version()) : Err.NO_NODE, s);
    } else if (input instanceof Delete d) {
      if (!s.present()) {
        return new Outcome(Err.NO_NODE, s);
      } else if (d.expectedVersion() != ANY && d.expectedVersion() != s.version()) {
        return new Outcome(Err.BAD_VERSION, s);
      }
      return new Outcome(new Ok(s.version()), s.deleted());
    } else if (input instanceof AssertExists) {
      return new Outcome(s.present() ? new Ok(s.version()) : Err.NO_NODE, s);
    } else if (input instanceof AssertAbsent) {
      return new Outcome(s.present() ? Err.NODE_EXISTS : new Ok(0), s);
    } else if (input instanceof SessionClosed c) {
      return new Outcome(new Ok(0), s.closing(c.owner()));
    }
    return applyAll(s, ((Compound) input).inputs());
  }

  private static Outcome applyAll(Znode s, List<Input> inputs) {
    List<Output> outputs = new ArrayList<>(inputs.size());
    Znode t = s;
    for (Input input : inputs) {
      Outcome o = apply(t, input);
      if (o.output() == null) {
        return new Outcome(null, s);
      }
      outputs.add(o.output());
      if (o.failed()) {
        return new Outcome(new Results(outputs), s);
      }
      t = o.next();
    }
    return new Outcome(new Results(outputs), t);
  }

  private static boolean matches(Input input, Output expected, Output observed) {
    if (expected instanceof Ok e && observed instanceof Ok o) {
      if (input instanceof Delete) {
        return o.version() == e.version() || o.version() == 0;
      }
      return e.version() == o.version() || input instanceof AssertExists
          || input instanceof AssertAbsent || input instanceof SessionClosed;
    }
    if (expected instanceof Results e && observed instanceof Results o) {
      List<Input> inputs = ((Compound) input).inputs();
      boolean rolledBack = e.failed();
      if (rolledBack ? o.outputs().size() < e.outputs().size()
          : o.outputs().size() != inputs.size()) {
        return false;
      }
      for (int i = 0; i < e.outputs().size(); i++) {
        if (!matches(inputs.get(i), e.outputs().get(i), o.outputs().get(i))) {
          return false;
        }
      }
      return true;
    }
    return expected.equals(observed);
  }
}
