package dev.paddock.zab;

/**
 * Known-wrong variants of the protocol that tests switch on to prove the ensemble simulator's
 * checkers catch them. Every server runs with {@link #NONE}; nothing outside the tests may set
 * a flag.
 *
 * @param countAckBeforeNewLeader the leader counts a learner's ACK for a quorum while that
 *     learner is still syncing, before it acknowledged NEWLEADER (ZooKeeper ignores these)
 * @param ackBeforeFsync a learner acknowledges proposals as they arrive instead of once they
 *     are durable
 * @param skipTruncate a learner ignores TRUNC and keeps its old-epoch tail
 * @param currentEpochBeforeQuorum the leader records the new epoch as current as soon as it
 *     accepted it, before a quorum acknowledged it
 */
public record ZabBugs(boolean countAckBeforeNewLeader, boolean ackBeforeFsync,
    boolean skipTruncate, boolean currentEpochBeforeQuorum) {
  public static final ZabBugs NONE = new ZabBugs(false, false, false, false);

  public boolean any() {
    return countAckBeforeNewLeader || ackBeforeFsync || skipTruncate || currentEpochBeforeQuorum;
  }
}
