package dev.paddock.election;

/**
 * FastLeaderElection's total order on votes: the newer epoch wins, then the longer history
 * (zxid), then the higher server id. Pure, so every server ranks votes identically.
 */
public final class VoteOrder {
  private VoteOrder() {}

  /** True when {@code candidate} should replace {@code current}. */
  public static boolean supersedes(Vote candidate, Vote current) {
    if (candidate.peerEpoch() != current.peerEpoch()) {
      return candidate.peerEpoch() > current.peerEpoch();
    }
    if (candidate.zxid() != current.zxid()) {
      return Long.compareUnsigned(candidate.zxid(), current.zxid()) > 0;
    }
    return candidate.leaderId() > current.leaderId();
  }
}
