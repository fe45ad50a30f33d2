package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.node.PekkoConfig;
import dev.paddock.node.QuorumPeer;
import dev.paddock.node.Settings;
import dev.paddock.node.TestNodes;
import dev.paddock.peers.Peers;
import dev.paddock.session.DataTreeActor;
import dev.paddock.txnlog.TxnLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Several servers, each its own actor system, in one JVM on loopback: start, kill (the whole
 * actor system, as a crash) and restart them on the same ports and data dirs, cut and heal the
 * links between them, and compare their trees.
 */
public final class Ensemble implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(30);

  private final Path root;
  private final int voters;
  private final int observers;
  private final Map<String, Object> overrides;
  private final int[] peerPorts;
  private static final Duration SLOW_STOP = Duration.ofSeconds(10);
  private final Map<Integer, ActorTestKit> kits = new HashMap<>();
  private final Map<Integer, ActorRef<QuorumPeer.Command>> peers = new HashMap<>();
  private final Map<Integer, CrashPoints> crashPoints = new HashMap<>();
  private IntFunction<Map<String, Object>> perServer = id -> Map.of();

  public Ensemble(Path root, int voters, int observers, Map<String, Object> overrides) {
    this.root = root;
    this.voters = voters;
    this.observers = observers;
    this.overrides = overrides;
    this.peerPorts = new int[voters + observers + 1];
    int[] ports = TestNodes.freePorts(voters + observers);
    for (int id = 1; id <= voters + observers; id++) {
      peerPorts[id] = ports[id - 1];
    }
  }

  /** Settings that differ between servers (e.g. each one's own key store). */
  public Ensemble perServer(IntFunction<Map<String, Object>> settings) {
    this.perServer = settings;
    return this;
  }

  /** The "host:port" of server {@code id}'s peer port. */
  public String peerAddress(int id) {
    return "127.0.0.1:" + peerPorts[id];
  }

  public int size() {
    return voters + observers;
  }

  public List<Integer> ids() {
    List<Integer> ids = new ArrayList<>();
    for (int id = 1; id <= size(); id++) {
      ids.add(id);
    }
    return ids;
  }

  public Config config(int id) {
    StringBuilder servers = new StringBuilder("paddock.servers = [");
    for (int s = 1; s <= size(); s++) {
      servers.append(String.format("{id = %d, host = \"127.0.0.1\", peer-port = %d, "
          + "client-port = 0, role = %s},", s, peerPorts[s], s > voters ? "observer" : "voter"));
    }
    servers.append("]");
    Map<String, Object> base = new HashMap<>(Map.of(
        "paddock.my-id", id,
        "paddock.data-dir", root.resolve("node" + id).toString(),
        "paddock.tick-time", "100ms",
        "paddock.init-limit", 50,
        "paddock.sync-limit", 10,
        "paddock.session-secret", "ensemble-secret",
        // Test clients do not ping; their sessions must outlive a restart of some server.
        "paddock.max-session-timeout", "60s",
        "paddock.client-port", 0,
        // Every start zero-fills a fresh segment; the default 64 MiB costs seconds per test.
        "paddock.journal.segment-size", "4 MiB",
        // A kill is a crash: no graceful cluster leave, which in a larger ensemble can wait
        // for convergence that the servers killed before never give.
        "pekko.coordinated-shutdown.run-by-actor-system-terminate", "off"));
    // Many servers share a test JVM and a loaded machine: more patience than a production
    // server's keeps stalls of the whole JVM from looking like dead leaders.
    base.put("paddock.leader-timeout", "1s");
    base.putAll(overrides);
    base.putAll(perServer.apply(id));
    Config loaded = ConfigFactory.parseMap(base)
        .withFallback(ConfigFactory.parseString(servers.toString()))
        .withFallback(ConfigFactory.load()).resolve();
    return PekkoConfig.forNode(Settings.from(loaded), loaded);
  }

  /** Where server {@code id} keeps its tree snapshots (and, under log/, its journal). */
  public Path dataDir(int id) {
    return root.resolve("node" + id);
  }

  public Path journalDir(int id) {
    return dataDir(id).resolve("log");
  }

  /** The server's transaction log state (epochs, last logged zxid). */
  public TxnLog.Snapshot logState(int id) {
    TestProbe<TxnLog.Snapshot> probe = kits.get(id).createTestProbe();
    peers.get(id).tell(new QuorumPeer.GetLogState(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  public CrashPoints crashPoints(int id) {
    return crashPoints.computeIfAbsent(id, k -> new CrashPoints(point -> {
      ActorTestKit kit = kits.get(k);
      if (kit != null) {
        kit.system().terminate();
      }
    }));
  }

  public void start(int id) {
    Config config = config(id);
    // The peer is the guardian, as in a real node, so its gateway sits at /user/peers.
    ActorSystem<QuorumPeer.Command> system = ActorSystem.create(
        QuorumPeer.create(Settings.from(config), crashPoints(id)), "paddock", config);
    kits.put(id, ActorTestKit.create(system));
    peers.put(id, system);
  }

  public void startAll() {
    for (int id : ids()) {
      start(id);
    }
  }

  /** Stops a server abruptly (its actor system goes away; disk state stays). */
  public void kill(int id) {
    ActorTestKit kit = kits.remove(id);
    peers.remove(id);
    crashPoints.remove(id);
    if (kit != null) {
      stop(id, kit);
    }
  }

  /**
   * Stops a server's actor system. One that has not stopped after {@link #SLOW_STOP} writes
   * every thread's stack to the test output before the wait goes on (to the testkit's
   * shutdown bound), so a stop that hangs on a loaded machine can be read afterwards.
   */
  private static void stop(int id, ActorTestKit kit) {
    var stopped = kit.system().getWhenTerminated().toCompletableFuture();
    kit.system().terminate();
    try {
      stopped.get(SLOW_STOP.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      StringBuilder dump = new StringBuilder("server " + id + " has not stopped after "
          + SLOW_STOP.toSeconds() + " s; its JVM's threads:\n");
      Thread.getAllStackTraces().forEach((thread, stack) -> {
        dump.append('"').append(thread.getName()).append("\" ").append(thread.getState())
            .append('\n');
        for (StackTraceElement frame : stack) {
          dump.append("    at ").append(frame).append('\n');
        }
      });
      System.err.println(dump);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
    kit.shutdownTestKit();
  }

  public void restart(int id) {
    kill(id);
    start(id);
  }

  public boolean running(int id) {
    ActorTestKit kit = kits.get(id);
    return kit != null && !kit.system().whenTerminated().isCompleted();
  }

  /** After a crash point fired, wait for the system to be gone and forget it. */
  public void awaitCrashed(int id) {
    ActorTestKit kit = kits.get(id);
    kit.system().getWhenTerminated().toCompletableFuture().orTimeout(30,
        java.util.concurrent.TimeUnit.SECONDS).join();
    kill(id);
  }

  public ActorTestKit kit(int id) {
    return kits.get(id);
  }

  public QuorumPeer.Status status(int id) {
    ActorTestKit kit = kits.get(id);
    TestProbe<QuorumPeer.Status> probe = kit.createTestProbe();
    peers.get(id).tell(new QuorumPeer.GetStatus(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  /** The ZooKeeper client port server {@code id} listens on (ephemeral in tests). */
  public int clientPort(int id) {
    TestProbe<java.net.InetSocketAddress> probe = kits.get(id).createTestProbe();
    peers.get(id).tell(new QuorumPeer.GetClientPort(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10)).getPort();
  }

  /** Waits until every running server serves, with one leader; returns its id. */
  public int awaitServing() {
    return awaitServing(WAIT);
  }

  public int awaitServing(Duration max) {
    return awaitServing(kits.keySet(), max);
  }

  /** Waits until the given running servers serve, with one leader among them; returns its id. */
  public int awaitServing(Collection<Integer> servers, Duration max) {
    return anyKit().createTestProbe().awaitAssert(max, Duration.ofMillis(50), () -> {
      int leader = -1;
      for (int id : servers) {
        QuorumPeer.Status s = status(id);
        assertTrue(s.serving(), "server " + id + " is " + s.mode());
        if (s.mode().equals("leader")) {
          leader = id;
        }
      }
      assertTrue(leader > 0, "no leader");
      for (int id : servers) {
        assertEquals(leader, status(id).leaderId(), "server " + id + " follows another");
      }
      return leader;
    });
  }

  /** Waits until server {@code id} runs but does not serve clients. */
  public void awaitNotServing(int id) {
    kits.get(id).createTestProbe().awaitAssert(WAIT, Duration.ofMillis(50), () -> {
      QuorumPeer.Status s = status(id);
      assertTrue(!s.serving(), "server " + id + " still serves as " + s.mode());
      return null;
    });
  }

  private ActorTestKit anyKit() {
    return kits.values().iterator().next();
  }

  public DataTreeActor.Info info(int id) {
    ActorTestKit kit = kits.get(id);
    TestProbe<DataTreeActor.Info> probe = kit.createTestProbe();
    status(id).tree().tell(new DataTreeActor.GetInfo(probe.ref()));
    return probe.receiveMessage(Duration.ofSeconds(10));
  }

  /** Waits until every running server has applied the same history (equal digests). */
  public void awaitConverged() {
    anyKit().createTestProbe().awaitAssert(WAIT, Duration.ofMillis(50), () -> {
      Map<Integer, String> seen = new HashMap<>();
      for (int id : kits.keySet()) {
        DataTreeActor.Info i = info(id);
        seen.put(id, Long.toHexString(i.lastZxid()) + "/" + Long.toHexString(i.digest()));
      }
      assertEquals(1, seen.values().stream().distinct().count(),
          "replicas differ: " + seen);
      return null;
    });
  }

  public void cut(int a, int b) {
    status(a).peers().tell(new Peers.Cut(b));
    status(b).peers().tell(new Peers.Cut(a));
  }

  /** Clears every cut on every running server (e.g. after the isolated server was killed). */
  public void healAll() {
    for (int id : kits.keySet()) {
      for (int other : ids()) {
        status(id).peers().tell(new Peers.Heal(other));
      }
    }
  }

  /** Cuts every link between {@code side} and the other servers (a network partition). */
  public void partition(Collection<Integer> side) {
    for (int a : side) {
      for (int b : ids()) {
        if (!side.contains(b)) {
          cut(a, b);
        }
      }
    }
  }

  public void heal(int a, int b) {
    status(a).peers().tell(new Peers.Heal(b));
    status(b).peers().tell(new Peers.Heal(a));
  }

  @Override
  public void close() {
    // All at once: over peer TLS, a server's Artery shutdown can wait on an association stream
    // until the far side closes the connection too (Pekko 1.7 bounds that wait nowhere), and
    // stopping the servers one by one would make each wait for the next.
    List<Integer> ids = new ArrayList<>(kits.keySet());
    ids.forEach(id -> kits.get(id).system().terminate());
    for (int id : ids) {
      kill(id);
    }
  }
}
