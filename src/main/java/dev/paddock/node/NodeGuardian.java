package dev.paddock.node;

import com.typesafe.config.Config;
import dev.paddock.admin.AdminServer;
import dev.paddock.admin.AdminSettings;
import dev.paddock.zab.CrashPoints;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root behavior of a node's actor system: the {@link QuorumPeer}, with the admin server
 * beside it when {@code paddock.admin.enabled} and the typed-client endpoint (its own actor
 * system) when {@code paddock.typed-client-port} is set.
 */
public final class NodeGuardian {
  static final String TEST_HOOKS = "PADDOCK_TEST_HOOKS";

  private NodeGuardian() {}

  public static Behavior<QuorumPeer.Command> create(Settings settings) {
    return Behaviors.setup(ctx -> {
      Config config = ctx.getSystem().settings().config();
      AdminSettings admin = AdminSettings.from(config);
      if (admin.enabled()) {
        // Starting Pekko HTTP and the metrics takes a fresh JVM about a second of class loading.
        // On the shared pool, one or two threads on a small machine, that held a thread while
        // the snapshot store waited behind it to start loading the tree, delaying every restart.
        ctx.spawn(AdminServer.create(admin,
            new NodeBridge(ctx.getSelf(), ctx.getSystem(), settings, admin, config)), "admin",
            DispatcherSelector.blocking());
      }
      CompletionStage<Void> typedClients = TypedClientEndpoint.start(ctx, settings);
      if ("stdin".equals(System.getenv(TEST_HOOKS))) {
        listenForFaults(ctx.getSelf());
      }
      // A node that answers on its client port answers typed clients as well.
      return QuorumPeer.create(settings, CrashPoints.NONE, typedClients);
    });
  }

  /**
   * End-to-end fault tests drive a node.jar process through its standard input: a line
   * "stop PART" stops that part of the server as a failure would ({@link QuorumPeer.StopPart}).
   * Only with the environment variable {@value #TEST_HOOKS}=stdin, which no deployment sets.
   */
  private static void listenForFaults(ActorRef<QuorumPeer.Command> peer) {
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          if (line.startsWith("stop ")) {
            peer.tell(new QuorumPeer.StopPart(line.substring(5).trim()));
          }
        }
      } catch (IOException e) {
        // Standard input closed: no more faults to inject.
      }
    }, "paddock-fault-hooks");
    reader.setDaemon(true);
    reader.start();
  }
}
