package dev.paddock.election;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One LOOKING period of FastLeaderElection as a pure state machine around {@link ElectionState}:
 * broadcast this server's vote, adopt better ones, and once a quorum backs a proposal wait a
 * short finalize period for anything better before deciding. Re-sends its vote with backoff
 * while it hears nothing, so a server that comes up late still finds the others. Timers are
 * effects: arming a timer replaces an armed timer equal to it.
 */
public final class ElectionRound {

  public sealed interface Effect {}

  public record Send(int to, Notification notification) implements Effect {}

  public record Arm(Timer timer, Duration after) implements Effect {}

  /** The outcome; the round is over. */
  public record Decided(Vote vote, long electionEpoch) implements Effect {}

  public sealed interface Timer {}

  public record Resend() implements Timer {}

  public record Finalize(Vote candidate) implements Timer {}

  /** Timing of one election. */
  public record Timing(Duration finalizeWait, Duration maxResend) {}

  private final int myId;
  /** In id order: the same run sends in the same order, whatever the JVM's set iteration. */
  private final List<Integer> everyone;
  private final ElectionState state;
  private final Timing timing;
  private Duration resend;
  private Vote awaiting;
  private boolean decided;

  public ElectionRound(int myId, Set<Integer> voters, Set<Integer> everyone, boolean observer,
      Vote self, long lastClock, Timing timing) {
    this(myId, voters, Set.of(), everyone, observer, self, lastClock, timing);
  }

  /**
   * @param gone voters whose process was seen gone before this election (their peer port
   *     refused connects): once every other voter agrees, the round ends without waiting the
   *     finalize period for their votes
   */
  public ElectionRound(int myId, Set<Integer> voters, Set<Integer> gone, Set<Integer> everyone,
      boolean observer, Vote self, long lastClock, Timing timing) {
    this.myId = myId;
    this.everyone = everyone.stream().sorted().toList();
    this.state = new ElectionState(myId, voters, gone, observer, self, lastClock);
    this.timing = timing;
    this.resend = timing.finalizeWait();
  }

  public long clock() {
    return state.clock();
  }

  public Vote proposal() {
    return state.proposal();
  }

  public List<Effect> start() {
    List<Effect> out = new ArrayList<>();
    broadcast(out);
    out.add(new Arm(new Resend(), resend));
    if (state.stillBacked(state.proposal())) {
      // A lone voter is its own quorum; it still waits the finalize period like anyone.
      awaiting = state.proposal();
      out.add(new Arm(new Finalize(awaiting), timing.finalizeWait()));
    }
    return out;
  }

  public List<Effect> receive(int from, Notification n) {
    List<Effect> out = new ArrayList<>();
    if (decided) {
      return out;
    }
    ElectionState.Step step = state.receive(from, n);
    if (step.decided() != null) {
      if (step.broadcast()) {
        // The others still need this server's vote to see the same agreement.
        broadcast(out);
      }
      decide(out, step.decided());
      return out;
    }
    if (step.broadcast()) {
      broadcast(out);
    } else if (step.replyToSender()) {
      out.add(new Send(from, state.announcement()));
    }
    if (step.candidate() != null) {
      if (!step.candidate().equals(awaiting)) {
        awaiting = step.candidate();
        out.add(new Arm(new Finalize(awaiting), timing.finalizeWait()));
      }
    } else if (awaiting != null && !awaiting.equals(state.proposal())) {
      awaiting = null;
    }
    return out;
  }

  public List<Effect> fire(Timer timer) {
    List<Effect> out = new ArrayList<>();
    if (decided) {
      return out;
    }
    if (timer instanceof Resend) {
      broadcast(out);
      Duration doubled = resend.multipliedBy(2);
      resend = doubled.compareTo(timing.maxResend()) > 0 ? timing.maxResend() : doubled;
      out.add(new Arm(new Resend(), resend));
    } else if (timer instanceof Finalize f
        && f.candidate().equals(awaiting) && state.stillBacked(f.candidate())) {
      decide(out, f.candidate());
    }
    return out;
  }

  private void broadcast(List<Effect> out) {
    for (int id : everyone) {
      if (id != myId) {
        out.add(new Send(id, state.announcement()));
      }
    }
  }

  private void decide(List<Effect> out, Vote vote) {
    decided = true;
    out.add(new Decided(vote, state.clock()));
  }
}
