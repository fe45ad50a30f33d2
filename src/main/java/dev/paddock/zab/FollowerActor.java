package dev.paddock.zab;

import dev.paddock.request.WritePath;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.txnlog.LogBatcher;
import dev.paddock.tree.TreeSnapshot;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.pattern.StatusReply;

/**
 * The actor shell of a learner's role, follower or observer ({@link LearnerState} holds the
 * protocol): packets, session requests, log and snapshot confirmations and timers become
 * events; effects are carried out in order. On each tick it collects the sessions this server
 * heard from, which the learner forwards to the leader.
 */
public final class FollowerActor extends AbstractBehavior<FollowerActor.Command> {

  public sealed interface Command {}

  public record FromPeer(int from, Packet packet) implements Command {}

  public record PeerLost(int peer) implements Command {}

  /** A connect to {@code leaderId}'s peer port was refused: its process is gone. */
  public record LeaderGone(int leaderId) implements Command {}

  private record FromSession(WritePath request) implements Command {}

  private record FromLog(LogBatcher.Logged logged) implements Command {}

  private record ControlDone(Done done) implements Command {}

  private record SnapshotSaved(StatusReply<Done> reply, TreeSnapshot tree) implements Command {}

  private record Touched(List<Long> sessions) implements Command {}

  private record Timer(ZabEvent event) implements Command {}

  private record SnapDecoded(TreeSnapshot tree, Throwable failure) implements Command {}

  private final Zab env;
  private final LearnerState state;
  private final RoleShell<Command> shell;
  private final ActorRef<List<Long>> touchedAdapter;
  private final SnapSpool spool;

  public static Behavior<Command> create(Zab env, int leaderId, boolean observer) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new FollowerActor(ctx, timers, env, leaderId, observer).begin()));
  }

  private FollowerActor(ActorContext<Command> ctx, TimerScheduler<Command> timers, Zab env,
      int leaderId, boolean observer) {
    super(ctx);
    this.env = env;
    this.state = new LearnerState(env.role(), leaderId, observer,
        LeaderActor.newConnectionId(), env.logState(), env.view()::latest, System.nanoTime(),
        ctx.getLog());
    this.shell = new RoleShell<>(ctx, env,
        ctx.messageAdapter(LogBatcher.Logged.class, FromLog::new),
        ctx.messageAdapter(Done.class, ControlDone::new),
        ctx.messageAdapter(WritePath.class, FromSession::new),
        tree -> ctx.messageAdapter(statusClass(), r -> new SnapshotSaved(r, tree)));
    this.touchedAdapter = ctx.messageAdapter(listClass(), Touched::new);
    this.spool = new SnapSpool(env.spool());
    timers.startTimerWithFixedDelay(new Timer(new ZabEvent.Tick()), env.timers().tick());
    timers.startTimerWithFixedDelay(new Timer(new ZabEvent.Beat()), env.timers().leaderBeat());
  }

  private Behavior<Command> begin() {
    return carryOut(state.start());
  }

  @SuppressWarnings("unchecked")
  private static Class<List<Long>> listClass() {
    return (Class<List<Long>>) (Class<?>) List.class;
  }

  @SuppressWarnings("unchecked")
  private static Class<StatusReply<Done>> statusClass() {
    return (Class<StatusReply<Done>>) (Class<?>) StatusReply.class;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromPeer.class, f -> step(new ZabEvent.Received(f.from(), f.packet())))
        .onMessage(PeerLost.class, p -> step(new ZabEvent.LinkLost(p.peer())))
        .onMessage(LeaderGone.class, g -> step(new ZabEvent.LeaderGone(g.leaderId())))
        .onMessage(FromSession.class, f -> step(LeaderActor.fromSession(f.request())))
        .onMessage(FromLog.class, f -> step(new ZabEvent.Logged(f.logged().lastZxid())))
        .onMessage(ControlDone.class, d -> step(shell.confirmed()))
        .onMessage(SnapshotSaved.class, s -> step(new ZabEvent.SnapshotSaved(s.tree(),
            s.reply().isError() ? s.reply().getError().getMessage() : null)))
        .onMessage(Touched.class, t -> step(new ZabEvent.SessionsTouched(t.sessions())))
        .onMessage(Timer.class, this::onTimer)
        .onMessage(SnapDecoded.class, d -> step(new ZabEvent.SnapshotReceived(d.tree(),
            d.failure() == null ? null : String.valueOf(d.failure().getMessage()))))
        .onSignal(org.apache.pekko.actor.typed.PostStop.class, s -> {
          spool.close();
          return this;
        })
        .build();
  }

  private Behavior<Command> onTimer(Timer t) {
    if (t.event() instanceof ZabEvent.Tick && state.serving()) {
      env.tracker().tell(new SessionTrackerActor.DrainTouched(touchedAdapter));
    }
    return step(t.event());
  }

  private Behavior<Command> step(ZabEvent event) {
    return carryOut(state.step(event, System.nanoTime()));
  }

  private Behavior<Command> carryOut(List<ZabEffect> effects) {
    return shell.run(effects, this::onSpool) ? this : Behaviors.stopped();
  }

  private boolean onSpool(ZabEffect e) {
    if (!(e instanceof ZabEffect.SpoolSnapshot s)) {
      return false;
    }
    long progress = spool.append(s.index(), s.bytes());
    if (progress > 0) {
      getContext().getLog().info("SNAP from the leader: {} received",
          ProposalQueue.size(progress));
    }
    if (s.last()) {
      getContext().getLog().info("SNAP from the leader: {} received, decoding",
          ProposalQueue.size(spool.written()));
      var executor = getContext().getSystem().dispatchers()
          .lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
      getContext().pipeToSelf(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try {
          return spool.decode();
        } catch (java.io.IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      }, executor), SnapDecoded::new);
    }
    return true;
  }
}
