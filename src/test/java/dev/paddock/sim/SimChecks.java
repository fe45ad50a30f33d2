package dev.paddock.sim;

import dev.paddock.api.Code;
import dev.paddock.request.Op;
import dev.paddock.sim.check.Operation;
import dev.paddock.sim.check.PerKey;
import dev.paddock.sim.check.Verdict;
import dev.paddock.sim.check.ZnodeModel;
import dev.paddock.tree.ApplyResult;
import dev.paddock.tree.DataNode;
import dev.paddock.tree.DataTree;
import dev.paddock.tree.NodeKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The judges of a finished run, each able to fail: linearizability of every key's history,
 * every acknowledged write present in the committed history every replica converged on, equal
 * trees, no ephemeral without its session, and plain reads that return committed states.
 */
final class SimChecks {
  private static final long STEPS_PER_KEY = 2_000_000;

  private SimChecks() {}

  static void all(Simulation sim, List<SimClient.Rec> history) {
    SimObserver o = sim.observer;
    replicasAgree(sim, o);
    acknowledgedWritesCommitted(history, o);
    ephemeralsHaveSessions(sim, o);
    plainReadsAreCommitted(history, o);
    linearizable(history, o);
  }

  private static void replicasAgree(Simulation sim, SimObserver o) {
    long zxid = -1;
    long digest = 0;
    for (SimServer s : sim.servers()) {
      DataTree t = s.tree();
      if (zxid == -1) {
        zxid = t.lastZxid();
        digest = t.digest();
      } else if (t.lastZxid() != zxid || t.digest() != digest) {
        o.violation("replicas differ after heal: server " + s.id + " at "
            + Long.toHexString(t.lastZxid()) + " digest " + t.digest() + ", server 1 at "
            + Long.toHexString(zxid) + " digest " + digest);
      }
    }
  }

  private static void acknowledgedWritesCommitted(List<SimClient.Rec> history, SimObserver o) {
    for (SimClient.Rec r : history) {
      if (r.result() instanceof ApplyResult a && r.write() != null && r.zxid() > 0) {
        String at = o.appliedAt(r.zxid());
        String expected = Long.toHexString(r.sessionId()) + "/" + r.cxid() + "/";
        if (at == null || !at.startsWith(expected)) {
          o.violation("client " + r.client() + " was told " + a.code() + " for " + r.kind()
              + " (session " + Long.toHexString(r.sessionId()) + ", cxid " + r.cxid()
              + ") at zxid " + Long.toHexString(r.zxid()) + ", but the committed history holds "
              + at);
        }
      }
    }
  }

  private static void ephemeralsHaveSessions(Simulation sim, SimObserver o) {
    for (SimServer s : sim.servers()) {
      DataTree t = s.tree();
      for (String p : List.of("/e0", "/e1")) {
        DataNode n = t.get(p);
        if (n != null && n.kind() == NodeKind.EPHEMERAL
            && dev.paddock.tree.PersistentColls.get(t.sessions(), n.ephemeralOwner()) == null) {
          o.violation("server " + s.id + ": " + p + " outlives its session "
              + Long.toHexString(n.ephemeralOwner()));
        }
      }
      for (long closed : o.closedSessions().keySet()) {
        if (dev.paddock.tree.PersistentColls.get(t.sessions(), closed) != null) {
          o.violation("server " + s.id + " still has closed session " + Long.toHexString(closed));
        }
      }
    }
  }

  private static void plainReadsAreCommitted(List<SimClient.Rec> history, SimObserver o) {
    for (SimClient.Rec r : history) {
      if (r.result() instanceof SimClient.ReadResult rr && rr.value() != null
          && !o.known(rr.mzxid())) {
        o.violation("client " + r.client() + " read " + r.key() + " = " + rr.value()
            + " last changed at " + Long.toHexString(rr.mzxid()) + ", which no replica applied");
      }
    }
  }

  // ---- linearizability ----

  private static void linearizable(List<SimClient.Rec> history, SimObserver o) {
    List<PerKey.KeyedOp<ZnodeModel.Input, ZnodeModel.Output>> ops = new ArrayList<>();
    for (SimClient.Rec r : history) {
      project(r, o, ops);
    }
    for (Map.Entry<Long, Set<String>> e : o.ephemeralsTried().entrySet()) {
      Long closed = o.closedSessions().get(e.getKey());
      if (closed != null) {
        for (String key : e.getValue()) {
          ops.add(new PerKey.KeyedOp<>(key, new Operation<>(-1,
              new ZnodeModel.SessionClosed(e.getKey()), new ZnodeModel.Ok(0), closed - 1,
              closed)));
        }
      }
    }
    Verdict v = PerKey.check(new ZnodeModel(), ops, STEPS_PER_KEY);
    if (!v.ok()) {
      o.violation("not linearizable (" + v.kind() + "): " + v.explanation());
    }
  }

