package dev.paddock.zab;

import dev.paddock.request.WriteRequest;
import dev.paddock.tree.TreeSnapshot;
import java.util.List;

/**
 * What happens to a Zab role: a packet from a peer, a broken link, a request from one of this
 * server's sessions, a write to disk that became durable, or a timer. The role's state machine
 * takes these one at a time, with the time they happen at, and answers with {@link ZabEffect}s.
 */
public sealed interface ZabEvent {

  record Received(int from, Packet packet) implements ZabEvent {}

  /** FIFO delivery from {@code peer} broke (a gap, a new incarnation, or it is unreachable). */
  record LinkLost(int peer) implements ZabEvent {}

  /**
   * A connect to {@code leaderId}'s peer port was refused: its process is gone (a paused or
   * cut-off leader still accepts connects, or lets them time out), so waiting out the
   * heartbeat silence would only add to the fail-over.
   */
  record LeaderGone(int leaderId) implements ZabEvent {}

  /** A write from a session on this server. */
  record ClientWrite(WriteRequest request) implements ZabEvent {}

  /** A sync from a session on this server. */
  record ClientSync(long sessionId, int cxid) implements ZabEvent {}

  /**
   * A client re-attaches session {@code sessionId} on this server: the leader decides whether it
   * is alive and takes this server as its owner. Answered by {@link ZabEffect.SessionValid}.
   */
  record Revalidate(long sessionId, long token) implements ZabEvent {}

  /** Every appended txn up to {@code lastZxid} is durable. */
  record Logged(long lastZxid) implements ZabEvent {}

  /** A log record other than an append is durable (in the order it was asked for). */
  record Persisted(LogOp op) implements ZabEvent {}

  /** The SNAP chunks spooled so far decode to {@code tree}, or not ({@code failure}). */
  record SnapshotReceived(TreeSnapshot tree, String failure) implements ZabEvent {}

  /** A tree received by SNAP was saved durably, or not ({@code failure} says why). */
  record SnapshotSaved(TreeSnapshot tree, String failure) implements ZabEvent {}

  /** Sessions this server heard from since the last report (a learner forwards them). */
  record SessionsTouched(List<Long> sessionIds) implements ZabEvent {}

  /** Zab's slow clock: liveness checks against sync-limit and init-limit. */
  record Tick() implements ZabEvent {}

  /** The fast clock: heartbeats and the leader-timeout checks. */
  record Beat() implements ZabEvent {}
}
