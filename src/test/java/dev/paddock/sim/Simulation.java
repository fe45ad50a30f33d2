package dev.paddock.sim;

import dev.paddock.zab.RoleConfig;
import dev.paddock.zab.ZabBugs;
import dev.paddock.zab.ZabTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * One deterministic run of a simulated ensemble: N servers running the production Zab state
 * machines over a simulated network and disks, clients recording what they saw, faults on a
 * random schedule, then a heal, a quiet period and the checks. Everything random comes from
 * the seed and all of it runs on one thread, so a seed replays bit for bit.
 */
final class Simulation {
  /**
   * @param crashPointPerMille how often a crash point (a sync or commit step) crashes its server
   * @param faultGapMs the longest pause between two faults
   */
  record Config(int servers, int clients, int opsPerClient, Duration faultPhase, boolean faults,
      ZabBugs bugs, Duration tick, Duration beat, Duration leaderTimeout, int snapCount,
      int diffWindow, int snapChunkBytes, int crashPointPerMille, int faultGapMs) {
    static Config standard(int servers) {
      return new Config(servers, 5, 60, Duration.ofSeconds(12), true, ZabBugs.NONE,
          Duration.ofMillis(100), Duration.ofMillis(50), Duration.ofMillis(400), 40, 12, 2048,
          30, 1150);
    }

    /** Faults twice as often, and servers crash at sync steps five times as often. */
    static Config churn(int servers) {
      Config s = standard(servers);
      return new Config(servers, s.clients, s.opsPerClient, s.faultPhase, true, s.bugs, s.tick,
          s.beat, s.leaderTimeout, s.snapCount, s.diffWindow, s.snapChunkBytes, 150, 500);
    }

    /** The profile of the {@code i}-th seed of a batch: 3 or 5 servers, now and then churn. */
    static Config forRun(int i) {
      int servers = i % 3 == 2 ? 5 : 3;
      return i % 4 == 3 ? churn(servers) : standard(servers);
    }

    Config withBugs(ZabBugs b) {
      return new Config(servers, clients, opsPerClient, faultPhase, faults, b, tick, beat,
          leaderTimeout, snapCount, diffWindow, snapChunkBytes, crashPointPerMille, faultGapMs);
    }
  }

  /** What a run found. */
  record Result(long seed, int servers, List<String> violations, String trace, int ops,
      int faults, int epochs, long events, int operatorRestarts, boolean churn) {
    boolean ok() {
      return violations.isEmpty();
    }
  }

  final Config cfg;
  final long seed;
  final Sched sched = new Sched();
  final SplittableRandom random;
  final Trace trace = new Trace(sched, Integer.getInteger("sim.trace-lines", 150));
  final SimObserver observer = new SimObserver(trace);
  final SimNet net;
  private final List<SimServer> servers = new ArrayList<>();
  private final List<SimClient> clients = new ArrayList<>();
  private final List<SimClient.Rec> history = new ArrayList<>();
  private final long[] clientLinkFree;
  private final Set<Integer> voters = new TreeSet<>();
  private final SimFaults faults;
  private boolean stopping;
  private boolean faultsActive;
  private long connIds;
  private int operatorRestarts;

  Simulation(Config cfg, long seed) {
    this.cfg = cfg;
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.net = new SimNet(sched, random, cfg.servers());
    for (int i = 1; i <= cfg.servers(); i++) {
      voters.add(i);
    }
    for (int i = 1; i <= cfg.servers(); i++) {
      servers.add(new SimServer(i, this));
    }
    net.receiver((to, toInc, from, fromInc, seq, m) ->
        server(to).receive(toInc, from, fromInc, seq, m));
    this.clientLinkFree = new long[cfg.clients() * 2];
    this.faults = new SimFaults(this);
  }

  Set<Integer> voters() {
    return voters;
  }

  List<SimServer> servers() {
    return servers;
  }

  SimServer server(int id) {
    return servers.get(id - 1);
  }

  RoleConfig roleConfig(int id) {
    return new RoleConfig(id, voters, Set.of(),
        new ZabTimers(cfg.tick(), 10, 5, cfg.beat(), cfg.leaderTimeout()),
        1 << 20, cfg.diffWindow(), 1L << 20, 1, cfg.bugs());
  }

  boolean stopping() {
    return stopping;
  }

  long nextConnId() {
    return ++connIds;
  }

  void record(SimClient.Rec r) {
    history.add(r);
  }

