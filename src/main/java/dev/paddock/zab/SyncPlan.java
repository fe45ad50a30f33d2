package dev.paddock.zab;

import dev.paddock.txn.TxnEntry;
import java.util.List;

/**
 * How a learner whose log ends at {@code learnerZxid} catches up with the leader (Zab's sync
 * phase): DIFF when its log is a prefix of the leader's history; TRUNC first when it holds txns
 * the leader does not have (proposals of an epoch that never committed them); SNAP when it is
 * behind everything the leader still keeps. A SNAP is the leader's tree followed by every txn
 * after it, which the history always holds: a tree plus a tail with a hole would lose txns.
 * Entries are what to send after the mode packet.
 */
public record SyncPlan(Packet.SyncMode mode, long truncateTo, List<TxnEntry> entries) {

  /**
   * @param treeZxid zxid of the leader's applied tree, which a SNAP would carry
   */
  public static SyncPlan plan(History history, long learnerZxid, long treeZxid) {
    if (learnerZxid == history.last()) {
      return new SyncPlan(Packet.SyncMode.DIFF, learnerZxid, List.of());
    }
    if (Long.compareUnsigned(learnerZxid, history.base()) < 0) {
      if (Long.compareUnsigned(treeZxid, history.base()) < 0) {
        throw new IllegalStateException("history starts at 0x" + Long.toHexString(history.base())
            + ", after the tree at 0x" + Long.toHexString(treeZxid));
      }
      return new SyncPlan(Packet.SyncMode.SNAP, treeZxid, history.after(treeZxid));
    }
    long common = history.floor(learnerZxid);
    if (common == learnerZxid) {
      return new SyncPlan(Packet.SyncMode.DIFF, learnerZxid, history.after(learnerZxid));
    }
    return new SyncPlan(Packet.SyncMode.TRUNC, common, history.after(common));
  }
}
