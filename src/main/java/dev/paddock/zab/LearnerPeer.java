package dev.paddock.zab;

import java.util.List;

/** The leader's view of one connected learner (mutable; owned by the {@link LeaderState}). */
final class LearnerPeer {
  enum Stage {
    /** FollowerInfo received; waiting for the epoch to be settled or for AckEpoch. */
    DISCOVERING,
    /** Sync packets and NEWLEADER queued; waiting for its NEWLEADER ack. */
    SYNCING,
    /** Acked NEWLEADER; serves once told UPTODATE. */
    SYNCED,
    UP_TO_DATE
  }

  final int id;
  final long connection;
  final boolean observer;
  Stage stage = Stage.DISCOVERING;
  boolean ackedEpoch;
  long lastZxid;
  long lastHeardNanos;
  long lastEchoNanos;
  long echoedRound;
  long forwardSeq;

  LearnerPeer(int id, long connection, boolean observer, long nowNanos) {
    this.id = id;
    this.connection = connection;
    this.observer = observer;
    this.lastHeardNanos = nowNanos;
    this.lastEchoNanos = nowNanos;
  }

  /** True once it acknowledged NEWLEADER: its log is then a durable copy of the leader's. */
  boolean synced() {
    return stage == Stage.SYNCED || stage == Stage.UP_TO_DATE;
  }

  ZabStats.Learner view() {
    return new ZabStats.Learner(id, observer, stage.name().toLowerCase(java.util.Locale.ROOT));
  }

  void send(List<ZabEffect> out, LearnerQueue.Item item) {
    out.add(new ZabEffect.Enqueue(id, item));
  }
}
