package dev.paddock.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Randomized fault schedules through the deterministic ensemble simulator. CI runs a fixed
 * budget of seeds; {@code -Dsim.seeds=N -Dsim.base-seed=B} runs N fresh ones from B (a soak),
 * and {@code -Dsim.seed=S -Dsim.servers=K} replays one. Every violation prints its replay
 * command and the trace that led to it.
 */
class SimulationTest {
  static final int CI_SEEDS = Integer.getInteger("sim.ci-seeds", 3000);

  @Test
  void randomFaultSchedulesFindNoViolation() {
    long only = Long.getLong("sim.seed", -1L);
    if (only >= 0) {
      int servers = Integer.getInteger("sim.servers", 3);
      Simulation.Result r = new Simulation(Boolean.getBoolean("sim.churn")
          ? Simulation.Config.churn(servers) : Simulation.Config.standard(servers), only).run();
      report(List.of(r), 1, 0);
      return;
    }
    int seeds = Integer.getInteger("sim.seeds", CI_SEEDS);
    long base = Long.getLong("sim.base-seed", 1L);
    List<Simulation.Result> bad = new ArrayList<>();
    long start = System.nanoTime();
    long ops = 0;
    long faults = 0;
    long restarts = 0;
    long epochs = 0;
    for (int i = 0; i < seeds; i++) {
      long seed = base + i;
      Simulation.Result r = new Simulation(Simulation.Config.forRun(i), seed).run();
      if (Boolean.getBoolean("sim.verbose")) {
        System.out.println("seed " + seed + " events " + r.events() + " ops " + r.ops());
      }
      ops += r.ops();
      faults += r.faults();
      restarts += r.operatorRestarts();
      epochs += r.epochs();
      if (!r.ok()) {
        bad.add(r);
      }
    }
    System.out.printf("seeds=%d violations=%d ops=%d faults=%d epochs=%d operator-restarts=%d"
        + " wall=%.1fs%n", seeds, bad.size(), ops, faults, epochs, restarts,
        (System.nanoTime() - start) / 1e9);
    report(bad, seeds, bad.size());
  }

  private static void report(List<Simulation.Result> results, int seeds, int expectedBad) {
    List<Simulation.Result> bad = results.stream().filter(r -> !r.ok()).toList();
    for (Simulation.Result r : bad.subList(0, Math.min(3, bad.size()))) {
      System.out.println("VIOLATION seed=" + r.seed() + " servers=" + r.servers() + ": "
          + String.join("\n  ", r.violations()));
      System.out.println("replay: mvn -q test -Dtest=SimulationTest -Dsim.seed=" + r.seed()
          + " -Dsim.servers=" + r.servers() + (r.churn() ? " -Dsim.churn=true" : ""));
      System.out.println(r.trace());
    }
    assertEquals(0, bad.size(), bad.size() + " of " + seeds + " seeds found violations");
  }
}
