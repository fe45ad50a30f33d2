package dev.paddock.zab;

import dev.paddock.tree.TreeSnapshot;
import dev.paddock.txn.TxnEntry;
import java.util.List;

/**
 * What a Zab role asks its server to do, in order. A shell carries them out one after another;
 * a {@link Persist} is only confirmed later (by an event), and nothing that depends on its
 * durability is among the effects of the same step.
 */
public sealed interface ZabEffect {

  /** Send straight to a peer (a learner's packets to its leader; a leader's goodbyes). */
  record Send(int to, Packet packet) implements ZabEffect {}

  /** The leader starts a FIFO queue to a learner for this connection. */
  record OpenQueue(int learner, long connection, boolean observer) implements ZabEffect {}

  /** Appends to a learner's FIFO queue. */
  record Enqueue(int learner, LearnerQueue.Item item) implements ZabEffect {}

  record CloseQueue(int learner) implements ZabEffect {}

  record Persist(LogOp op) implements ZabEffect {}

  /**
   * A learner keeps a SNAP chunk outside memory (the first one starts afresh); after the last
   * the spool is decoded and answered by {@link ZabEvent.SnapshotReceived}.
   */
  record SpoolSnapshot(int index, byte[] bytes, boolean last) implements ZabEffect {}

  /** A learner stores the tree it received by SNAP; answered by {@link ZabEvent.SnapshotSaved}. */
  record SaveSnapshot(TreeSnapshot tree) implements ZabEffect {}

  /** The server's tree becomes {@code tree} (SNAP). */
  record ReplaceTree(TreeSnapshot tree) implements ZabEffect {}

  /** A sync to answer once every txn committed before it is applied. */
  record SyncAnswer(long sessionId, int cxid) {}

  /** Committed txns for the server's tree, in zxid order, then the syncs that waited for them. */
  record Apply(List<TxnEntry> entries, List<SyncAnswer> syncs) implements ZabEffect {}

  /** The leader starts (or stops) tracking a session's expiry. */
  record TrackSession(long sessionId, int timeoutMs) implements ZabEffect {}

  record UntrackSession(long sessionId) implements ZabEffect {}

  /** Learners heard from these sessions: the leader's expiry clock restarts for them. */
  record TouchSessions(List<Long> sessionIds) implements ZabEffect {}

  /** The answer to {@link ZabEvent.Revalidate}. */
  record SessionValid(long sessionId, long token, boolean valid) implements ZabEffect {}

  /** The role serves clients from now on. */
  record Serving() implements ZabEffect {}

  /** The role ends; the server looks for a leader again. Nothing follows it. */
  record StepDown(String reason) implements ZabEffect {}

  /**
   * A named step where tests may make the server crash ({@link CrashPoints}); when it fires,
   * none of the effects after it happen.
   */
  record CrashPoint(String name) implements ZabEffect {}
}
