package dev.paddock.zab;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Quorum counting for broadcast. Acks are cumulative (a learner acks the newest zxid it has made
 * durable, which covers everything before it), so it is enough to keep the highest ack per voter:
 * the newest committable zxid is the one that a majority of voters have reached.
 */
public final class AckTracker {
  private final Map<Integer, Long> acked = new HashMap<>();
  private final int quorum;

  public AckTracker(Set<Integer> voters) {
    if (voters.isEmpty()) {
      throw new IllegalArgumentException("at least one voter is needed");
    }
    for (int v : voters) {
      acked.put(v, 0L);
    }
    this.quorum = voters.size() / 2 + 1;
  }

  /** Records an ack; acks from non-voters (observers) are ignored. */
  public void ack(int serverId, long zxid) {
    acked.computeIfPresent(serverId, (k, old) -> Math.max(old, zxid));
  }

  /** Forgets what a voter acked, when it disconnects; it will be counted again after resync. */
  public void reset(int serverId, long zxid) {
    acked.computeIfPresent(serverId, (k, old) -> zxid);
  }

  /** The highest zxid acknowledged by a quorum of voters (0 if none). */
  public long committable() {
    long[] values = new long[acked.size()];
    int i = 0;
    for (long v : acked.values()) {
      values[i++] = v;
    }
    Arrays.sort(values);
    return values[values.length - quorum];
  }

  public int quorumSize() {
    return quorum;
  }

  public long ackedBy(int serverId) {
    return acked.getOrDefault(serverId, 0L);
  }
}
