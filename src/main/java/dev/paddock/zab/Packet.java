package dev.paddock.zab;

import dev.paddock.peers.PeerMessage;
import dev.paddock.request.WriteRequest;
import dev.paddock.txn.TxnEntry;
import java.util.List;

/**
 * Zab packets between a leader and a learner. Each carries the id of the learner's current
 * connection attempt, so packets of an earlier attempt (or an earlier leader) are recognised and
 * dropped.
 */
public sealed interface Packet extends PeerMessage {
  long connection();

  // ---- learner to leader ----

  /** Discovery: who I am and how far my log goes. */
  record FollowerInfo(long connection, long acceptedEpoch, long lastZxid, boolean observer)
      implements Packet {}

  /** Discovery: I accepted the new epoch (persisted); my current epoch and last zxid. */
  record AckEpoch(long connection, long currentEpoch, long lastZxid) implements Packet {}

  /** Synced and durable up to {@code zxid}; I now run in the new epoch. */
  record AckNewLeader(long connection, long zxid) implements Packet {}

  /** Durable up to {@code zxid} (cumulative). */
  record Ack(long connection, long zxid) implements Packet {}

  /** A client write that arrived at a learner; {@code seq} numbers them per connection. */
  record ForwardWrite(long connection, long seq, WriteRequest request) implements Packet {}

  record ForwardSync(long connection, long seq, long sessionId, int cxid) implements Packet {}

  /**
   * Liveness, with the sessions this learner heard from since its last ping, and the newest
   * {@link LeaderPing} round it received (the leader's proof that this learner still follows).
   */
  record LearnerPing(long connection, List<Long> touchedSessions, long echo) implements Packet {}

  /** SNAP chunks up to {@code index} arrived: the leader may send more (it paces the SNAP). */
  record SnapAck(long connection, int index) implements Packet {}

  /** A client re-attaches a session here: is it alive? The leader makes this server its owner. */
  record Revalidate(long connection, long sessionId, long token) implements Packet {}

  // ---- leader to learner ----

  record LeaderInfo(long connection, long newEpoch) implements Packet {}

  /** How the learner catches up: DIFF, TRUNC to {@code zxid}, or SNAP (chunks follow). */
  record SyncStart(long connection, SyncMode mode, long zxid) implements Packet {}

  /** Part of a serialized tree snapshot; {@code last} marks the final chunk. */
  record SnapChunk(long connection, int index, byte[] bytes, boolean last) implements Packet {}

  /** Txns to log; a learner acks them once durable. */
  record Proposals(long connection, List<TxnEntry> entries) implements Packet {}

  /** Everything up to {@code zxid} is committed. */
  record Commit(long connection, long zxid) implements Packet {}

  /** Committed txns for an observer, which never acks for a quorum. */
  record Inform(long connection, List<TxnEntry> entries) implements Packet {}

  /** End of sync: make everything durable, adopt {@code epoch}, then ack. */
  record NewLeader(long connection, long epoch, long lastZxid) implements Packet {}

  /** The epoch is established and history up to {@code committedZxid} committed: serve. */
  record UpToDate(long connection, long committedZxid) implements Packet {}

  /** Answers a forwarded sync, after every commit that preceded it. */
  record SyncDone(long connection, long sessionId, int cxid) implements Packet {}

  /** A heartbeat; the learner echoes {@code round} at once. */
  record LeaderPing(long connection, long round) implements Packet {}

  record Revalidated(long connection, long sessionId, long token, boolean valid)
      implements Packet {}

  /** The leader refuses or drops this learner's connection; it should look for a leader again. */
  record Goodbye(long connection, String reason) implements Packet {}

  enum SyncMode {
    DIFF,
    TRUNC,
    SNAP
  }
}
