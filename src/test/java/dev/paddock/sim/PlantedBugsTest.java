package dev.paddock.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.zab.ZabBugs;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proof that the checkers have teeth: with a known protocol bug switched on, randomized runs
 * must report a violation within the seed budget. If a checker or the fault schedule lost its
 * power, this fails.
 */
class PlantedBugsTest {
  static final int BUDGET = Integer.getInteger("sim.bug-budget", 8000);

  static Stream<Arguments> bugs() {
    return Stream.of(
        Arguments.of("ack counted before NEWLEADER ack", new ZabBugs(true, false, false, false)),
        Arguments.of("ack before fsync", new ZabBugs(false, true, false, false)),
        Arguments.of("old-epoch tail not truncated", new ZabBugs(false, false, true, false)),
        Arguments.of("current epoch before a quorum acked it",
            new ZabBugs(false, false, false, true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bugs")
  void isCaught(String name, ZabBugs bug) {
    for (int i = 0; i < BUDGET; i++) {
      long seed = 1_000_000L + i;
      int servers = i % 2 == 0 ? 3 : 5;
      Simulation.Result r = new Simulation(Simulation.Config.standard(servers).withBugs(bug),
          seed).run();
      if (!r.ok()) {
        System.out.println("planted bug '" + name + "' caught by seed " + seed + " (" + servers
            + " servers, run " + (i + 1) + "): " + r.violations().get(0));
        return;
      }
    }
    assertTrue(false, "planted bug '" + name + "' survived " + BUDGET + " seeds");
  }
}