  /** A crash point was reached: during the fault phase, sometimes crash there. */
  boolean crashAt(String point) {
    // After every fsync is far more often than at a sync step: crash there rarely.
    int perMille = point.equals("after-fsync") ? 3 : cfg.crashPointPerMille();
    return faultsActive && random.nextInt(1000) < perMille;
  }

  void scheduleRestart(SimServer s) {
    faults.restartLater(s);
  }

  // ---- client traffic: per client, in order, after a short delay ----

  private long clientDelay(int slot) {
    long at = Math.max(sched.now() + 30_000 + random.nextLong(150_000), clientLinkFree[slot]);
    clientLinkFree[slot] = at;
    return at;
  }

  void toServer(SimServer s, Runnable action, Runnable ifDown) {
    sched.at(sched.now() + 30_000 + random.nextLong(150_000), () -> {
      if (s.up()) {
        s.run(action);
      } else {
        ifDown.run();
      }
    });
  }

  void toClient(SimClient c, long connId, Runnable action) {
    sched.at(clientDelay(c.index * 2 + 1), action);
  }

  // ---- the run ----

  Result run() {
    servers.forEach(SimServer::start);
    for (int i = 0; i < cfg.clients(); i++) {
      SimClient c = new SimClient(i, this, cfg.opsPerClient());
      clients.add(c);
      sched.after(100_000_000L + random.nextLong(500_000_000L), c::begin);
    }
    long faultEnd = cfg.faultPhase().toNanos();
    if (cfg.faults()) {
      faultsActive = true;
      faults.schedule(faultEnd);
    }
    sched.runUntil(faultEnd);
    faultsActive = false;
    faults.healEverything();
    trace.add("--- healed; clients finish ---");
    stopping = true;
    long deadline = faultEnd + 60_000_000_000L;
    while (sched.now() < deadline && !clients.stream().allMatch(SimClient::finished)) {
      sched.runUntil(sched.now() + 200_000_000L);
    }
    // Sessions whose close was lost expire; then the ensemble must agree and be quiet.
    sched.runUntil(sched.now() + 6_000_000_000L);
    boolean quiet = false;
    long settle = sched.now();
    while (sched.now() < deadline + 30_000_000_000L && !(quiet = quiet())) {
      sched.runUntil(sched.now() + 200_000_000L);
      if (sched.now() - settle > 10_000_000_000L && unstickLateLearner()) {
        settle = sched.now();
      }
    }
    if (!quiet) {
      observer.violation("the healed ensemble did not converge: " + describe());
    } else {
      SimChecks.all(this, history);
    }
    return new Result(seed, cfg.servers(), List.copyOf(observer.violations()), trace.dump(),
        history.size(), faults.injected(), observer.epochs(), sched.executed(), operatorRestarts,
        cfg.crashPointPerMille() > Config.standard(cfg.servers()).crashPointPerMille());
  }

  /**
   * A server that accepted a newer epoch than the one established (it began leading and
   * failed) cannot join until the next epoch, and a leader does not step down for it (as in
   * ZooKeeper). What an operator would do: restart the leader. Counted, not hidden.
   */
  private boolean unstickLateLearner() {
    SimServer leader = servers.stream().filter(SimServer::leading).findFirst().orElse(null);
    if (leader == null) {
      return false;
    }
    for (SimServer s : servers) {
      if (s.up() && !s.serving() && s.acceptedEpoch() > leader.leaderEpoch()) {
        operatorRestarts++;
        trace.add("operator restarts leader s" + leader.id + ": s" + s.id + " accepted epoch "
            + s.acceptedEpoch() + " above the established " + leader.leaderEpoch());
        leader.crash("operator restart");
        leader.start();
        return true;
      }
    }
    return false;
  }

  private boolean quiet() {
    int leaders = 0;
    long zxid = -1;
    for (SimServer s : servers) {
      if (!s.serving()) {
        return false;
      }
      leaders += s.leading() ? 1 : 0;
      if (zxid != -1 && s.tree().lastZxid() != zxid) {
        return false;
      }
      zxid = s.tree().lastZxid();
    }
    return leaders == 1;
  }

  private String describe() {
    StringBuilder b = new StringBuilder();
    for (SimServer s : servers) {
      b.append("s").append(s.id).append('=').append(s.role()).append('@')
          .append(s.tree() == null ? "-" : Long.toHexString(s.tree().lastZxid())).append(' ');
    }
    return b.toString().trim();
  }
}
