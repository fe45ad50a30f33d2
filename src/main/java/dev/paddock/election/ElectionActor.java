package dev.paddock.election;

import dev.paddock.peers.Peers;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The actor shell of one election ({@link ElectionRound} holds the logic): notifications and
 * timers in, sends and timers out; the outcome goes to the parent and the actor stops.
 */
public final class ElectionActor extends AbstractBehavior<ElectionActor.Command> {

  public sealed interface Command {}

  /** A notification received from a peer. */
  public record Received(int from, Notification notification) implements Command {}

  /** The outcome, told to the parent. */
  public record Elected(Vote vote, long electionEpoch) {}

  private record Fired(ElectionRound.Timer timer) implements Command {}

  private final ElectionRound round;
  private final ActorRef<Peers.Command> peers;
  private final ActorRef<Elected> parent;
  private final TimerScheduler<Command> timers;

  public static Behavior<Command> create(int myId, Set<Integer> voters, Set<Integer> everyone,
      boolean observer, Vote self, long lastClock, ActorRef<Peers.Command> peers,
      ActorRef<Elected> parent, ElectionRound.Timing timing) {
    return create(myId, voters, Set.of(), everyone, observer, self, lastClock, peers, parent,
        timing);
  }

  /** @param gone voters seen gone before this election (see {@link ElectionRound}) */
  public static Behavior<Command> create(int myId, Set<Integer> voters, Set<Integer> gone,
      Set<Integer> everyone, boolean observer, Vote self, long lastClock,
      ActorRef<Peers.Command> peers, ActorRef<Elected> parent, ElectionRound.Timing timing) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ElectionActor(ctx, timers,
        new ElectionRound(myId, voters, gone, everyone, observer, self, lastClock, timing),
        peers, parent).begin()));
  }

  private ElectionActor(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      ElectionRound round, ActorRef<Peers.Command> peers, ActorRef<Elected> parent) {
    super(ctx);
    this.round = round;
    this.peers = peers;
    this.parent = parent;
    this.timers = timers;
    ctx.getLog().info("looking for a leader: round {}, own vote {}", round.clock(),
        round.proposal());
  }

  private Behavior<Command> begin() {
    return carryOut(round.start());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Received.class, r -> carryOut(round.receive(r.from(), r.notification())))
        .onMessage(Fired.class, f -> carryOut(round.fire(f.timer())))
        .build();
  }

  private Behavior<Command> carryOut(List<ElectionRound.Effect> effects) {
    for (ElectionRound.Effect e : effects) {
      if (e instanceof ElectionRound.Send s) {
        peers.tell(new Peers.Send(s.to(), s.notification()));
      } else if (e instanceof ElectionRound.Arm a) {
        // The timer itself is the key: arming an equal one replaces it.
        timers.startSingleTimer(a.timer(), new Fired(a.timer()), a.after());
      } else if (e instanceof ElectionRound.Decided d) {
        getContext().getLog().info("election round {} decided: leader {}", d.electionEpoch(),
            d.vote().leaderId());
        parent.tell(new Elected(d.vote(), d.electionEpoch()));
        return Behaviors.stopped();
      }
    }
    return this;
  }
}
