package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.tree.DataTree;
import dev.paddock.txnlog.TxnLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

/**
 * A follower's reaction to evidence that its leader's process is gone, on the pure state
 * machine: it gives up at once in sync and in broadcast, the way a leader-timeout does, and
 * evidence about any other server changes nothing.
 */
class LearnerStateTest {
  private static final int LEADER = 1;
  private static final long CONN = 42;

  private final DataTree tree = new DataTree();
  private final List<ZabEffect> effects = new ArrayList<>();
  private long now = 1_000_000_000L;
  private final LearnerState learner = new LearnerState(
      new RoleConfig(2, Set.of(1, 2, 3), Set.of(), LeaderHarness.TIMERS, 1 << 20, 100,
          64L << 20, 1, ZabBugs.NONE),
      LEADER, false, CONN, new TxnLog.Snapshot(0, 0, 0, 0, List.of()), tree::snapshot, now,
      NOPLogger.NOP_LOGGER);

  private List<ZabEffect> step(ZabEvent e) {
    now += 1_000_000;
    List<ZabEffect> out = learner.step(e, now);
    effects.addAll(out);
    return out;
  }

  private void fromLeader(Packet p) {
    step(new ZabEvent.Received(LEADER, p));
  }

  private void toSync() {
    effects.addAll(learner.start());
    fromLeader(new Packet.LeaderInfo(CONN, 1));
    step(new ZabEvent.Persisted(new LogOp.AcceptEpoch(1)));
    fromLeader(new Packet.SyncStart(CONN, Packet.SyncMode.DIFF, 0));
  }

  private void toBroadcast() {
    toSync();
    fromLeader(new Packet.NewLeader(CONN, 1, 0));
    step(new ZabEvent.Persisted(new LogOp.SetCurrentEpoch(1)));
    fromLeader(new Packet.UpToDate(CONN, 0));
    assertTrue(learner.serving(), "the learner never reached broadcast: " + effects);
  }

  private static String stepDown(List<ZabEffect> out) {
    for (ZabEffect e : out) {
      if (e instanceof ZabEffect.StepDown s) {
        return s.reason();
      }
    }
    return null;
  }

  @Test
  void aServingFollowerGivesUpAtOnceWhenItsLeadersPortRefusesConnections() {
    toBroadcast();
    List<ZabEffect> out = step(new ZabEvent.LeaderGone(LEADER));
    assertEquals("leader 1's port refuses connections", stepDown(out));
    assertFalse(learner.serving());
    assertEquals(List.of(), step(new ZabEvent.Beat()), "a stopped learner still acts");
  }

  @Test
  void aSyncingFollowerGivesUpAtOnceAsWell() {
    toSync();
    assertEquals("leader 1's port refuses connections",
        stepDown(step(new ZabEvent.LeaderGone(LEADER))));
  }

  @Test
  void evidenceAboutAnotherServerIsIgnored() {
    toBroadcast();
    assertEquals(null, stepDown(step(new ZabEvent.LeaderGone(3))));
    assertTrue(learner.serving());
    fromLeader(new Packet.LeaderPing(CONN, 7));
    assertTrue(effects.get(effects.size() - 1) instanceof ZabEffect.Send s
        && s.packet() instanceof Packet.LearnerPing, "the follower stopped answering its leader");
  }

  @Test
  void withoutEvidenceOnlyTheLeaderTimeoutEndsAServingFollower() {
    toBroadcast();
    step(new ZabEvent.Beat());
    assertTrue(learner.serving());
    now += LeaderHarness.TIMERS.leaderTimeout().toNanos();
    String reason = stepDown(step(new ZabEvent.Beat()));
    assertTrue(reason != null && reason.startsWith("heard nothing from leader 1"), reason);
  }
}
