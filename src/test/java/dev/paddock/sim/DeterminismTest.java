package dev.paddock.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Same seed, same run: the trace, the history and the event count are identical. */
class DeterminismTest {
  @Test
  void aSeedReplaysBitForBit() {
    for (long seed : new long[] {Long.getLong("sim.det-seed", 642L), 7L}) {
      for (int servers : new int[] {3, 5}) {
        Simulation.Result a = new Simulation(Simulation.Config.standard(servers), seed).run();
        Simulation.Result b = new Simulation(Simulation.Config.standard(servers), seed).run();
        assertEquals(a.trace(), b.trace(), "seed " + seed);
        assertEquals(a.events(), b.events());
        assertEquals(a.ops(), b.ops());
        assertEquals(a.violations(), b.violations());
      }
    }
  }
}
