package dev.paddock.txnlog;

import dev.paddock.txn.Zxid;

/**
 * Whether a server may start from what it recovered: the newest readable tree and the log.
 * Pure, so the simulator's restarts are judged by the same rules as a real server's.
 *
 * <p>Each rule holds on every disk a running server can leave behind, crashes included, and
 * breaks only when files were lost, mixed up or damaged:
 * <ul>
 *   <li>the tree must reach where the log's history begins: a log purged behind a snapshot
 *   that is gone cannot fill the gap up to the tree that is left;
 *   <li>a server logs a txn of epoch e only after accepting epoch e (a leader proposes in the
 *   epoch it settled, a learner syncs from a leader whose epoch it accepted first), so a log
 *   holding txns of a newer epoch than it accepted is not the log these txns were written to;
 *   <li>likewise a tree, which only ever holds txns this server logged or got from a leader
 *   whose epoch it accepted.
 * </ul>
 * The accepted epoch, not the current one, is what a txn's epoch is held against: a learner
 * makes the txns of a sync durable before it records the leader's epoch as current, and may
 * crash in between; the accepted epoch is written before the sync starts.
 */
public final class RecoveryCheck {
  private RecoveryCheck() {}

  /** What is wrong, for the caller to name the files involved. */
  public enum Kind {
    /** The log begins after the newest readable tree. */
    LOG_BEGINS_AFTER_TREE,
    /** The log holds txns of an epoch it never accepted. */
    LOG_AHEAD_OF_EPOCH,
    /** The tree holds txns of an epoch the log never accepted. */
    TREE_AHEAD_OF_EPOCH
  }

  /** @param detail what was found, in zxids and epochs, without file names */
  public record Problem(Kind kind, String detail) {}

  /** @return null when the server may start */
  public static Problem check(TxnLog.Snapshot log, long treeZxid) {
    if (treeZxid < log.baseZxid()) {
      return new Problem(Kind.LOG_BEGINS_AFTER_TREE, "the log begins after zxid "
          + Zxid.toHex(log.baseZxid()) + " but the newest readable tree is at "
          + Zxid.toHex(treeZxid) + "; the txns between are gone");
    }
    long logEpoch = Zxid.epoch(log.lastZxid());
    if (logEpoch > log.acceptedEpoch()) {
      return new Problem(Kind.LOG_AHEAD_OF_EPOCH, "the log holds txns up to zxid "
          + Zxid.toHex(log.lastZxid()) + " of epoch " + logEpoch + " but records epoch "
          + log.acceptedEpoch() + " as the newest it accepted");
    }
    long treeEpoch = Zxid.epoch(treeZxid);
    if (treeEpoch > log.acceptedEpoch()) {
      return new Problem(Kind.TREE_AHEAD_OF_EPOCH, "the newest tree is at zxid "
          + Zxid.toHex(treeZxid) + " of epoch " + treeEpoch + " but the log records epoch "
          + log.acceptedEpoch() + " as the newest it accepted");
    }
    return null;
  }
}
