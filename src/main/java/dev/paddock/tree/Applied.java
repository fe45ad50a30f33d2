package dev.paddock.tree;

import dev.paddock.api.WatchEvent;
import dev.paddock.txn.TxnEntry;
import java.util.List;

/** A committed txn after it was applied: its reply and the watch events it fires, in order. */
public record Applied(TxnEntry entry, ApplyResult result, List<WatchEvent> events) {}
