package dev.paddock.admin;

import dev.paddock.metrics.NodeMetrics;
import java.net.InetSocketAddress;
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
 */
public final class AdminServer extends AbstractBehavior<AdminServer.Command> {

  public sealed interface Command {}

  private record Bound(ServerBinding binding) implements Command {}

  private record BindFailed(Throwable cause) implements Command {}

  private final AdminSettings settings;
  private ServerBinding binding;

  public static Behavior<Command> create(AdminSettings settings, NodeAccess node) {
    return Behaviors.setup(ctx -> new AdminServer(ctx, settings, node));
  }

  private AdminServer(ActorContext<Command> ctx, AdminSettings settings, NodeAccess node) {
    super(ctx);
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
