package dev.paddock.sim;

import java.util.HashSet;
import java.util.Set;

/**
 * Faults on a random schedule: crashes and restarts (the leader more often than others, and
 * the whole ensemble now and then), partitions of any shape, lost messages, slow links, slow
 * and failing disks, and paused servers whose clocks jump when they resume.
 */
final class SimFaults {
  private final Simulation sim;
  private int injected;

  SimFaults(Simulation sim) {
    this.sim = sim;
  }

  int injected() {
    return injected;
  }

  void schedule(long until) {
    long at = 300_000_000L;
    while (at < until) {
      long when = at;
      sim.sched.at(when, this::inject);
      at += 100_000_000L + sim.random.nextLong((sim.cfg.faultGapMs() - 100) * 1_000_000L);
    }
  }

  private long millis(int min, int max) {
    return (min + sim.random.nextInt(max - min + 1)) * 1_000_000L;
  }

  private SimServer pick(boolean preferLeader) {
    if (preferLeader) {
      for (SimServer s : sim.servers()) {
        if (s.leading()) {
          return s;
        }
      }
    }
    return sim.server(1 + sim.random.nextInt(sim.cfg.servers()));
  }

  private void inject() {
    injected++;
    int roll = sim.random.nextInt(100);
    int n = sim.cfg.servers();
    if (roll < 30) {
      SimServer s = pick(sim.random.nextBoolean());
      s.crash("fault");
      restartLater(s);
    } else if (roll < 50) {
      Set<Integer> side = new HashSet<>();
      int size = 1 + sim.random.nextInt(n / 2);
      while (side.size() < size) {
        side.add(sim.random.nextBoolean() ? pick(true).id : 1 + sim.random.nextInt(n));
      }
      sim.trace.add("partition " + side + " from the rest");
      sim.net.partition(side);
      sim.sched.after(millis(300, 4000), () -> {
        sim.trace.add("heal partitions");
        sim.net.healAll();
      });
    } else if (roll < 58) {
      sim.trace.add("lossy network");
      sim.net.lossRate(0.02);
      sim.sched.after(millis(300, 1500), () -> sim.net.lossRate(0));
    } else if (roll < 66) {
      int a = 1 + sim.random.nextInt(n);
      int b = 1 + (a + sim.random.nextInt(n - 1)) % n;
      sim.trace.add("slow link " + a + "->" + b);
      sim.net.slow(a, b, 200 + sim.random.nextInt(2000));
      sim.sched.after(millis(500, 3000), () -> sim.net.slow(a, b, 1));
    } else if (roll < 74) {
      SimServer s = pick(sim.random.nextBoolean());
      sim.trace.add("slow disk on s" + s.id);
      s.disk.slowFor(millis(500, 3000));
    } else if (roll < 80) {
      SimServer s = pick(sim.random.nextBoolean());
      if (sim.random.nextBoolean()) {
        sim.trace.add("disk of s" + s.id + " fails its next write");
        s.disk.failNextWrite();
      } else {
        sim.trace.add("disk of s" + s.id + " full for a while");
        s.disk.fullFor(millis(300, 2000));
      }
    } else if (roll < 92) {
      SimServer s = pick(sim.random.nextBoolean());
      s.pause(millis(200, 2500));
    } else if (roll < 95) {
      sim.trace.add("whole ensemble restarts");
      for (SimServer s : sim.servers()) {
        s.crash("ensemble restart");
        restartLater(s);
      }
    } else {
      sim.trace.add("quiet moment");
    }
  }

  void restartLater(SimServer s) {
    long inc = s.incarnation();
    sim.sched.after(millis(100, 3000), () -> {
      if (!s.up() && s.incarnation() == inc) {
        s.start();
      }
    });
  }

  /** The end of the fault phase: the network heals and every server runs again. */
  void healEverything() {
    sim.net.healAll();
    sim.net.lossRate(0);
    sim.net.unslowAll();
    for (SimServer s : sim.servers()) {
      if (!s.up()) {
        s.start();
      }
    }
  }
}
