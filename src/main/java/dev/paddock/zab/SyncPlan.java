package dev.paddock.zab;

import dev.paddock.txn.TxnEntry;
import java.util.List;

/**
 * How a learner whose log ends at {@code learnerZxid} catches up with the leader (Zab's sync
 * phase): DIFF when its log is a prefix of the leader's history; TRUNC first when it holds txns
 * the leader does not have (proposals of an epoch that never committed them); SNAP when it is
 * behind everything the leader still keeps. Entries are what to send after the mode packet.
 */
public record SyncPlan(Packet.SyncMode mode, long truncateTo, List<TxnEntry> entries) {

  /**
   * @param committedTree zxid of the leader's applied tree, which a SNAP would carry
   */
  public static SyncPlan plan(History history, long learnerZxid, long committedTree) {
    if (learnerZxid == history.last()) {
      return new SyncPlan(Packet.SyncMode.DIFF, learnerZxid, List.of());
    }
    if (Long.compareUnsigned(learnerZxid, history.base()) < 0) {
      return new SyncPlan(Packet.SyncMode.SNAP, committedTree, history.after(committedTree));
    }
    long common = history.floor(learnerZxid);
    if (common == learnerZxid) {
      return new SyncPlan(Packet.SyncMode.DIFF, learnerZxid, history.after(learnerZxid));
    }
    return new SyncPlan(Packet.SyncMode.TRUNC, common, history.after(common));
  }
}
