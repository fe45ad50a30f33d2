package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import dev.paddock.admin.AdminSettings;
import dev.paddock.cli.PaddockCli;
import dev.paddock.cli.StorageLayout;
import dev.paddock.session.AuditLog;
import dev.paddock.session.ClientLimits;
import dev.paddock.wire.ClientTls;
import dev.paddock.wire.ClientTlsSettings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.LoggerFactory;

/**
 * Starts a node: {@code java -jar node.jar [-Dkey=value ...]}, or runs one of the tools:
 * {@code java -jar node.jar [-Dkey=value ...] <command> ...}. Arguments of the form -Dkey=value
 * become system properties before configuration is loaded, so {@code -Dconfig.file=node1.conf}
 * after {@code -jar} works as operators expect. Bad configuration prints one line naming the key
 * and exits with status 2 before anything is written.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    List<String> command = new ArrayList<>();
    for (String arg : args) {
      if (command.isEmpty() && arg.startsWith("-D") && arg.indexOf('=') > 2) {
        int eq = arg.indexOf('=');
        System.setProperty(arg.substring(2, eq), arg.substring(eq + 1));
      } else if (command.isEmpty() && !PaddockCli.COMMANDS.contains(arg)) {
        fail("argument", "unexpected argument '" + arg + "' (expected -Dkey=value, or a "
            + "command: snapshot, log, verify, backup, restore, import-zookeeper, gen-certs, "
            + "--help)");
      } else {
        command.add(arg);
      }
    }
    if (!command.isEmpty()) {
      System.exit(PaddockCli.run(storageLayout(), System.out, System.err,
          command.toArray(String[]::new)));
      return;
    }
    ConfigFactory.invalidateCaches();
    Config loaded;
    Settings settings;
    boolean plainPeers;
    try {
      loaded = ConfigFactory.load();
      KnownKeys.check(loaded);
      settings = Settings.from(loaded);
      SessionSecret.checkEnsemble(settings);
      plainPeers = PeerTls.from(loaded).checkFor(settings.servers());
      checkStartable(settings);
      int typedPort = TypedClientEndpoint.check(loaded, settings);
      checkPortFree(TypedClientEndpoint.KEY, settings.host(), typedPort);
      AdminSettings admin = AdminSettings.from(loaded);
      checkAdmin(admin);
      ClientLimits.from(loaded);
      ClientTlsSettings tls = ClientTlsSettings.from(loaded);
      checkSecurePort(settings, tls);
      new PortPlan()
          .add("paddock.client-port", settings.clientPort())
          .add("paddock.peer-port", settings.standalone() ? 0 : settings.peerPort())
          .add(TypedClientEndpoint.KEY, typedPort)
          .add("paddock.secure-client-port", tls.enabled() ? tls.port() : 0)
          .add("paddock.admin.port", admin.enabled() ? admin.port() : 0)
          .checkDistinct();
      AuditLog.from(loaded);
      LogSetup.from(loaded).apply();
    } catch (AdminSettings.Invalid e) {
      fail(e.key(), e.problem());
      return;
    } catch (ClientLimits.Invalid e) {
      fail(e.key(), e.getMessage());
      return;
    } catch (ClientTlsSettings.Invalid e) {
      fail(e.key(), e.getMessage());
      return;
    } catch (ConfigError e) {
      fail(e.key(), e.getMessage().substring(e.key().length() + 2));
      return;
    } catch (ConfigException e) {
      fail("configuration", e.getMessage());
      return;
    }
    if (plainPeers) {
      LoggerFactory.getLogger(PeerTls.class).warn("peer traffic is unauthenticated: the "
          + "servers talk plain TCP, allowed because all of them are on loopback addresses; "
          + "set {}.* to authenticate them with TLS", PeerTls.PREFIX);
    }
    ActorSystem<?> system = ActorSystem.create(NodeGuardian.create(settings),
        PekkoConfig.SYSTEM_NAME, PekkoConfig.forNode(settings, loaded));
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeServiceUnbind(),
        "exit-watchdog", () -> {
          ExitWatchdog.arm(system.getWhenTerminated(), ExitWatchdog.GRACE, () -> {
            LoggerFactory.getLogger(ExitWatchdog.class).error("the actor system did not "
                + "terminate within {} s of its shutdown; ending the process",
                ExitWatchdog.GRACE.toSeconds());
            Runtime.getRuntime().halt(1);
          });
          return CompletableFuture.completedFuture(Done.getInstance());
        });
    system.getWhenTerminated().toCompletableFuture().join();
    // Only a requested stop (SIGTERM) is a clean exit; a server that stopped itself did so
    // because it must not run.
    boolean requested = CoordinatedShutdown.get(system).getShutdownReason()
        .filter(r -> r == CoordinatedShutdown.jvmExitReason()).isPresent();
    if (!requested) {
      System.exit(1);
    }
  }

  /** How the tools find and open a server's storage. */
  public static StorageLayout storageLayout() {
    return new StorageLayout(QuorumPeer.LOG_ID, QuorumPeer.TREE_ID, QuorumPeer.JOURNAL,
        QuorumPeer.SNAPSHOTS, (data, log) -> {
          Map<String, Object> dirs = new HashMap<>(Map.of(
              "paddock.data-dir", data.toString(),
              "paddock.data-log-dir", log == null ? "" : log.toString(),
              "paddock.servers", List.of(),
              "paddock.admin.enabled", false));
          Config loaded = ConfigFactory.parseMap(dirs).withFallback(ConfigFactory.load())
              .resolve();
          // A tool's actor system talks to nobody: no remoting, no cluster.
          return PekkoConfig.forNode(Settings.from(loaded), loaded)
              .withValue("pekko.actor.provider", ConfigValueFactory.fromAnyRef("local"))
              .withValue("pekko.loglevel", ConfigValueFactory.fromAnyRef("WARNING"));
        });
  }

  /** Catches what would otherwise fail later and half-way: ports taken, unwritable dirs. */
  static void checkStartable(Settings s) {
    checkWritable("paddock.data-dir", s.dataDir());
    checkWritable("paddock.data-log-dir", s.dataLogDir());
    if (!s.standalone()) {
      // A standalone server opens no peer port.
      checkPortFree("paddock.peer-port", s.host(), s.peerPort());
    }
    checkPortFree("paddock.client-port", s.clientPortAddress(), s.clientPort());
  }

  /** The stores are read now, so a bad path or password stops the server before it serves. */
  static void checkSecurePort(Settings s, ClientTlsSettings tls) {
    if (tls.enabled()) {
      if (tls.port() != 0 && tls.port() == s.clientPort()) {
        throw new ConfigError("paddock.secure-client-port", tls.port()
            + " is also client-port; the plaintext and TLS ports must differ");
      }
      ClientTls.load(tls);
      checkPortFree("paddock.secure-client-port", s.clientPortAddress(), tls.port());
    }
  }

  static void checkAdmin(AdminSettings admin) {
    if (admin.enabled()) {
      checkPortFree("paddock.admin.port", admin.address(), admin.port());
    }
  }

  private static void checkWritable(String key, Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw new ConfigError(key, dir + " is not a writable directory");
    }
  }

  private static void checkPortFree(String key, String host, int port) {
    if (port == 0) {
      return;
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new ConfigError(key, "cannot listen on " + host + ":" + port + " ("
          + e.getMessage() + ")");
    }
  }

  private static void fail(String key, String problem) {
    System.err.println("paddock: invalid configuration: " + key + ": " + problem);
    System.exit(2);
  }
}
