package dev.paddock.sim;

import dev.paddock.api.Code;
import dev.paddock.request.Op;
import dev.paddock.request.WriteRequest;
import dev.paddock.session.SessionIds;
import dev.paddock.session.SessionTable;
import dev.paddock.tree.ApplyResult;
import dev.paddock.tree.DataNode;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.zab.ZabEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sessions of one simulated server: what the session tracker and session actors do, reduced
 * to what clients that wait for each answer need. New sessions and re-attaches, writes and syncs
 * through the role, reads from the tree, replies once the local tree applied the write; the
 * leader keeps the expiry table ({@link SessionTable}, the production one) and proposes closes;
 * learners collect touches for the leader. A role change ends every connection here.
 */
final class SimSessions {
  private static final byte[] SECRET = "simulated".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  /** A client connection on this server. */
  private static final class Local {
    final SimClient client;
    final long connId;
    final long sessionId;
    final int timeoutMs;
    boolean attached;
    int pendingCxid = -1;
    Op pendingOp;

    Local(SimClient client, long connId, long sessionId, int timeoutMs) {
      this.client = client;
      this.connId = connId;
      this.sessionId = sessionId;
      this.timeoutMs = timeoutMs;
    }
  }

  private final SimServer server;
  private final Simulation sim;
  private SessionTable table;
  private final Set<Long> closing = new HashSet<>();
  private final Set<Long> touched = new LinkedHashSet<>();
  private final Map<Long, Local> byConn = new HashMap<>();
  private final Map<Long, Local> bySession = new HashMap<>();
  private final Map<Long, Local> asking = new HashMap<>();
  private SessionIds ids;
  private long tokens;

  SimSessions(SimServer server, Simulation sim) {
    this.server = server;
    this.sim = sim;
    this.table = new SessionTable(sim.cfg.tick().toMillis());
  }

  private long nowMs() {
    return server.now() / 1_000_000;
  }

  // ---- from clients ----

  void connect(SimClient c, long connId, long sessionId, int timeoutMs, long lastZxidSeen) {
    if (!server.serving()) {
      sim.toClient(c, connId, () -> c.refused(connId, "UNAVAILABLE"));
      return;
    }
    if (lastZxidSeen > server.tree().lastZxid()) {
      sim.toClient(c, connId, () -> c.refused(connId, "STALE"));
      return;
    }
    if (ids == null) {
      ids = new SessionIds(server.id, SECRET, 1_700_000_000_000L + nowMs());
    }
    if (sessionId == 0) {
      Local l = new Local(c, connId, ids.nextId(), timeoutMs);
      byConn.put(connId, l);
      bySession.put(l.sessionId, l);
      l.pendingCxid = 0;
      l.pendingOp = new Op.CreateSession(timeoutMs);
      server.roleStep(new ZabEvent.ClientWrite(new WriteRequest(l.sessionId, 0,
          new Op.CreateSession(timeoutMs), List.of())));
    } else if (closing.contains(sessionId)) {
      sim.toClient(c, connId, () -> c.refused(connId, "EXPIRED"));
    } else {
      Local l = new Local(c, connId, sessionId, timeoutMs);
      long token = ++tokens;
      asking.put(token, l);
      server.roleStep(new ZabEvent.Revalidate(sessionId, token));
    }
  }

  void revalidated(long sessionId, long token, boolean valid) {
    Local l = asking.remove(token);
    if (l == null) {
      return;
    }
    if (!valid) {
      sim.toClient(l.client, l.connId, () -> l.client.refused(l.connId, "EXPIRED"));
      return;
    }
    Local previous = bySession.remove(sessionId);
    if (previous != null) {
      byConn.remove(previous.connId);
      sim.toClient(previous.client, previous.connId,
          () -> previous.client.disconnected(previous.connId));
    }
    l.attached = true;
    byConn.put(l.connId, l);
    bySession.put(sessionId, l);
    if (server.leading()) {
      table.track(sessionId, l.timeoutMs, nowMs());
    }
    long zxid = server.tree().lastZxid();
    sim.toClient(l.client, l.connId, () -> l.client.connected(l.connId, sessionId, zxid));
  }

