package dev.paddock.sim;

import dev.paddock.peers.PeerMessage;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The simulated network between servers: each directed link delivers in order after a random
 * delay, like one TCP connection. A message lost to a partition or a dropped packet is simply
 * gone; the receiver's {@link dev.paddock.peers.LinkSequencer} then sees the gap and reports a
 * link reset, exactly as the production gateway does. Messages to a server that crashed since
 * they were sent are lost with its connections.
 */
final class SimNet {
  /** Delivers a message to a server, if the incarnation it was sent to still runs. */
  interface Receiver {
    void receive(int to, long toIncarnation, int from, long fromIncarnation, long seq,
        PeerMessage message);
  }

  private final Sched sched;
  private final SplittableRandom random;
  private final int servers;
  private final long[][] lastDelivery;
  private final double[][] slowness;
  private final Set<Long> cut = new HashSet<>();
  private Receiver receiver;
  private double lossRate;
  private long sent;
  private long dropped;

  SimNet(Sched sched, SplittableRandom random, int servers) {
    this.sched = sched;
    this.random = random;
    this.servers = servers;
    this.lastDelivery = new long[servers + 1][servers + 1];
    this.slowness = new double[servers + 1][servers + 1];
    for (double[] row : slowness) {
      java.util.Arrays.fill(row, 1.0);
    }
  }

  void receiver(Receiver r) {
    this.receiver = r;
  }

  void lossRate(double rate) {
    this.lossRate = rate;
  }

  long sent() {
    return sent;
  }

  long dropped() {
    return dropped;
  }

  private static long key(int a, int b) {
    return ((long) a << 32) | b;
  }

  boolean isCut(int from, int to) {
    return cut.contains(key(from, to));
  }

  /** Cuts both directions between the two groups. */
  void partition(Set<Integer> side) {
    for (int a = 1; a <= servers; a++) {
      for (int b = 1; b <= servers; b++) {
        if (a != b && side.contains(a) != side.contains(b)) {
          cut.add(key(a, b));
        }
      }
    }
  }

  void healAll() {
    cut.clear();
  }

  void slow(int from, int to, double factor) {
    slowness[from][to] = factor;
  }

  void unslowAll() {
    for (double[] row : slowness) {
      java.util.Arrays.fill(row, 1.0);
    }
  }

  void send(int from, long fromIncarnation, int to, long toIncarnation, long seq,
      PeerMessage message) {
    sent++;
    if (isCut(from, to) || lossRate > 0 && random.nextDouble() < lossRate) {
      dropped++;
      return;
    }
    long delay = (long) ((50_000 + random.nextLong(400_000)) * slowness[from][to]);
    long at = Math.max(sched.now() + delay, lastDelivery[from][to]);
    lastDelivery[from][to] = at;
    sched.at(at, () -> {
      if (isCut(from, to)) {
        dropped++;
        return;
      }
      receiver.receive(to, toIncarnation, from, fromIncarnation, seq, message);
    });
  }
}