  private static void project(SimClient.Rec r, SimObserver o,
      List<PerKey.KeyedOp<ZnodeModel.Input, ZnodeModel.Output>> out) {
    if (r.kind() == SimClient.Kind.SYNC_GET && r.result() instanceof SimClient.ReadResult rr) {
      ZnodeModel.Output output = rr.value() == null ? ZnodeModel.Err.NO_NODE
          : new ZnodeModel.Value(rr.value(), rr.version());
      out.add(new PerKey.KeyedOp<>(r.key(), new Operation<>(r.client(), new ZnodeModel.Get(),
          output, r.invoke(), r.complete())));
      return;
    }
    if (r.write() == null || r.kind() == SimClient.Kind.CLOSE) {
      return;
    }
    ApplyResult result = r.result() instanceof ApplyResult a ? a : null;
    long complete = r.complete();
    if (result == null) {
      // The client never heard; what the replicas did is the outcome, no later than the
      // first replica applied it. Never applied anywhere: it had no effect.
      SimObserver.Truth t = o.truth(r.sessionId(), r.cxid());
      if (t == null) {
        return;
      }
      result = t.result();
      complete = t.time();
    }
    Map<String, List<ZnodeModel.Input>> inputs = new LinkedHashMap<>();
    Map<String, List<ZnodeModel.Output>> outputs = new LinkedHashMap<>();
    if (r.write() instanceof Op.Multi m) {
      if (result.code() != Code.OK) {
        return;
      }
      for (int i = 0; i < m.ops().size(); i++) {
        Op.Write w = m.ops().get(i);
        ApplyResult sub = result.multi().get(i);
        String key = path(w);
        inputs.computeIfAbsent(key, k -> new ArrayList<>()).add(input(w, r.sessionId()));
        outputs.computeIfAbsent(key, k -> new ArrayList<>()).add(output(w, sub));
      }
    } else {
      ZnodeModel.Output output = output(r.write(), result);
      if (output == null) {
        return;
      }
      inputs.put(r.key(), List.of(input(r.write(), r.sessionId())));
      outputs.put(r.key(), List.of(output));
    }
    for (String key : inputs.keySet()) {
      List<ZnodeModel.Input> in = inputs.get(key);
      List<ZnodeModel.Output> outs = outputs.get(key);
      ZnodeModel.Input input = in.size() == 1 ? in.get(0) : new ZnodeModel.Compound(in);
      ZnodeModel.Output output = outs.size() == 1 ? outs.get(0) : new ZnodeModel.Results(outs);
      out.add(new PerKey.KeyedOp<>(key, new Operation<>(r.client(), input, output, r.invoke(),
          complete)));
    }
  }

  private static String path(Op.Write w) {
    if (w instanceof Op.Create c) {
      return c.path();
    } else if (w instanceof Op.SetData s) {
      return s.path();
    } else if (w instanceof Op.Delete d) {
      return d.path();
    } else if (w instanceof Op.Check c) {
      return c.path();
    }
    throw new IllegalArgumentException("unexpected op " + w);
  }

  private static ZnodeModel.Input input(Op.Write w, long sessionId) {
    if (w instanceof Op.Create c) {
      return new ZnodeModel.Create(text(c.data()), c.mode().isEphemeral() ? sessionId : 0);
    } else if (w instanceof Op.SetData s) {
      return new ZnodeModel.Set(text(s.data()), s.version());
    } else if (w instanceof Op.Delete d) {
      return new ZnodeModel.Delete(d.version());
    } else if (w instanceof Op.Check) {
      return new ZnodeModel.AssertExists();
    }
    throw new IllegalArgumentException("unexpected op " + w);
  }

  /** The model's output for a single op's result, or null if it says nothing about the key. */
  private static ZnodeModel.Output output(Op.Write w, ApplyResult r) {
    return switch (r.code()) {
      case OK -> new ZnodeModel.Ok(w instanceof Op.SetData && r.stat() != null
          ? r.stat().version() : 0);
      case NODE_EXISTS -> ZnodeModel.Err.NODE_EXISTS;
      case NO_NODE -> ZnodeModel.Err.NO_NODE;
      case BAD_VERSION -> ZnodeModel.Err.BAD_VERSION;
      default -> null;
    };
  }

  private static String text(byte[] data) {
    return new String(data, StandardCharsets.UTF_8);
  }
}
