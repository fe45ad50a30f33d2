package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.paddock.client.ClientPekkoConfig;
import dev.paddock.door.TypedEntry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The typed-client port: a second actor system in the server's JVM, named
 * {@value ClientPekkoConfig#CLIENT_SYSTEM}, whose only addressable actor is the
 * {@link TypedEntry}. Its remoting runs in untrusted mode: system messages (watch, PoisonPill,
 * Kill), remote deployment and selections of any path but the entry's are dropped. The servers'
 * own system, on the peer port, thereby never has to accept a client. The endpoint lives and
 * dies with the node: it stops when the node stops, and the node stops (exiting non-zero) when
 * the endpoint fails.
 */
final class TypedClientEndpoint {
  static final String KEY = "paddock.typed-client-port";
  private static final Logger LOG = LoggerFactory.getLogger(TypedClientEndpoint.class);
  private static final Duration FIND_TRACKER_EVERY = Duration.ofMillis(100);

  private TypedClientEndpoint() {}

  /** The configured port; 0 when typed clients are not served. */
  static int port(Config config) {
    if (!config.hasPath(KEY)) {
      return 0;
    }
    int port;
    try {
      port = config.getInt(KEY);
    } catch (ConfigException.WrongType notANumber) {
      boolean on;
      try {
        on = config.getBoolean(KEY);
      } catch (ConfigException.WrongType e) {
        throw new ConfigError(KEY, "expected a port number, or off");
      }
      if (on) {
        throw new ConfigError(KEY, "expected a port number, or off");
      }
      return 0;
    }
    if (port < 0 || port > 65535) {
      throw new ConfigError(KEY, "port out of range: " + port);
    }
    return port;
  }

  /** Checked before the node starts: a bad value or a clash with the peer port. */
  static int check(Config config, Settings settings) {
    int port = port(config);
    if (port != 0 && port == settings.peerPort()) {
      throw new ConfigError(KEY, "must differ from paddock.peer-port (" + port + ")");
    }
    return port;
  }

  /**
   * Opens the endpoint beside the node of {@code ctx}, if a port is configured. A second actor
   * system with remoting takes about a second to start in a fresh JVM; it starts on a
   * blocking-I/O thread so that the node's recovery runs meanwhile instead of after it. The
   * returned stage completes once typed clients can connect (at once without a port) and fails
   * when the endpoint could not open, which also stops the node.
   */
  static CompletionStage<Void> start(ActorContext<QuorumPeer.Command> ctx, Settings settings) {
    ActorSystem<?> node = ctx.getSystem();
    int port = port(node.settings().config());
    if (port == 0) {
      return CompletableFuture.completedFuture(null);
    }
    ActorRef<QuorumPeer.Command> peer = ctx.getSelf();
    CompletableFuture<ActorSystem<Object>> opening = CompletableFuture.supplyAsync(
        () -> open(node, peer, settings, port),
        node.dispatchers().lookup(DispatcherSelector.blocking()));
    // Registered before the system exists: the node may be asked to stop while it starts, and
    // then waits for it to finish starting before stopping it.
    CoordinatedShutdown.get(node).addTask(CoordinatedShutdown.PhaseServiceUnbind(),
        "typed-client-port", () -> opening.handle((clients, failed) -> clients)
            .thenCompose(clients -> {
              if (clients == null) {
                return CompletableFuture.completedFuture(Done.getInstance());
              }
              clients.terminate();
              return clients.getWhenTerminated().thenApply(t -> Done.getInstance());
            }));
    return opening.thenApply(clients -> null);
  }

  private static ActorSystem<Object> open(ActorSystem<?> node, ActorRef<QuorumPeer.Command> peer,
      Settings settings, int port) {
    ActorSystem<Object> clients;
    try {
      clients = ActorSystem.create(guardian(peer), ClientPekkoConfig.CLIENT_SYSTEM,
          config(node.settings().config(), settings.host(), port));
    } catch (RuntimeException e) {
      LOG.error("cannot open the typed-client port {}:{} ({}): {}", settings.host(), port, KEY,
          e.getMessage());
      CoordinatedShutdown.get(node).run(CriticalParts.PART_STOPPED);
      throw e;
    }
    LOG.info("typed clients served on {}:{}", settings.host(), port);
    node.getWhenTerminated().thenRun(clients::terminate);
    clients.getWhenTerminated().thenRun(() -> {
      if (CoordinatedShutdown.get(node).getShutdownReason().isEmpty()) {
        LOG.error("the typed-client endpoint stopped unexpectedly; shutting the node down");
        CoordinatedShutdown.get(node).run(CriticalParts.PART_STOPPED);
      }
    });
    return clients;
  }

  /**
   * The node's settings (serializers, logging) with remoting of its own: plain remote provider
   * (never a cluster member), untrusted mode, and the entry as the only path clients may select.
   */
  static Config config(Config nodeConfig, String host, int port) {
    return ConfigFactory.parseMap(Map.of(
            "pekko.actor.provider", "remote",
            "pekko.remote.artery.transport", "tcp",
            "pekko.remote.artery.canonical.hostname", host,
            "pekko.remote.artery.canonical.port", port,
            "pekko.remote.artery.bind.hostname", "",
            "pekko.remote.artery.bind.port", "",
            "pekko.remote.artery.untrusted-mode", "on",
            // The node's own shutdown stops this system; a hook of its own could finish first on
            // SIGTERM and make a requested stop look like a failed part.
            "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off",
            "pekko.remote.artery.trusted-selection-paths", List.of(ClientPekkoConfig.ENTRY_PATH)))
        .withFallback(nodeConfig)
        .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("remote"))
        .resolve();
  }

  /** Spawns the entry and hands it the node's session tracker once recovery created it. */
  private static Behavior<Object> guardian(ActorRef<QuorumPeer.Command> peer) {
    return Behaviors.setup(ctx -> {
      ActorRef<Object> entry = ctx.spawn(TypedEntry.create(PekkoConfig.SYSTEM_NAME),
          ClientPekkoConfig.ENTRY_NAME);
      ctx.watch(entry);
      askForTracker(ctx, peer, entry);
      return Behaviors.receive(Object.class)
          .onMessage(Step.class, step -> {
            step.action().run();
            return Behaviors.same();
          })
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .build();
    });
  }

  private static void askForTracker(ActorContext<Object> ctx, ActorRef<QuorumPeer.Command> peer,
      ActorRef<Object> entry) {
    ctx.ask(QuorumPeer.Status.class, peer, Duration.ofSeconds(5), QuorumPeer.GetStatus::new,
        (status, failure) -> new Step(() -> {
          if (status != null && status.sessions() != null) {
            entry.tell(new TypedEntry.TrackerReady(status.sessions()));
          } else {
            ctx.scheduleOnce(FIND_TRACKER_EVERY, ctx.getSelf(),
                new Step(() -> askForTracker(ctx, peer, entry)));
          }
        }));
  }

  /**
   * Work the guardian does for itself. A type of its own, bound to no serializer, so nothing that
   * arrives from the network (the guardian's path is reachable by ref) can be taken for it.
   */
  private record Step(Runnable action) {}
}
