package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.paddock.txn.Zxid;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

  @Test
  void threeVotersCommitWhatTwoHaveAcked() {
    AckTracker t = new AckTracker(Set.of(1, 2, 3));
    assertEquals(2, t.quorumSize());
    assertEquals(0, t.committable());
    t.ack(1, Zxid.of(1, 5));
    assertEquals(0, t.committable(), "the leader alone is not a quorum");
    t.ack(2, Zxid.of(1, 3));
    assertEquals(Zxid.of(1, 3), t.committable());
    t.ack(3, Zxid.of(1, 4));
    assertEquals(Zxid.of(1, 4), t.committable());
    t.ack(2, Zxid.of(1, 9));
    assertEquals(Zxid.of(1, 5), t.committable());
  }

  @Test
  void fiveVotersCommitWhatThreeHaveAcked() {
    AckTracker t = new AckTracker(Set.of(1, 2, 3, 4, 5));
    assertEquals(3, t.quorumSize());
    t.ack(1, 10);
    t.ack(2, 20);
    assertEquals(0, t.committable());
    t.ack(5, 30);
    assertEquals(10, t.committable());
    t.ack(3, 25);
    assertEquals(20, t.committable());
    t.ack(4, 40);
    assertEquals(25, t.committable());
  }

  @Test
  void acksAreCumulativeAndNeverGoBack() {
    AckTracker t = new AckTracker(Set.of(1, 2, 3));
    t.ack(1, 8);
    t.ack(2, 8);
    t.ack(2, 3);
    assertEquals(8, t.ackedBy(2));
    assertEquals(8, t.committable());
  }

  @Test
  void observersAndStrangersAreIgnored() {
    AckTracker t = new AckTracker(Set.of(1, 2, 3));
    t.ack(1, 7);
    t.ack(4, 7);
    t.ack(5, 7);
    assertEquals(0, t.committable());
    assertEquals(0, t.ackedBy(4));
  }

  @Test
  void resetForgetsADisconnectedVoter() {
    AckTracker t = new AckTracker(Set.of(1, 2, 3));
    t.ack(1, 9);
    t.ack(2, 9);
    assertEquals(9, t.committable());
    t.reset(2, 4);
    assertEquals(4, t.ackedBy(2));
    assertEquals(4, t.committable());
    t.reset(7, 100);
    assertEquals(4, t.committable());
  }

  @Test
  void aSingleVoterIsItsOwnQuorum() {
    AckTracker t = new AckTracker(Set.of(1));
    t.ack(1, 3);
    assertEquals(3, t.committable());
  }

  @Test
  void needsAVoter() {
    assertThrows(IllegalArgumentException.class, () -> new AckTracker(Set.of()));
  }
}
