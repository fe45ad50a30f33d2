package dev.paddock.node;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.paddock.wire.ClientPortSettings;
import dev.paddock.zab.RoleConfig;
import dev.paddock.zab.ZabBugs;
import dev.paddock.zab.ZabTimers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Everything a node reads from configuration, read and checked once at start-up. */
public record Settings(
    int myId,
    Path dataDir,
    Path dataLogDir,
    String host,
    int peerPort,
    int clientPort,
    String clientPortAddress,
    int maxClientCnxns,
    List<String> fourLetterWords,
    Duration tickTime,
    int minSessionTimeoutMs,
    int maxSessionTimeoutMs,
    int initLimit,
    int syncLimit,
    Duration leaderBeat,
    Duration leaderTimeout,
    int maxBuffer,
    int snapCount,
    int snapRetainCount,
    int diffWindow,
    String sessionSecret,
    String superDigest,
    Duration containerCheckInterval,
    List<ServerSpec> servers,
    int snapChunkBytes,
    int snapWindow,
    long snapSizeLimit) {

  public static Settings from(Config root) {
    Config c = root.getConfig("paddock");
    int myId = intIn(c, "my-id", 0, 254);
    Path dataDir = Path.of(string(c, "data-dir"));
    String logDir = string(c, "data-log-dir");
    Path dataLogDir = logDir.isEmpty() ? dataDir.resolve("log") : Path.of(logDir);
    Duration tick = duration(c, "tick-time");
    if (tick.toMillis() < 1) {
      throw new ConfigError("paddock.tick-time", "must be at least 1ms");
    }
    int tickMs = (int) tick.toMillis();
    Duration beat = duration(c, "leader-beat");
    Duration leaderTimeout = duration(c, "leader-timeout");
    if (beat.toMillis() < 1) {
      throw new ConfigError("paddock.leader-beat", "must be at least 1ms");
    }
    if (leaderTimeout.compareTo(beat.multipliedBy(2)) < 0) {
      throw new ConfigError("paddock.leader-timeout", leaderTimeout.toMillis()
          + "ms is under twice leader-beat (" + beat.toMillis() + "ms)");
    }
    int minTimeout = (int) duration(c, "min-session-timeout").toMillis();
    int maxTimeout = (int) duration(c, "max-session-timeout").toMillis();
    minTimeout = minTimeout == 0 ? 2 * tickMs : minTimeout;
    maxTimeout = maxTimeout == 0 ? 20 * tickMs : maxTimeout;
    if (minTimeout > maxTimeout) {
      throw new ConfigError("paddock.min-session-timeout",
          minTimeout + "ms is above max-session-timeout " + maxTimeout + "ms");
    }
    String superDigest = string(c, "super-digest");
    if (!superDigest.isEmpty() && superDigest.split(":").length != 2) {
      throw new ConfigError("paddock.super-digest", "expected user:base64digest");
    }
    List<ServerSpec> servers = servers(c);
    if (!servers.isEmpty() && servers.stream().noneMatch(s -> s.id() == myId)) {
      throw new ConfigError("paddock.my-id", "server " + myId + " is not in paddock.servers");
    }
    Settings s = new Settings(
        myId, dataDir, dataLogDir, string(c, "host"),
        port(c, "peer-port"), port(c, "client-port"), string(c, "client-port-address"),
        intIn(c, "max-client-cnxns", 0, Integer.MAX_VALUE), stringList(c, "four-letter-words"),
        tick, minTimeout, maxTimeout,
        intIn(c, "init-limit", 1, 1000), intIn(c, "sync-limit", 1, 1000), beat, leaderTimeout,
        intIn(c, "max-buffer", 1024, Integer.MAX_VALUE - 1024),
        intIn(c, "snap-count", 2, Integer.MAX_VALUE), intIn(c, "snap-retain-count", 1, 1000),
        intIn(c, "diff-window", 1, 10_000_000),
        string(c, "session-secret"), superDigest, duration(c, "container-check-interval"),
        servers, (int) Math.min(Integer.MAX_VALUE, bytesIn(c, "snap-chunk-size", 1024)),
        intIn(c, "snap-window", 1, 1024), bytesIn(c, "snap-size-limit", 1024));
    return s.withOwnAddress();
  }

  /** In an ensemble, this server's host and ports come from its own `servers` entry. */
  private Settings withOwnAddress() {
    for (ServerSpec spec : servers) {
      if (spec.id() == myId) {
        return new Settings(myId, dataDir, dataLogDir, spec.host(), spec.peerPort(),
            spec.clientPort(), clientPortAddress, maxClientCnxns, fourLetterWords, tickTime,
            minSessionTimeoutMs, maxSessionTimeoutMs, initLimit, syncLimit, leaderBeat,
            leaderTimeout, maxBuffer, snapCount, snapRetainCount, diffWindow, sessionSecret,
            superDigest, containerCheckInterval, servers, snapChunkBytes, snapWindow,
            snapSizeLimit);
      }
    }
    return this;
  }

  /** The client port's share of these settings. */
  public ClientPortSettings forClientPort(String journalPluginId) {
    return new ClientPortSettings(clientPortAddress, clientPort, maxClientCnxns, maxBuffer,
        fourLetterWords, journalPluginId, new ClientPortSettings.Conf(myId, dataDir, dataLogDir,
            tickMs(), minSessionTimeoutMs, maxSessionTimeoutMs));
  }

  public boolean standalone() {
    return servers.isEmpty();
  }

  public int tickMs() {
    return (int) tickTime.toMillis();
  }

  public List<ServerSpec> voters() {
    return servers.stream().filter(s -> !s.observer()).toList();
  }

  public boolean isObserver() {
    return servers.stream().anyMatch(s -> s.id() == myId && s.observer());
  }

  private static List<ServerSpec> servers(Config c) {
    List<? extends Config> list;
    try {
      list = c.getConfigList("servers");
    } catch (ConfigException e) {
      throw new ConfigError("paddock.servers", "expected a list of {id, host, peer-port, "
          + "client-port, role}: " + e.getMessage());
    }
    List<ServerSpec> out = new ArrayList<>();
    Set<Integer> ids = new HashSet<>();
    Set<String> addresses = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      Config s = list.get(i);
      String key = "paddock.servers[" + i + "]";
      int id;
      String host;
      int peerPort;
      int clientPort;
      String role;
      try {
        id = s.getInt("id");
        host = s.getString("host");
        peerPort = s.getInt("peer-port");
        clientPort = s.getInt("client-port");
        role = s.hasPath("role") ? s.getString("role") : "voter";
      } catch (ConfigException e) {
        throw new ConfigError(key, e.getMessage());
      }
      if (id < 0 || id > 254) {
        throw new ConfigError(key + ".id", "must be in [0, 254], was " + id);
      }
      if (!ids.add(id)) {
        throw new ConfigError(key + ".id", "duplicate server id " + id);
      }
      if (!role.equals("voter") && !role.equals("observer")) {
        throw new ConfigError(key + ".role", "must be voter or observer, was " + role);
      }
      checkPort(key + ".peer-port", peerPort);
      if (clientPort != 0) {
        // 0 picks a free port, which only tests use.
        checkPort(key + ".client-port", clientPort);
      }
      if (!addresses.add(host + ":" + peerPort)) {
        throw new ConfigError(key + ".peer-port", "duplicate address " + host + ":" + peerPort);
      }
      out.add(new ServerSpec(id, host, peerPort, clientPort, role.equals("observer")));
    }
    if (!out.isEmpty() && out.stream().allMatch(ServerSpec::observer)) {
      throw new ConfigError("paddock.servers", "at least one server must be a voter");
    }
    return List.copyOf(out);
  }

  private static String string(Config c, String key) {
    try {
      return c.getString(key);
    } catch (ConfigException e) {
      throw new ConfigError("paddock." + key, "expected a string: " + e.getMessage());
    }
  }

  private static List<String> stringList(Config c, String key) {
    try {
      return List.copyOf(c.getStringList(key));
    } catch (ConfigException e) {
      throw new ConfigError("paddock." + key, "expected a list of strings: " + e.getMessage());
    }
  }

  private static Duration duration(Config c, String key) {
    try {
      Duration d = c.getDuration(key);
      if (d.isNegative()) {
        throw new ConfigError("paddock." + key, "must not be negative");
      }
      return d;
    } catch (ConfigException e) {
      throw new ConfigError("paddock." + key, "expected a duration such as 2000ms: "
          + e.getMessage());
    }
  }

  private static int intIn(Config c, String key, int min, int max) {
    int v;
    try {
      v = c.getInt(key);
    } catch (ConfigException e) {
      throw new ConfigError("paddock." + key, "expected an integer: " + e.getMessage());
    }
    if (v < min || v > max) {
      throw new ConfigError("paddock." + key, "must be in [" + min + ", " + max + "], was " + v);
    }
    return v;
  }

  /** A size such as 512k or 1m, at least {@code min} bytes. */
  private static long bytesIn(Config c, String key, long min) {
    long v;
    try {
      v = c.getBytes(key);
    } catch (ConfigException e) {
      throw new ConfigError("paddock." + key, "expected a size such as 512k: " + e.getMessage());
    }
    if (v < min) {
      throw new ConfigError("paddock." + key, "must be at least " + min + " bytes, was " + v);
    }
    return v;
  }

  private static int port(Config c, String key) {
    int v = intIn(c, key, 0, 65535);
    return v;
  }

  private static void checkPort(String key, int port) {
    if (port < 1 || port > 65535) {
      throw new ConfigError(key, "must be a port in [1, 65535], was " + port);
    }
  }

  /** What a leader or learner role of this server runs with. */
  public RoleConfig forRole(Set<Integer> voters, Set<Integer> observers) {
    return new RoleConfig(myId, voters, observers,
        new ZabTimers(tickTime, initLimit, syncLimit, leaderBeat, leaderTimeout),
        // The leader's DIFF history is bounded like the log behind a snapshot.
        maxBuffer, diffWindow, snapSizeLimit, 1, ZabBugs.NONE);
  }
}
