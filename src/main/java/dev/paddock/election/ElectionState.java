package dev.paddock.election;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * One server's FastLeaderElection bookkeeping, without actors or time: the round (logical
 * clock), the current proposal, the votes of this round, and the notifications of servers that
 * already follow or lead. The actor feeds it notifications and acts on what it answers.
 */
public final class ElectionState {
  /** What to do after a notification. */
  public record Step(boolean broadcast, boolean replyToSender, Vote candidate, Vote decided) {
    static final Step NOTHING = new Step(false, false, null, null);
  }

  private final int myId;
  private final Set<Integer> voters;
  private final Set<Integer> gone;
  private final boolean observer;
  private final Vote self;
  private long clock;
  private Vote proposal;
  private final Map<Integer, Vote> round = new HashMap<>();
  private final Map<Integer, Notification> settled = new HashMap<>();

  public ElectionState(int myId, Set<Integer> voters, boolean observer, Vote self,
      long lastClock) {
    this(myId, voters, Set.of(), observer, self, lastClock);
  }

  /**
   * @param gone voters whose process was seen gone (their port refused connects) before this
   *     election: their vote is not waited for unless it comes
   */
  public ElectionState(int myId, Set<Integer> voters, Set<Integer> gone, boolean observer,
      Vote self, long lastClock) {
    this.myId = myId;
    this.voters = Set.copyOf(voters);
    this.gone = Set.copyOf(gone);
    this.observer = observer;
    this.self = self;
    this.clock = lastClock + 1;
    this.proposal = self;
    if (!observer) {
      round.put(myId, self);
    }
  }

  public long clock() {
    return clock;
  }

  public Vote proposal() {
    return proposal;
  }

  /** The notification this server sends to everyone. */
  public Notification announcement() {
    return new Notification(proposal, clock, ServerState.LOOKING);
  }

  public Step receive(int from, Notification n) {
    boolean fromVoter = voters.contains(from);
    if (n.state() == ServerState.LOOKING) {
      if (!fromVoter || observer) {
        return Step.NOTHING;
      }
      return receiveLooking(from, n);
    }
    if (n.state() == ServerState.OBSERVING || !fromVoter) {
      return Step.NOTHING;
    }
    return receiveSettled(from, n);
  }

  private Step receiveLooking(int from, Notification n) {
    boolean broadcast = false;
    boolean reply = false;
    if (n.electionEpoch() > clock) {
      clock = n.electionEpoch();
      round.clear();
      proposal = VoteOrder.supersedes(n.vote(), self) ? n.vote() : self;
      broadcast = true;
    } else if (n.electionEpoch() < clock) {
      return new Step(false, true, null, null);
    } else if (VoteOrder.supersedes(n.vote(), proposal)) {
      proposal = n.vote();
      broadcast = true;
    } else if (!n.vote().equals(proposal)) {
      // The sender may have started looking after this server's broadcast went by (it drops
      // what comes before its election does): tell it the better vote now, not at the resend.
      reply = true;
    }
    round.put(from, n.vote());
    round.put(myId, proposal);
    if (everyVoterAgrees() && hasQuorum(round, proposal)) {
      // Nothing better can arrive in this round: no need to wait the finalize period. A
      // server whose process was gone may come back with a better vote; waiting for it
      // could change who leads, never what was committed (every quorum holds that).
      return new Step(broadcast, false, null, proposal);
    }
    Vote candidate = hasQuorum(round, proposal) ? proposal : null;
    return new Step(broadcast, reply, candidate, null);
  }

  private Step receiveSettled(int from, Notification n) {
    if (n.electionEpoch() == clock) {
      round.put(from, n.vote());
      if (hasQuorum(round, n.vote()) && leaderConfirmed(n.vote(), n.electionEpoch())) {
        return new Step(false, false, null, n.vote());
      }
    }
    settled.put(from, n);
    // Servers that joined one leader at different times carry different votes for it (its
    // zxid and epoch when each decided): a quorum that follows the same leader, which says it
    // leads, is enough to join it.
    int leader = n.vote().leaderId();
    int following = 0;
    for (Map.Entry<Integer, Notification> e : settled.entrySet()) {
      if (voters.contains(e.getKey()) && e.getValue().vote().leaderId() == leader) {
        following++;
      }
    }
    Notification fromLeader = settled.get(leader);
    if (following >= voters.size() / 2 + 1 && fromLeader != null
        && fromLeader.state() == ServerState.LEADING) {
      clock = Math.max(clock, n.electionEpoch());
      return new Step(false, false, null, fromLeader.vote());
    }
    return Step.NOTHING;
  }

  /** A settled quorum only counts if the leader itself says it leads (or it is us, this round). */
  private boolean leaderConfirmed(Vote v, long electionEpoch) {
    if (v.leaderId() == myId) {
      return electionEpoch == clock;
    }
    Notification fromLeader = settled.get(v.leaderId());
    return fromLeader != null && fromLeader.state() == ServerState.LEADING;
  }

  /** True when the votes still back {@code v} (used to confirm a candidate after the wait). */
  public boolean stillBacked(Vote v) {
    return v.equals(proposal) && hasQuorum(round, v);
  }

  /** Every voter's vote is in and agrees, leaving out gone ones that have not voted. */
  private boolean everyVoterAgrees() {
    for (int v : voters) {
      Vote vote = round.get(v);
      if (vote == null ? !gone.contains(v) : !proposal.equals(vote)) {
        return false;
      }
    }
    return true;
  }

  private boolean hasQuorum(Map<Integer, Vote> votes, Vote v) {
    int agree = 0;
    for (Map.Entry<Integer, Vote> e : votes.entrySet()) {
      if (voters.contains(e.getKey()) && e.getValue().equals(v)) {
        agree++;
      }
    }
    return agree >= voters.size() / 2 + 1;
  }
}
