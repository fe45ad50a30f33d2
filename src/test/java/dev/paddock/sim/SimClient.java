package dev.paddock.sim;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.tree.ApplyResult;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A simulated client: one session at a time, one request at a time (like most real clients of
 * a coordination service), connecting to a random server, re-attaching elsewhere when its
 * connection ends, starting a new session when its old one expired. Every operation is recorded
 * with its invoke and complete times; one whose answer never came is recorded as indeterminate.
 */
final class SimClient {
  /** What a read found: {@code value} null when the node does not exist. */
  record ReadResult(String value, int version, long mzxid) {}

  enum Kind { CREATE, ECREATE, SET, DELETE, GET, SYNC_GET, MULTI, CLOSE }

  /** One recorded operation; {@code result} null when indeterminate. */
  record Rec(int client, long sessionId, int cxid, Kind kind, String key, Op.Write write,
      long invoke, long complete, Object result, long zxid) {}

  private static final String[] KEYS = {"/k0", "/k1", "/k2", "/k3"};
  private static final String[] EPHEMERALS = {"/e0", "/e1"};

  final int index;
  private final Simulation sim;
  private long sessionId;
  private final int timeoutMs;
  private long lastZxidSeen;
  private SimServer server;
  private long connId;
  private boolean connected;
  private long lastHeard;
  private int cxid;
  private int opsLeft;
  private boolean finished;
  private long seq;
  // the operation in flight
  private Kind kind;
  private String key;
  private Op.Write write;
  private long invoke;
  private int stage;
  private final Map<String, Integer> versions = new HashMap<>();

  SimClient(int index, Simulation sim, int ops) {
    this.index = index;
    this.sim = sim;
    this.opsLeft = ops;
    this.timeoutMs = 1500 + sim.random.nextInt(2500);
  }

  boolean finished() {
    return finished;
  }

  void begin() {
    connect();
  }

  private long now() {
    return sim.sched.now();
  }

  // ---- connection ----

  private void connect() {
    if (finished) {
      return;
    }
    server = sim.server(1 + sim.random.nextInt(sim.cfg.servers()));
    connId = sim.nextConnId();
    connected = false;
    lastHeard = now();
    long conn = connId;
    long sid = sessionId;
    long seen = lastZxidSeen;
    SimServer target = server;
    sim.toServer(target, () -> target.sessions.connect(this, conn, sid, timeoutMs, seen),
        () -> sim.toClient(this, conn, () -> refused(conn, "DOWN")));
    watchdog(conn);
  }

  /** Pings while idle; gives the connection up after two thirds of the timeout in silence. */
  private void watchdog(long conn) {
    sim.sched.after(timeoutMs / 3L * 1_000_000, () -> {
      if (conn != connId || finished) {
        return;
      }
      if (now() - lastHeard > timeoutMs * 2L / 3 * 1_000_000) {
        lost();
        return;
      }
      if (connected) {
        SimServer target = server;
        sim.toServer(target, () -> target.sessions.ping(conn), () -> { });
      }
      watchdog(conn);
    });
  }

  void connected(long conn, long id, long zxid) {
    if (conn != connId) {
      return;
    }
    if (kind != null) {
      // The operation in flight when the last connection ended: its outcome is unknown.
      record(null, 0);
    }
    heard(zxid);
    if (sessionId != id) {
      sessionId = id;
      sim.trace.add("c" + index + " new session " + Long.toHexString(id) + " on s" + server.id);
    }
    connected = true;
    next();
  }

  void refused(long conn, String reason) {
    if (conn != connId) {
      return;
    }
    if (reason.equals("EXPIRED")) {
      if (kind != null) {
        record(null, 0);
      }
      sessionId = 0;
      versions.clear();
    }
    retry();
  }

  void disconnected(long conn) {
    if (conn == connId) {
      lost();
    }
  }

  private void lost() {
    connected = false;
    retry();
  }

  private void retry() {
    connId = sim.nextConnId();
    long conn = connId;
    sim.sched.after((10 + sim.random.nextInt(150)) * 1_000_000L, () -> {
      if (conn == connId) {
        connect();
      }
    });
  }

  void pong(long conn) {
    if (conn == connId) {
      lastHeard = now();
    }
  }

  private void heard(long zxid) {
    lastHeard = now();
    if (zxid < lastZxidSeen) {
      sim.observer.violation("client " + index + " (session " + Long.toHexString(sessionId)
          + ") saw zxid " + Long.toHexString(zxid) + " after " + Long.toHexString(lastZxidSeen));
    }
    lastZxidSeen = Math.max(lastZxidSeen, zxid);
  }