  void request(long connId, int cxid, Op op) {
    Local l = byConn.get(connId);
    if (l == null || !l.attached) {
      return;
    }
    touch(l.sessionId);
    l.pendingCxid = cxid;
    l.pendingOp = op;
    if (op instanceof Op.Write w) {
      server.roleStep(new ZabEvent.ClientWrite(new WriteRequest(l.sessionId, cxid, w,
          List.of())));
    } else if (op instanceof Op.Sync) {
      server.roleStep(new ZabEvent.ClientSync(l.sessionId, cxid));
    } else if (op instanceof Op.GetData g) {
      l.pendingCxid = -1;
      DataNode n = server.tree().get(g.path());
      long zxid = server.tree().lastZxid();
      SimClient.ReadResult r = n == null ? new SimClient.ReadResult(null, -1, 0)
          : new SimClient.ReadResult(new String(n.data(), java.nio.charset.StandardCharsets.UTF_8),
              n.version(), n.mzxid());
      sim.toClient(l.client, connId, () -> l.client.read(connId, cxid, r, zxid));
    }
  }

  void ping(long connId) {
    Local l = byConn.get(connId);
    if (l != null && l.attached) {
      touch(l.sessionId);
      sim.toClient(l.client, connId, () -> l.client.pong(connId));
    }
  }

  // ---- from the role and the tree ----

  void committed(TxnEntry e, ApplyResult result, long zxid) {
    sim.observer.result(e, result, server.now());
    Local l = bySession.get(e.sessionId());
    if (e.txn() instanceof Txn.CloseSession) {
      sim.observer.sessionClosed(e.sessionId(), server.now());
    }
    if (l == null) {
      return;
    }
    if (e.txn() instanceof Txn.CreateSession && l.pendingCxid == 0 && !l.attached) {
      l.attached = true;
      l.pendingCxid = -1;
      sim.toClient(l.client, l.connId, () -> l.client.connected(l.connId, e.sessionId(), zxid));
    } else if (e.txn() instanceof Txn.CloseSession && e.cxid() != l.pendingCxid) {
      bySession.remove(e.sessionId());
      byConn.remove(l.connId);
      sim.toClient(l.client, l.connId, () -> l.client.refused(l.connId, "EXPIRED"));
    } else if (l.attached && e.cxid() == l.pendingCxid) {
      l.pendingCxid = -1;
      if (e.txn() instanceof Txn.CloseSession) {
        bySession.remove(e.sessionId());
        byConn.remove(l.connId);
      }
      sim.toClient(l.client, l.connId, () -> l.client.written(l.connId, e.cxid(), result, zxid));
    }
  }

  void synced(long sessionId, int cxid, long zxid) {
    Local l = bySession.get(sessionId);
    if (l != null && l.attached && l.pendingCxid == cxid) {
      l.pendingCxid = -1;
      sim.toClient(l.client, l.connId, () -> l.client.written(l.connId, cxid,
          ApplyResult.of(Code.OK), zxid));
    }
  }

  // ---- expiry (the leader) and touches (learners) ----

  private void touch(long sessionId) {
    if (server.leading()) {
      table.touch(sessionId, nowMs());
    } else {
      touched.add(sessionId);
    }
  }

  void track(long sessionId, int timeoutMs) {
    table.track(sessionId, timeoutMs, nowMs());
  }

  void untrack(long sessionId) {
    table.remove(sessionId);
    closing.remove(sessionId);
  }

  void touchAll(List<Long> ids) {
    for (long id : ids) {
      table.touch(id, nowMs());
    }
  }

  /** A new leader gives every live session a fresh full timeout. */
  void rearmAll() {
    var it = server.tree().sessions().iterator();
    while (it.hasNext()) {
      var e = it.next();
      table.track(e._1(), e._2(), nowMs());
    }
  }

  void expire() {
    for (long id : table.expired(nowMs())) {
      sim.trace.add("s" + server.id + " expires session " + Long.toHexString(id));
      closing.add(id);
      server.roleStep(new ZabEvent.ClientWrite(new WriteRequest(id, 0, new Op.CloseSession(),
          List.of())));
    }
  }

  List<Long> drainTouched() {
    List<Long> out = new ArrayList<>(touched);
    touched.clear();
    return out;
  }

  /** The role ended or the server died: every connection here ends. */
  void dropAll() {
    for (Local l : byConn.values()) {
      sim.toClient(l.client, l.connId, () -> l.client.disconnected(l.connId));
    }
    for (Local l : asking.values()) {
      sim.toClient(l.client, l.connId, () -> l.client.disconnected(l.connId));
    }
    byConn.clear();
    bySession.clear();
    asking.clear();
    closing.clear();
    touched.clear();
    if (!server.up()) {
      ids = null;
      table = new SessionTable(sim.cfg.tick().toMillis());
    }
  }
}
