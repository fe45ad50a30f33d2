package dev.paddock.sim.check;

import dev.paddock.sim.check.ZnodeModel.AssertAbsent;
import dev.paddock.sim.check.ZnodeModel.AssertExists;
import dev.paddock.sim.check.ZnodeModel.Compound;
import dev.paddock.sim.check.ZnodeModel.Create;
import dev.paddock.sim.check.ZnodeModel.Delete;
import dev.paddock.sim.check.ZnodeModel.Err;
import dev.paddock.sim.check.ZnodeModel.Get;
import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Ok;
import dev.paddock.sim.check.ZnodeModel.Output;
import dev.paddock.sim.check.ZnodeModel.Results;
import dev.paddock.sim.check.ZnodeModel.SessionClosed;
import dev.paddock.sim.check.ZnodeModel.Value;
import java.util.List;

/** Short names for writing znode histories by hand. */
final class Znodes {
  static final ZnodeModel MODEL = new ZnodeModel();
  static final Err NODE_EXISTS = Err.NODE_EXISTS;
  static final Err NO_NODE = Err.NO_NODE;
  static final Err BAD_VERSION = Err.BAD_VERSION;

  private Znodes() {
  }

  static Verdict check(List<Operation<Input, Output>> history) {
    return Linearizability.check(MODEL, history, 100_000);
  }

  static Operation<Input, Output> call(int client, long invoke, long complete, Input in,
      Output out) {
    return new Operation<>(client, in, out, invoke, complete);
  }

  static Operation<Input, Output> lost(int client, long invoke, Input in) {
    return Operation.indeterminate(client, in, invoke);
  }

  static Operation<Input, Output> lost(int client, long invoke, long deadline, Input in) {
    return Operation.indeterminate(client, in, invoke, deadline);
  }

  static Create create(String value) {
    return new Create(value, 0);
  }

  static Create ephemeral(String value, long owner) {
    return new Create(value, owner);
  }

  static ZnodeModel.Set set(String value) {
    return new ZnodeModel.Set(value, ZnodeModel.ANY);
  }

  static ZnodeModel.Set cas(String value, int expectedVersion) {
    return new ZnodeModel.Set(value, expectedVersion);
  }

  static Get get() {
    return new Get();
  }

  static Delete delete() {
    return new Delete(ZnodeModel.ANY);
  }

  static Delete delete(int expectedVersion) {
    return new Delete(expectedVersion);
  }

  static AssertExists exists() {
    return new AssertExists();
  }

  static AssertAbsent absent() {
    return new AssertAbsent();
  }

  static SessionClosed closed(long owner) {
    return new SessionClosed(owner);
  }

  static Compound multi(Input... inputs) {
    return new Compound(List.of(inputs));
  }

  static Ok ok(int version) {
    return new Ok(version);
  }

  static Value value(String value, int version) {
    return new Value(value, version);
  }

  static Results results(Output... outputs) {
    return new Results(List.of(outputs));
  }
}
