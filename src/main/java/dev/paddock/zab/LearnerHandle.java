package dev.paddock.zab;

import org.apache.pekko.actor.typed.ActorRef;

/** The leader's view of one connected learner (mutable; owned by the LeaderActor). */
final class LearnerHandle {
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
  final long acceptedEpoch;
  final ActorRef<ProposalQueue.Command> queue;
  Stage stage = Stage.DISCOVERING;
  long lastHeardNanos = System.nanoTime();
  long forwardSeq;

  LearnerHandle(int id, long connection, boolean observer, long acceptedEpoch,
      ActorRef<ProposalQueue.Command> queue) {
    this.id = id;
    this.connection = connection;
    this.observer = observer;
    this.acceptedEpoch = acceptedEpoch;
    this.queue = queue;
  }

  void send(Packet p) {
    queue.tell(new ProposalQueue.Enqueue(p));
  }
}
