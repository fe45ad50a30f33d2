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

  /** Beats every leader-beat for {@code span}, as a running server's timer gives them. */
  private String beatFor(java.time.Duration span) {
    long until = now + span.toNanos();
    while (now < until) {
      now += LeaderHarness.TIMERS.leaderBeat().toNanos() - 1_000_000;
      String reason = stepDown(step(new ZabEvent.Beat()));
      if (reason != null) {
        return reason;
      }
    }
    return null;
  }

  @Test
  void withoutEvidenceOnlyTheLeaderTimeoutEndsAServingFollower() {
    toBroadcast();
    step(new ZabEvent.Beat());
    assertTrue(learner.serving());
    String reason = beatFor(LeaderHarness.TIMERS.leaderTimeout().multipliedBy(2));
    assertTrue(reason != null && reason.startsWith("heard nothing from leader 1"), reason);
  }

  @Test
  void aFollowerThatWasNotRunningGivesItsLeaderAWholeTimeoutAfterItResumes() {
    toBroadcast();
    step(new ZabEvent.Beat());
    // Paused for ten leader-timeouts: the next beat comes that much later.
    now += LeaderHarness.TIMERS.leaderTimeout().multipliedBy(10).toNanos();
    assertEquals(null, stepDown(step(new ZabEvent.Beat())));
    assertEquals(null, stepDown(step(new ZabEvent.Tick())));
    // What the leader sent during the pause arrives.
    fromLeader(new Packet.LeaderPing(CONN, 9));
    assertTrue(learner.serving());
    // A leader that stays silent after the resume is still given up.
    String reason = beatFor(LeaderHarness.TIMERS.leaderTimeout().multipliedBy(2));
    assertTrue(reason != null && reason.startsWith("heard nothing from leader 1"), reason);
  }
}
