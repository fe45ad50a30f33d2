package dev.paddock.sim;

import dev.paddock.tree.ApplyResult;
import dev.paddock.txn.TxnEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What every replica did, seen from outside: the txn each one applied at each zxid (two
 * replicas must never apply different txns at one zxid, nor skip a txn another one applied),
 * which server established each epoch, when each write and each session close first took
 * effect, and every violation found along the way.
 */
final class SimObserver {
  /** The first time a client's write was applied anywhere, and what it produced. */
  record Truth(long time, ApplyResult result) {}

  private final Trace trace;
  private final TreeMap<Long, String> applied = new TreeMap<>();
  private final Map<String, Truth> writes = new HashMap<>();
  private final Map<Long, Long> closedAt = new HashMap<>();
  private final Map<Long, Set<String>> ephemeralsTried = new HashMap<>();
  private final Map<Long, Integer> epochLeader = new HashMap<>();
  private final List<String> violations = new ArrayList<>();

  SimObserver(Trace trace) {
    this.trace = trace;
  }

  List<String> violations() {
    return violations;
  }

  void violation(String what) {
    if (violations.size() < 20) {
      violations.add(what);
      trace.add("VIOLATION " + what);
    }
  }

  private static String identity(TxnEntry e) {
    return Long.toHexString(e.sessionId()) + "/" + e.cxid() + "/" + e.time() + "/"
        + e.txn().getClass().getSimpleName();
  }

  /** A replica was handed {@code e} to apply (also when its tree already holds it). */
  void seen(int server, TxnEntry e) {
    String id = identity(e);
    String known = applied.putIfAbsent(e.zxid(), id);
    if (known != null && !known.equals(id)) {
      violation("server " + server + " has " + id + " at zxid " + Long.toHexString(e.zxid())
          + " where another replica applied " + known);
    }
  }

  /** A replica whose tree is at {@code previous} applies {@code e}. */
  void applying(int server, long previous, TxnEntry e) {
    var skipped = applied.subMap(previous, false, e.zxid(), false);
    if (!skipped.isEmpty()) {
      violation("server " + server + " at " + Long.toHexString(previous) + " applies "
          + Long.toHexString(e.zxid()) + " but skips committed " + Long.toHexString(
          skipped.firstKey()));
    }
  }

  void result(TxnEntry e, ApplyResult r, long time) {
    writes.putIfAbsent(e.sessionId() + "/" + e.cxid(), new Truth(time, r));
  }

  Truth truth(long sessionId, int cxid) {
    return writes.get(sessionId + "/" + cxid);
  }

  String appliedAt(long zxid) {
    return applied.get(zxid);
  }

  boolean known(long zxid) {
    return applied.containsKey(zxid);
  }

  void sessionClosed(long sessionId, long time) {
    closedAt.putIfAbsent(sessionId, time);
  }

  Map<Long, Long> closedSessions() {
    return closedAt;
  }

  void ephemeralTried(long sessionId, String path) {
    ephemeralsTried.computeIfAbsent(sessionId, k -> new LinkedHashSet<>()).add(path);
  }

  Map<Long, Set<String>> ephemeralsTried() {
    return ephemeralsTried;
  }

  void established(long epoch, int leader) {
    Integer before = epochLeader.putIfAbsent(epoch, leader);
    if (before != null) {
      violation("epoch " + epoch + " established twice: by server " + before + " and by "
          + leader);
    }
  }

  int epochs() {
    return epochLeader.size();
  }
}
