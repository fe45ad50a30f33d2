package dev.paddock.client;

import java.time.Duration;
import java.util.List;

/**
 * How a typed client finds and keeps its session.
 *
 * @param servers "host:typedClientPort" of each server, tried in this order (then round-robin)
 * @param sessionTimeout requested; the server negotiates it into its [min, max]
 * @param connectTimeout how long one connect attempt may take; null derives it from the
 *     negotiated timeout (see {@link #attemptTimeout})
 * @param serverSystem name of the actor system a server opens for typed clients
 * @param trackerPath path of the entry actor inside that system
 */
public record ClientSettings(List<String> servers, Duration sessionTimeout,
    Duration connectTimeout, String serverSystem, String trackerPath) {

  /** Where servers keep the typed clients' entry actor. */
  public static final String DEFAULT_TRACKER_PATH = ClientPekkoConfig.ENTRY_PATH;

  public ClientSettings {
    if (servers == null || servers.isEmpty()) {
      throw new IllegalArgumentException("at least one server is required");
    }
    servers = List.copyOf(servers);
    for (String s : servers) {
      checkAddress(s);
    }
    if (sessionTimeout == null || sessionTimeout.toMillis() < 1
        || sessionTimeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("session timeout must be positive: " + sessionTimeout);
    }
    if (connectTimeout != null && connectTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("connect timeout must be positive: " + connectTimeout);
    }
  }

  public static ClientSettings of(List<String> servers, Duration sessionTimeout) {
    return new ClientSettings(servers, sessionTimeout, null, ClientPekkoConfig.CLIENT_SYSTEM,
        DEFAULT_TRACKER_PATH);
  }

  public ClientSettings withConnectTimeout(Duration timeout) {
    return new ClientSettings(servers, sessionTimeout, timeout, serverSystem, trackerPath);
  }

  public ClientSettings withTrackerPath(String path) {
    return new ClientSettings(servers, sessionTimeout, connectTimeout, serverSystem, path);
  }

  int requestedTimeoutMs() {
    return (int) sessionTimeout.toMillis();
  }

  /**
   * Like ZooKeeper, one attempt gets an equal share of the timeout (timeout / servers), but never
   * more than a third of it: with a single server a re-attach must get several tries before the
   * session could expire.
   */
  long attemptTimeoutMs(int timeoutMs) {
    if (connectTimeout != null) {
      return connectTimeout.toMillis();
    }
    return Math.max(250, Math.min(timeoutMs / servers.size(), timeoutMs / 3));
  }

  String trackerAddress(String server) {
    return "pekko://" + serverSystem + "@" + server + trackerPath;
  }

  static String host(String server) {
    String host = server.substring(0, server.lastIndexOf(':'));
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1)
        : host;
  }

  static int port(String server) {
    return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
  }

  private static void checkAddress(String s) {
    int colon = s == null ? -1 : s.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("expected host:port, got " + s);
    }
    int port;
    try {
      port = port(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("expected host:port, got " + s);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range in " + s);
    }
  }
}
