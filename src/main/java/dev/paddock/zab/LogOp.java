package dev.paddock.zab;

import dev.paddock.txn.TxnEntry;
import java.util.List;

/** A record a role asks its server to make durable in the transaction log, in the order asked. */
public sealed interface LogOp {

  /** Txns to append; their durability is reported as {@link ZabEvent.Logged}. */
  record Append(List<TxnEntry> entries) implements LogOp {}

  record AcceptEpoch(long epoch) implements LogOp {}

  record SetCurrentEpoch(long epoch) implements LogOp {}

  /** Drop every logged txn above {@code zxid} (TRUNC). */
  record Truncate(long zxid) implements LogOp {}

  /** History up to {@code zxid} now lives in a durable tree snapshot (SNAP). */
  record Restore(long zxid) implements LogOp {}
}
