package dev.paddock.txnlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.paddock.txn.Zxid;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules a recovered log and tree must satisfy before a server may start from them. */
class RecoveryCheckTest {
  private static TxnLog.Snapshot log(long accepted, long current, long last, long base) {
    return new TxnLog.Snapshot(accepted, current, last, base, List.of());
  }

  @Test
  void aConsistentDiskStarts() {
    assertNull(RecoveryCheck.check(log(0, 0, 0, 0), 0), "an empty server");
    assertNull(RecoveryCheck.check(log(3, 3, Zxid.of(3, 9), Zxid.of(3, 2)), Zxid.of(3, 2)));
    assertNull(RecoveryCheck.check(log(3, 3, Zxid.of(3, 9), Zxid.of(2, 5)), Zxid.of(3, 4)),
        "a tree ahead of where the log begins");
  }

  /**
   * A learner makes a sync's txns (and a SNAP's tree) durable before it records the leader's
   * epoch as current; a crash in between must not keep it from starting.
   */
  @Test
  void txnsOfAnAcceptedEpochNotYetCurrentAreFine() {
    assertNull(RecoveryCheck.check(log(6, 3, Zxid.of(5, 40), Zxid.of(3, 1)), Zxid.of(5, 12)));
  }

  @Test
  void aLogThatBeginsAfterTheTreeLeavesAGap() {
    RecoveryCheck.Problem p = RecoveryCheck.check(log(2, 2, Zxid.of(2, 90), Zxid.of(2, 60)),
        Zxid.of(2, 20));
    assertEquals(RecoveryCheck.Kind.LOG_BEGINS_AFTER_TREE, p.kind());
    assertEquals("the log begins after zxid 0x20000003c but the newest readable tree is at "
        + "0x200000014; the txns between are gone", p.detail());
  }

  @Test
  void aLogWithTxnsOfAnEpochItNeverAccepted() {
    RecoveryCheck.Problem p = RecoveryCheck.check(log(1, 1, Zxid.of(7, 1), 0), 0);
    assertEquals(RecoveryCheck.Kind.LOG_AHEAD_OF_EPOCH, p.kind());
  }

  @Test
  void aTreeOfAnEpochTheLogNeverAccepted() {
    RecoveryCheck.Problem p = RecoveryCheck.check(log(2, 2, Zxid.of(2, 5), Zxid.of(2, 1)),
        Zxid.of(4, 3));
    assertEquals(RecoveryCheck.Kind.TREE_AHEAD_OF_EPOCH, p.kind());
  }
}