  // ---- operations ----

  private void next() {
    if (!connected || kind != null) {
      return;
    }
    if (opsLeft <= 0 && !sim.stopping()) {
      return;
    }
    long conn = connId;
    sim.sched.after(sim.random.nextInt(30) * 1_000_000L, () -> {
      if (conn == connId && connected && kind == null) {
        issue();
      }
    });
  }

  private void issue() {
    if (opsLeft <= 0 || sim.stopping()) {
      if (sim.stopping() && sessionId != 0 && !finished) {
        begin(Kind.CLOSE, null, new Op.CloseSession());
        finished = true;
      }
      return;
    }
    opsLeft--;
    String k = KEYS[sim.random.nextInt(KEYS.length)];
    int roll = sim.random.nextInt(100);
    if (roll < 12) {
      begin(Kind.CREATE, k, new Op.Create(k, value(), Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
          -1));
    } else if (roll < 20) {
      String e = EPHEMERALS[sim.random.nextInt(EPHEMERALS.length)];
      sim.observer.ephemeralTried(sessionId, e);
      begin(Kind.ECREATE, e, new Op.Create(e, value(), Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL,
          -1));
    } else if (roll < 45) {
      Integer v = versions.get(k);
      begin(Kind.SET, k, new Op.SetData(k, value(), v == null || roll < 25 ? -1 : v));
    } else if (roll < 52) {
      Integer v = versions.get(k);
      begin(Kind.DELETE, k, new Op.Delete(k, v == null ? -1 : v));
    } else if (roll < 66) {
      begin(Kind.GET, k, null);
    } else if (roll < 86) {
      begin(Kind.SYNC_GET, sim.random.nextBoolean() ? k
          : EPHEMERALS[sim.random.nextInt(EPHEMERALS.length)], null);
    } else if (roll < 98) {
      String other = KEYS[sim.random.nextInt(KEYS.length)];
      Integer v = versions.get(k);
      List<Op.Write> ops = sim.random.nextBoolean()
          ? List.of(new Op.Check(k, v == null ? 0 : v), new Op.SetData(other, value(), -1))
          : List.of(new Op.SetData(k, value(), -1), new Op.Create(other, value(),
              Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT, -1));
      begin(Kind.MULTI, k, new Op.Multi(ops));
    } else {
      begin(Kind.CLOSE, null, new Op.CloseSession());
    }
  }

  private byte[] value() {
    return ("c" + index + "-" + (++seq)).getBytes(StandardCharsets.UTF_8);
  }

  private void begin(Kind k, String path, Op.Write w) {
    kind = k;
    key = path;
    write = w;
    invoke = now();
    stage = 0;
    send(k == Kind.GET ? new Op.GetData(path, false) : k == Kind.SYNC_GET ? new Op.Sync(path) : w);
  }

  private void send(Op op) {
    int c = ++cxid;
    long conn = connId;
    SimServer target = server;
    sim.toServer(target, () -> target.sessions.request(conn, c, op), () -> { });
  }

  void written(long conn, int replyCxid, ApplyResult result, long zxid) {
    if (conn != connId || replyCxid != cxid || kind == null) {
      return;
    }
    heard(zxid);
    if (kind == Kind.SYNC_GET && stage == 0) {
      stage = 1;
      send(new Op.GetData(key, false));
      return;
    }
    record(result, zxid);
    if (result.isOk() && result.stat() != null && key != null && kind == Kind.SET) {
      versions.put(key, result.stat().version());
    }
    next();
  }

  void read(long conn, int replyCxid, ReadResult r, long zxid) {
    if (conn != connId || replyCxid != cxid || kind == null) {
      return;
    }
    heard(zxid);
    if (r.value() != null) {
      versions.put(key, r.version());
    }
    record(r, zxid);
    next();
  }

  private void record(Object result, long zxid) {
    sim.record(new Rec(index, sessionId, kind == Kind.SYNC_GET || kind == Kind.GET ? -1 : cxid,
        kind, key, write, invoke, result == null ? Long.MAX_VALUE : now(), result, zxid));
    Kind was = kind;
    kind = null;
    if (was == Kind.CLOSE && result != null) {
      sessionId = 0;
      versions.clear();
      if (finished) {
        connected = false;
        connId = -1;
      }
    }
  }
}
