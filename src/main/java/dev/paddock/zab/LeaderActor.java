package dev.paddock.zab;

import dev.paddock.request.WritePath;
import dev.paddock.txnlog.LogBatcher;
import dev.paddock.request.WriteRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The actor shell of the leading role ({@link LeaderState} holds the protocol): turns packets,
 * session requests, log confirmations and timers into events, and carries out the effects,
 * with one {@link ProposalQueue} child per connected learner. A standalone server is a leader
 * whose only voter is itself. It also proposes the removal of expired containers and TTL
 * nodes ({@link ContainerReaper}) through the ordinary write path.
 */
public final class LeaderActor extends AbstractBehavior<LeaderActor.Command> {

  public sealed interface Command {}

  public record FromPeer(int from, Packet packet) implements Command {}

  /** FIFO delivery from this peer was broken, or the cluster considers it unreachable. */
  public record PeerLost(int peer) implements Command {}

  private record FromSession(WritePath request) implements Command {}

  private record FromLog(LogBatcher.Logged logged) implements Command {}

  private record ControlDone(Done done) implements Command {}

  private record Timer(ZabEvent event) implements Command {}

  private record ReapContainers() implements Command {}

  private final Zab env;
  private final LeaderState state;
  private final RoleShell<Command> shell;
  private final Map<Integer, ActorRef<ProposalQueue.Command>> queues = new HashMap<>();
  private final ZabStats stats;
  private final ZabStats.ProposalClock proposalClock;

  public static Behavior<Command> create(Zab env) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new LeaderActor(ctx, timers, env).begin()));
  }

  private LeaderActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Zab env) {
    super(ctx);
    this.env = env;
    this.state = new LeaderState(env.role(), env.logState(), env.view()::latest,
        System::currentTimeMillis, System.nanoTime(), ctx.getLog());
    this.shell = new RoleShell<>(ctx, env,
        ctx.messageAdapter(LogBatcher.Logged.class, FromLog::new),
        ctx.messageAdapter(Done.class, ControlDone::new),
        ctx.messageAdapter(WritePath.class, FromSession::new),
        tree -> {
          throw new IllegalStateException("a leader saves no SNAP trees");
        });
    this.stats = ZabStats.get(ctx.getSystem());
    this.proposalClock = stats.proposalClock();
    stats.publish(List.of());
    timers.startTimerWithFixedDelay(new Timer(new ZabEvent.Tick()), env.timers().tick());
    timers.startTimerWithFixedDelay(new Timer(new ZabEvent.Beat()), env.timers().leaderBeat());
    if (!env.containerCheckInterval().isZero()) {
      timers.startTimerWithFixedDelay(new ReapContainers(), env.containerCheckInterval());
    }
  }

  private Behavior<Command> begin() {
    return carryOut(state.start());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromPeer.class, f -> step(new ZabEvent.Received(f.from(), f.packet())))
        .onMessage(PeerLost.class, p -> step(new ZabEvent.LinkLost(p.peer())))
        .onMessage(FromSession.class, f -> step(fromSession(f.request())))
        .onMessage(FromLog.class, f -> step(new ZabEvent.Logged(f.logged().lastZxid())))
        .onMessage(ControlDone.class, d -> step(shell.confirmed()))
        .onMessage(Timer.class, t -> {
          Behavior<Command> next = step(t.event());
          stats.publish(next == this ? state.learners() : List.of());
          return next;
        })
        .onMessage(ReapContainers.class, r -> reapContainers())
        .build();
  }

  static ZabEvent fromSession(WritePath request) {
    if (request instanceof WritePath.SubmitWrite w) {
      return new ZabEvent.ClientWrite(w.request());
    } else if (request instanceof WritePath.SubmitSync s) {
      return new ZabEvent.ClientSync(s.sessionId(), s.cxid());
    }
    WritePath.Revalidate r = (WritePath.Revalidate) request;
    return new ZabEvent.Revalidate(r.sessionId(), r.token());
  }

  private Behavior<Command> step(ZabEvent event) {
    return carryOut(state.step(event, System.nanoTime()));
  }

  private Behavior<Command> carryOut(List<ZabEffect> effects) {
    for (ZabEffect e : effects) {
      if (e instanceof ZabEffect.Persist p && p.op() instanceof LogOp.Append a) {
        a.entries().forEach(entry -> proposalClock.proposed(entry.zxid()));
      } else if (e instanceof ZabEffect.Apply a && !a.entries().isEmpty()) {
        proposalClock.committed(a.entries().get(a.entries().size() - 1).zxid());
      }
    }
    if (shell.run(effects, this::onQueueEffect)) {
      return this;
    }
    stats.publish(List.of());
    return Behaviors.stopped();
  }

  private boolean onQueueEffect(ZabEffect e) {
    if (e instanceof ZabEffect.OpenQueue o) {
      queues.put(o.learner(), getContext().spawnAnonymous(
          ProposalQueue.create(o.learner(), o.connection(), o.observer(), env.peers(),
              env.snapPacing())));
    } else if (e instanceof ZabEffect.Enqueue q) {
      ActorRef<ProposalQueue.Command> queue = queues.get(q.learner());
      if (queue != null) {
        queue.tell(new ProposalQueue.Offer(q.item()));
      }
    } else if (e instanceof ZabEffect.CloseQueue c) {
      ActorRef<ProposalQueue.Command> queue = queues.remove(c.learner());
      if (queue != null) {
        getContext().stop(queue);
      }
    } else {
      return false;
    }
    return true;
  }

  private Behavior<Command> reapContainers() {
    if (!state.established()) {
      return this;
    }
    Behavior<Command> next = this;
    for (WriteRequest r : ContainerReaper.due(env.view().latest(),
        System.currentTimeMillis())) {
      next = step(new ZabEvent.ClientWrite(r));
      if (next != this) {
        return next;
      }
    }
    return next;
  }

  static long newConnectionId() {
    return ThreadLocalRandom.current().nextLong();
  }
}
