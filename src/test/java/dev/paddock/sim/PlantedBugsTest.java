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
 *
 * <p>A fourth planted bug, counting a learner's ACK before its NEWLEADER ack, needs a rare
 * chain (a lagging follower, a learner syncing while the write is in flight, that learner
 * crashing before its epoch is durable, the leader dying): the random schedule found it once in
 * about 17,700 seeds, beyond this budget. {@code LeaderStateTest} pins the rule itself, and
 * {@code -Dsim.bug-budget=30000 -Dsim.all-bugs=true} runs the long search.
 */
class PlantedBugsTest {
  static final int BUDGET = Integer.getInteger("sim.bug-budget", 8000);

  static Stream<Arguments> bugs() {
    Stream<Arguments> rare = Boolean.getBoolean("sim.all-bugs")
        ? Stream.of(Arguments.of("ack counted before NEWLEADER ack",
            new ZabBugs(true, false, false, false)))
        : Stream.empty();
    return Stream.concat(rare, Stream.of(
        Arguments.of("ack before fsync", new ZabBugs(false, true, false, false)),
        Arguments.of("old-epoch tail not truncated", new ZabBugs(false, false, true, false)),
        Arguments.of("current epoch before a quorum acked it",
            new ZabBugs(false, false, false, true))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bugs")
  void isCaught(String name, ZabBugs bug) {
    for (int i = 0; i < BUDGET; i++) {
      long seed = 1_000_000L + i;
      Simulation.Config cfg = Simulation.Config.forRun(i).withBugs(bug);
      int servers = cfg.servers();
      Simulation.Result r = new Simulation(cfg, seed).run();
      if (!r.ok()) {
        System.out.println("planted bug '" + name + "' caught by seed " + seed + " (" + servers
            + " servers, run " + (i + 1) + "): " + r.violations().get(0));
        return;
      }
    }
    assertTrue(false, "planted bug '" + name + "' survived " + BUDGET + " seeds");
  }
}
