package dev.paddock.election;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.txn.Zxid;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElectionStateTest {
  private static final Set<Integer> THREE = Set.of(1, 2, 3);
  private static final Set<Integer> FIVE = Set.of(1, 2, 3, 4, 5);

  private static Vote vote(int leader, long counter) {
    return new Vote(leader, Zxid.of(1, counter), 1);
  }

  private static Notification looking(Vote v, long round) {
    return new Notification(v, round, ServerState.LOOKING);
  }

  private static Notification following(Vote v, long round) {
    return new Notification(v, round, ServerState.FOLLOWING);
  }

  private static Notification leading(Vote v, long round) {
    return new Notification(v, round, ServerState.LEADING);
  }

  @Test
  void startsTheNextRoundWithItsOwnVote() {
    Vote self = vote(1, 5);
    ElectionState s = new ElectionState(1, THREE, false, self, 6);
    assertEquals(7, s.clock());
    assertEquals(self, s.proposal());
    assertEquals(new Notification(self, 7, ServerState.LOOKING), s.announcement());
  }

  @Test
  void adoptsABetterVoteAndAnnouncesIt() {
    ElectionState s = new ElectionState(1, THREE, false, vote(1, 5), 0);
    Vote better = vote(2, 7);
    ElectionState.Step step = s.receive(2, looking(better, 1));
    assertTrue(step.broadcast());
    assertFalse(step.replyToSender());
    assertEquals(better, s.proposal());
    assertEquals(better, s.announcement().vote());
    // 1 and 2 now back the same vote: a quorum of three.
    assertEquals(better, step.candidate());
    assertNull(step.decided());
  }

  @Test
  void keepsItsVoteAgainstAWorseOne() {
    Vote self = vote(1, 5);
    ElectionState s = new ElectionState(1, THREE, false, self, 0);
    ElectionState.Step step = s.receive(2, looking(vote(2, 3), 1));
    assertFalse(step.broadcast());
    assertNull(step.candidate());
    assertEquals(self, s.proposal());

    ElectionState.Step backed = s.receive(3, looking(self, 1));
    assertFalse(backed.broadcast());
    assertEquals(self, backed.candidate());
    assertTrue(s.stillBacked(self));
  }

  @Test
  void aNewerRoundResetsTheVotesOfTheOldOne() {
    Vote self = vote(1, 5);
    ElectionState s = new ElectionState(1, THREE, false, self, 0);
    assertEquals(self, s.receive(2, looking(self, 1)).candidate());

    ElectionState.Step step = s.receive(3, looking(vote(3, 2), 4));
    assertEquals(4, s.clock());
    assertTrue(step.broadcast());
    // Against a worse vote in the new round the server goes back to its own vote ...
    assertEquals(self, s.proposal());
    // ... and 2's backing from round 1 no longer counts.
    assertNull(step.candidate());
    assertFalse(s.stillBacked(self));
  }

  @Test
  void aNewerRoundWithABetterVoteAdoptsIt() {
    ElectionState s = new ElectionState(1, THREE, false, vote(1, 5), 0);
    Vote better = vote(3, 9);
    ElectionState.Step step = s.receive(3, looking(better, 3));
    assertEquals(3, s.clock());
    assertTrue(step.broadcast());
    assertEquals(better, s.proposal());
    assertEquals(better, step.candidate());
  }

  @Test
  void anOlderRoundIsAnsweredAndNotCounted() {
    Vote self = vote(1, 5);
    ElectionState s = new ElectionState(1, THREE, false, self, 2);
    ElectionState.Step step = s.receive(2, looking(self, 1));
    assertTrue(step.replyToSender());
    assertFalse(step.broadcast());
    assertNull(step.candidate());
    assertEquals(3, s.clock());
    assertFalse(s.stillBacked(self));
  }

  @Test
  void fiveVotersNeedThree() {
    Vote best = vote(5, 9);
    ElectionState s = new ElectionState(1, FIVE, false, vote(1, 5), 0);
    assertNull(s.receive(5, looking(best, 1)).candidate(), "1 and 5 are two of five");
    assertNull(s.receive(2, looking(vote(2, 1), 1)).candidate());
    assertEquals(best, s.receive(3, looking(best, 1)).candidate());
  }

  @Test
  void observersAreNeverCounted() {
    Vote self = vote(1, 5);
    ElectionState s = new ElectionState(1, THREE, false, self, 0);
    ElectionState.Step step = s.receive(4, looking(vote(4, 99), 1));
    assertEquals(ElectionState.Step.NOTHING, step);
    assertEquals(self, s.proposal());
    assertNull(s.receive(4, looking(self, 1)).candidate());
    assertEquals(ElectionState.Step.NOTHING,
        s.receive(2, new Notification(vote(2, 9), 1, ServerState.OBSERVING)));
    // Settled notifications from an observer do not make a quorum either.
    s.receive(4, following(vote(2, 9), 1));
    assertNull(s.receive(2, leading(vote(2, 9), 1)).decided());
  }

  @Test
  void anObserverIgnoresLookingServersAndFollowsASettledQuorum() {
    ElectionState s = new ElectionState(4, THREE, true, vote(4, 99), 0);
    assertEquals(ElectionState.Step.NOTHING, s.receive(1, looking(vote(1, 5), 1)));
    assertEquals(ElectionState.Step.NOTHING, s.receive(2, looking(vote(1, 5), 1)));
    Vote leader = vote(2, 7);
    assertNull(s.receive(1, following(leader, 1)).decided());
    assertEquals(leader, s.receive(2, leading(leader, 1)).decided());
  }

  @Test
  void settledQuorumNeedsTheLeadersOwnWord() {
    Vote leader = vote(2, 7);
    ElectionState s = new ElectionState(5, FIVE, false, vote(5, 1), 0);
    assertNull(s.receive(1, following(leader, 1)).decided());
    assertNull(s.receive(3, following(leader, 1)).decided());
    assertNull(s.receive(4, following(leader, 1)).decided(),
        "three followers are a quorum, but 2 has not said it leads");
    assertEquals(leader, s.receive(2, leading(leader, 1)).decided());
  }

  @Test
  void leaderAloneIsNotAQuorum() {
    Vote leader = vote(2, 7);
    ElectionState s = new ElectionState(5, FIVE, false, vote(5, 1), 0);
    assertNull(s.receive(2, leading(leader, 1)).decided());
    assertNull(s.receive(1, following(leader, 1)).decided());
    assertEquals(leader, s.receive(3, following(leader, 1)).decided());
  }

  @Test
  void joinsAnEstablishedLeaderOfAnOlderElection() {
    Vote leader = vote(2, 7);
    ElectionState s = new ElectionState(3, THREE, false, vote(3, 99), 0);
    assertNull(s.receive(1, following(leader, 6)).decided());
    assertEquals(leader, s.receive(2, leading(leader, 6)).decided());
    assertEquals(6, s.clock(), "adopts the round of the established election");
  }

  @Test
  void leadsWhenItsPeersAlreadyFollowItThisRound() {
    Vote self = vote(2, 7);
    ElectionState s = new ElectionState(2, THREE, false, self, 0);
    assertEquals(self, s.receive(1, following(self, 1)).decided());
  }

  @Test
  void doesNotLeadOnFollowersOfAnotherRound() {
    Vote self = vote(2, 7);
    ElectionState s = new ElectionState(2, THREE, false, self, 0);
    assertNull(s.receive(1, following(self, 5)).decided());
    assertNull(s.receive(3, following(self, 5)).decided(),
        "followers of an old election of this server are not a new mandate");
  }

  /** Followers that joined at different times hold different votes for the same leader. */
  @Test
  void joinsALeaderAQuorumFollowsWhateverVotesTheyHold() {
    ElectionState s = new ElectionState(1, THREE, false, new Vote(1, 0x60000003bL, 7), 0);
    Vote leaderOwn = new Vote(3, 0x60000003bL, 6);
    Vote followerOld = new Vote(3, 0x40000001aL, 5);
    assertNull(s.receive(2, new Notification(followerOld, 8, ServerState.FOLLOWING)).decided());
    ElectionState.Step step = s.receive(3, new Notification(leaderOwn, 8, ServerState.LEADING));
    assertEquals(leaderOwn, step.decided());
  }

  @Test
  void doesNotJoinALeaderThatDoesNotSayItLeads() {
    ElectionState s = new ElectionState(1, THREE, false, new Vote(1, 5, 1), 0);
    Vote v = new Vote(3, 9, 2);
    s.receive(2, new Notification(v, 4, ServerState.FOLLOWING));
    assertNull(s.receive(3, new Notification(v, 4, ServerState.FOLLOWING)).decided());
  }

  @Test
  void decidesAtOnceWhenEveryVoterAgrees() {
    Vote best = new Vote(3, 9, 2);
    ElectionState s = new ElectionState(1, THREE, false, new Vote(1, 5, 1), 0);
    ElectionState.Step first = s.receive(3, looking(best, 1));
    assertNull(first.decided(), "two of three agree: wait for anything better");
    assertEquals(best, first.candidate());
    ElectionState.Step all = s.receive(2, looking(best, 1));
    assertEquals(best, all.decided());
  }

  @Test
  void doesNotWaitForTheVoteOfAServerSeenGone() {
    Vote best = new Vote(3, 9, 2);
    ElectionState s = new ElectionState(2, THREE, Set.of(1), false, new Vote(2, 5, 2), 0);
    assertEquals(best, s.receive(3, looking(best, 1)).decided(),
        "the only other voter alive agrees: nothing better can come");
  }

  @Test
  void aServerSeenGoneThatVotesAfterAllIsWaitedForLikeAnyOther() {
    Vote best = new Vote(3, 9, 2);
    ElectionState s = new ElectionState(2, THREE, Set.of(1), false, new Vote(2, 5, 2), 0);
    assertNull(s.receive(1, looking(new Vote(1, 4, 1), 1)).decided());
    ElectionState.Step step = s.receive(3, looking(best, 1));
    assertNull(step.decided(), "server 1 came back and still votes for itself");
    assertEquals(best, step.candidate());
    assertEquals(best, s.receive(1, looking(best, 1)).decided());
  }

  @Test
  void serversSeenGoneDoNotMakeAQuorum() {
    Vote self = new Vote(3, 9, 2);
    ElectionState s = new ElectionState(3, FIVE, Set.of(1, 2, 4), false, self, 0);
    ElectionState.Step step = s.receive(5, looking(self, 1));
    assertNull(step.decided(), "two of five agree");
    assertNull(step.candidate());
  }

  @Test
  void answersAWorseVoteOfThisRoundWithItsOwn() {
    Vote mine = new Vote(2, 9, 2);
    ElectionState s = new ElectionState(2, THREE, false, mine, 0);
    ElectionState.Step worse = s.receive(1, looking(new Vote(1, 9, 2), 1));
    assertTrue(worse.replyToSender(), "the sender may not have heard this server's vote");
    assertFalse(worse.broadcast());
    assertFalse(s.receive(3, looking(mine, 1)).replyToSender(), "it already agrees");
  }
}
