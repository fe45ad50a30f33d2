package dev.paddock.zab;

import java.util.Set;

/**
 * What a Zab role needs to know about its server and ensemble, without any actor references.
 *
 * @param maxDataBytes largest znode data a write may carry (jute.maxbuffer)
 * @param diffWindow committed txns the leader keeps beyond its tree for DIFF sync
 * @param diffWindowBytes and at most this many bytes of them
 * @param firstCounter counter of the first zxid a new leader proposes in its epoch: 1, except in
 *     tests that start near the end of the counter's range
 * @param bugs planted protocol bugs for the simulator's self-test; {@link ZabBugs#NONE} otherwise
 */
public record RoleConfig(int myId, Set<Integer> voters, Set<Integer> observers,
    ZabTimers timers, int maxDataBytes, int diffWindow, long diffWindowBytes, long firstCounter,
    ZabBugs bugs) {
  public RoleConfig {
    voters = Set.copyOf(voters);
    observers = Set.copyOf(observers);
  }

  public int quorum() {
    return voters.size() / 2 + 1;
  }
}
