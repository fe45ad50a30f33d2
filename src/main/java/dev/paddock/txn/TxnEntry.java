package dev.paddock.txn;

/**
 * A txn with its header: where it sits in the history (zxid), who asked for it (session id and the
 * client's request number), and the leader's clock when it was decided.
 */
public record TxnEntry(long zxid, long sessionId, int cxid, long time, Txn txn) {}
