package dev.paddock.election;

import dev.paddock.peers.Peers;
import java.time.Duration;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * FastLeaderElection for one LOOKING period: broadcasts this server's vote, adopts better ones,
 * and once a quorum backs a proposal waits a short finalize period for anything better before it
 * reports the outcome. Re-sends its vote with backoff while it hears nothing, so a server that
 * comes up late still finds the others.
 */
public final class ElectionActor extends AbstractBehavior<ElectionActor.Command> {

  public sealed interface Command {}

  /** A notification received from a peer. */
  public record Received(int from, Notification notification) implements Command {}

  /** The outcome, told to the parent. */
  public record Elected(Vote vote, long electionEpoch) {}

  private record Resend() implements Command {}

  private record Finalize(Vote candidate) implements Command {}

  /** Timing of one election. */
  public record Timing(Duration finalizeWait, Duration maxResend) {}

  private final int myId;
  private final Set<Integer> everyone;
  private final ActorRef<Peers.Command> peers;
  private final ActorRef<Elected> parent;
  private final ElectionState state;
  private final TimerScheduler<Command> timers;
  private final Timing timing;
  private Duration resend;
  private Vote awaiting;

  public static Behavior<Command> create(int myId, Set<Integer> voters, Set<Integer> everyone,
      boolean observer, Vote self, long lastClock, ActorRef<Peers.Command> peers,
      ActorRef<Elected> parent, Timing timing) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ElectionActor(ctx, timers,
        myId, new ElectionState(myId, voters, observer, self, lastClock), everyone, peers,
        parent, timing)));
  }

  private ElectionActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, int myId,
      ElectionState state, Set<Integer> everyone, ActorRef<Peers.Command> peers,
      ActorRef<Elected> parent, Timing timing) {
    super(ctx);
    this.myId = myId;
    this.everyone = everyone;
    this.peers = peers;
    this.parent = parent;
    this.state = state;
    this.timers = timers;
    this.timing = timing;
    this.resend = timing.finalizeWait();
    ctx.getLog().info("looking for a leader: round {}, own vote {}", state.clock(),
        state.proposal());
    broadcast();
    timers.startSingleTimer(new Resend(), resend);
    if (state.stillBacked(state.proposal())) {
      // A lone voter is its own quorum; it still waits the finalize period like anyone.
      awaiting = state.proposal();
      timers.startSingleTimer(new Finalize(awaiting), timing.finalizeWait());
    }
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Received.class, this::onReceived)
        .onMessage(Resend.class, r -> {
          broadcast();
          resend = resend.multipliedBy(2).compareTo(timing.maxResend()) > 0
              ? timing.maxResend() : resend.multipliedBy(2);
          timers.startSingleTimer(new Resend(), resend);
          return this;
        })
        .onMessage(Finalize.class, f -> {
          if (f.candidate().equals(awaiting) && state.stillBacked(f.candidate())) {
            return decide(f.candidate());
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onReceived(Received r) {
    ElectionState.Step step = state.receive(r.from(), r.notification());
    if (step.decided() != null) {
      return decide(step.decided());
    }
    if (step.broadcast()) {
      broadcast();
    } else if (step.replyToSender()) {
      peers.tell(new Peers.Send(r.from(), state.announcement()));
    }
    if (step.candidate() != null) {
      if (!step.candidate().equals(awaiting)) {
        awaiting = step.candidate();
        timers.startSingleTimer(new Finalize(awaiting), timing.finalizeWait());
      }
    } else if (awaiting != null && !awaiting.equals(state.proposal())) {
      awaiting = null;
    }
    return this;
  }

  private void broadcast() {
    for (int id : everyone) {
      if (id != myId) {
        peers.tell(new Peers.Send(id, state.announcement()));
      }
    }
  }

  private Behavior<Command> decide(Vote vote) {
    getContext().getLog().info("election round {} decided: leader {}", state.clock(),
        vote.leaderId());
    parent.tell(new Elected(vote, state.clock()));
    return Behaviors.stopped();
  }
}
