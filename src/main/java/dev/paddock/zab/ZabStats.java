package dev.paddock.zab;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * What the leading role publishes for monitoring (ZooKeeper's mntr leader keys and the
 * proposal latency), one instance per actor system. The leader writes it from its own thread;
 * readers on any thread see the newest published value.
 */
public final class ZabStats {
  /** One learner as the leader sees it. */
  public record Learner(int id, boolean observer, String stage) {}

  /**
   * @param learners connected learners, followers and observers alike (ZooKeeper's followers)
   * @param syncedFollowers voting followers that are up to date
   * @param syncedObservers observers that are up to date
   * @param pendingSyncs learners still being synchronised
   */
  public record Learners(int learners, int syncedFollowers, int syncedObservers, int pendingSyncs,
      List<Learner> all) {
    static final Learners NONE = new Learners(0, 0, 0, 0, List.of());
  }

  private volatile Learners learners = Learners.NONE;
  private volatile LongConsumer proposalObserver = nanos -> {};

  ZabStats() {}

  public static ZabStats get(ActorSystem<?> system) {
    return Registry.ID.get(Adapter.toClassic(system)).stats;
  }

  public Learners learners() {
    return learners;
  }

  /** Receives each txn's time from proposal to commit on the leader, in nanoseconds. */
  public void onProposalCommitted(LongConsumer observer) {
    this.proposalObserver = observer;
  }

  /** Publishes the leader's learners; an empty list when this server stops leading. */
  void publish(List<Learner> current) {
    int synced = 0;
    int observers = 0;
    int pending = 0;
    for (Learner l : current) {
      if (l.stage().equals("up_to_date")) {
        if (l.observer()) {
          observers++;
        } else {
          synced++;
        }
      } else if (l.stage().equals("syncing") || l.stage().equals("synced")) {
        pending++;
      }
    }
    learners = new Learners(current.size(), synced, observers, pending, List.copyOf(current));
  }

  /** A clock for one leader's proposals; used by that leader's actor only. */
  ProposalClock proposalClock() {
    return new ProposalClock();
  }

  final class ProposalClock {
    private final ArrayDeque<long[]> inFlight = new ArrayDeque<>();

    void proposed(long zxid) {
      // Bounded: a leader that cannot commit steps down long before this matters.
      if (inFlight.size() < 1_000_000) {
        inFlight.addLast(new long[] {zxid, System.nanoTime()});
      }
    }

    void committed(long upToZxid) {
      long now = System.nanoTime();
      LongConsumer observer = proposalObserver;
      while (!inFlight.isEmpty() && inFlight.peekFirst()[0] <= upToZxid) {
        observer.accept(now - inFlight.pollFirst()[1]);
      }
    }
  }

  static final class Registry implements Extension {
    static final RegistryId ID = new RegistryId();
    final ZabStats stats = new ZabStats();
  }

  static final class RegistryId extends AbstractExtensionId<Registry> {
    @Override
    public Registry createExtension(ExtendedActorSystem system) {
      return new Registry();
    }
  }
}
