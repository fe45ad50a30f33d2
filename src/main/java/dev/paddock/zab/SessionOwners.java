package dev.paddock.zab;

import dev.paddock.api.Code;
import dev.paddock.request.Op;
import dev.paddock.request.WriteRequest;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The leader's knowledge of which sessions are alive and which server each one is attached to
 * (ZooKeeper's session owner). A write that arrives through a server other than the session's
 * owner is refused with SESSION_MOVED: the client has moved on, and a late write from its old
 * connection must not overtake what it does on the new one. A new leader knows no owners; the
 * first server to speak for a session becomes its owner, as in ZooKeeper.
 */
final class SessionOwners {
  private final Set<Long> live = new HashSet<>();
  /** Close prepared but not yet committed: no longer re-attachable. */
  private final Set<Long> closing = new HashSet<>();
  private final Map<Long, Integer> owners = new HashMap<>();

  void reset(TreeSnapshot tree) {
    live.clear();
    closing.clear();
    owners.clear();
    var it = tree.sessions().keysIterator();
    while (it.hasNext()) {
      live.add((Long) it.next());
    }
  }

  /** The error the request must fail with, or null. */
  Code check(WriteRequest req, int origin) {
    if (req.sessionId() == 0 || req.op() instanceof Op.CreateSession
        || req.op() instanceof Op.CloseSession) {
      return null;
    }
    Integer owner = owners.putIfAbsent(req.sessionId(), origin);
    return owner != null && owner != origin ? Code.SESSION_MOVED : null;
  }

  /** A client re-attaches the session on {@code origin}: true (and a new owner) if it lives. */
  boolean revalidate(long sessionId, int origin) {
    if (!live.contains(sessionId) || closing.contains(sessionId)) {
      return false;
    }
    owners.put(sessionId, origin);
    return true;
  }

  void prepared(TxnEntry e, int origin) {
    if (e.txn() instanceof Txn.CreateSession) {
      owners.put(e.sessionId(), origin);
    } else if (e.txn() instanceof Txn.CloseSession) {
      closing.add(e.sessionId());
    }
  }

  void committed(TxnEntry e) {
    if (e.txn() instanceof Txn.CreateSession) {
      live.add(e.sessionId());
    } else if (e.txn() instanceof Txn.CloseSession) {
      live.remove(e.sessionId());
      closing.remove(e.sessionId());
      owners.remove(e.sessionId());
    }
  }
}
