package dev.paddock.admin;

import dev.paddock.metrics.NodeMetrics;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;

/**
 * The node's HTTP admin server (Pekko HTTP): ZooKeeper's admin commands, probes, Prometheus
 * metrics and the console. Binds when started and unbinds when the node stops. A port that
 * cannot be bound stops this actor with an error in the log; the node's start-up check reports
 * it as a configuration error before the node starts.
 *
 * <p>It starts once the node serves, or {@link #START_WITHIN} after the node started if it does
 * not serve by then (an operator needs the console most on a node that cannot elect a leader).
 * Starting Pekko HTTP and the metrics costs a fresh JVM about a second of CPU, which on a small
 * machine would otherwise be taken from the node's recovery and election.
 */
public final class AdminServer extends AbstractBehavior<AdminServer.Command> {

  public sealed interface Command {}

  private record Bound(ServerBinding binding) implements Command {}

  private record BindFailed(Throwable cause) implements Command {}

  private enum Start implements Command { CHECK, NOW, NOT_YET }

  static final Duration START_WITHIN = Duration.ofSeconds(5);
  private static final Duration CHECK_EVERY = Duration.ofMillis(50);

  private final AdminSettings settings;
  private ServerBinding binding;

  public static Behavior<Command> create(AdminSettings settings, NodeAccess node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Start.CHECK, CHECK_EVERY);
      timers.startSingleTimer(Start.NOW, START_WITHIN);
      return Behaviors.receive(Command.class)
          .onMessageEquals(Start.CHECK, () -> {
            ctx.pipeToSelf(node.status(), (status, failure) ->
                failure == null && status.serving() ? Start.NOW : Start.NOT_YET);
            return Behaviors.same();
          })
          .onMessageEquals(Start.NOT_YET, Behaviors::same)
          .onMessageEquals(Start.NOW, () -> {
            timers.cancelAll();
            return new AdminServer(ctx, settings, node);
          })
          .build();
    }));
  }

  private AdminServer(ActorContext<Command> ctx, AdminSettings settings, NodeAccess node) {
    super(ctx);
    ctx.setLoggerName(AdminServer.class);
    this.settings = settings;
    NodeMetrics metrics = new NodeMetrics(ctx.getSystem(), node.facts().journalPlugin(),
        node.facts().snapshotPlugin());
    AdminRoutes routes = new AdminRoutes(ctx.getSystem(), settings, node, metrics);
    ctx.pipeToSelf(Http.get(ctx.getSystem()).newServerAt(settings.address(), settings.port())
        .bind(routes.route()), (b, failure) -> failure == null ? new Bound(b)
            : new BindFailed(failure));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        // Answers to status checks still under way when the server started.
        .onMessage(Start.class, late -> this)
        .onMessage(Bound.class, b -> {
          binding = b.binding();
          InetSocketAddress local = binding.localAddress();
          getContext().getLog().info("admin server listening on http://{}:{}/",
              local.getHostString(), local.getPort());
          AdminBinding.get(getContext().getSystem()).bound(local);
          return this;
        })
        .onMessage(BindFailed.class, f -> {
          getContext().getLog().error("admin server cannot listen on {}:{}: {}",
              settings.address(), settings.port(), f.cause().toString());
          AdminBinding.get(getContext().getSystem()).failed(f.cause());
          return Behaviors.stopped();
        })
        .onSignal(PostStop.class, s -> {
          if (binding != null) {
            binding.unbind();
          }
          return this;
        })
        .build();
  }
}
