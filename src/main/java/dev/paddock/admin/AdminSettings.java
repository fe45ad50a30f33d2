package dev.paddock.admin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code paddock.admin}: the HTTP admin server of a node, and where the other servers' admin
 * servers listen ({@code admin-port} in each {@code paddock.servers} entry) for the console's
 * ensemble view.
 *
 * @param user with {@code password}: who may change the tree through the console; empty
 *     disables changes
 */
public record AdminSettings(boolean enabled, String address, int port, String user,
    String password, Map<Integer, InetSocketAddress> peers) {

  /** A setting that cannot be used; {@code key} names it in full. */
  public static final class Invalid extends RuntimeException {
    private final String key;

    Invalid(String key, String problem) {
      super(key + ": " + problem);
      this.key = key;
    }

    public String key() {
      return key;
    }

    public String problem() {
      return getMessage().substring(key.length() + 2);
    }
  }

  public static AdminSettings from(Config root) {
    Config c = root.getConfig("paddock.admin");
    boolean enabled = get("enabled", () -> c.getBoolean("enabled"));
    String address = get("address", () -> c.getString("address"));
    int port = get("port", () -> c.getInt("port"));
    if (port < 0 || port > 65535) {
      throw new Invalid("paddock.admin.port", "must be a port in [0, 65535], was " + port);
    }
    String user = get("user", () -> c.getString("user"));
    String password = get("password", () -> c.getString("password"));
    if (user.isEmpty() != password.isEmpty()) {
      throw new Invalid("paddock.admin.password", "user and password are set together");
    }
    if (!user.isEmpty() && user.contains(":")) {
      throw new Invalid("paddock.admin.user", "must not contain ':'");
    }
    Map<Integer, InetSocketAddress> peers = peers(root);
    // In an ensemble, this server's own entry names its admin port, as it does its other ports.
    int myId = root.getInt("paddock.my-id");
    if (peers.containsKey(myId)) {
      port = peers.get(myId).getPort();
    }
    return new AdminSettings(enabled, address, port, user, password, peers);
  }

  public boolean writable() {
    return !user.isEmpty();
  }

  private static Map<Integer, InetSocketAddress> peers(Config root) {
    Map<Integer, InetSocketAddress> out = new HashMap<>();
    List<? extends Config> servers = root.getConfigList("paddock.servers");
    for (int i = 0; i < servers.size(); i++) {
      Config s = servers.get(i);
      if (s.hasPath("admin-port")) {
        String key = "paddock.servers[" + i + "].admin-port";
        int port;
        try {
          port = s.getInt("admin-port");
        } catch (ConfigException e) {
          throw new Invalid(key, "expected a port: " + e.getMessage());
        }
        if (port < 1 || port > 65535) {
          throw new Invalid(key, "must be a port in [1, 65535], was " + port);
        }
        String host = s.hasPath("admin-host") ? s.getString("admin-host") : s.getString("host");
        out.put(s.getInt("id"), InetSocketAddress.createUnresolved(host, port));
      }
    }
    return Map.copyOf(out);
  }

  private interface Getter<T> {
    T get();
  }

  private static <T> T get(String key, Getter<T> g) {
    try {
      return g.get();
    } catch (ConfigException e) {
      throw new Invalid("paddock.admin." + key, e.getMessage());
    }
  }
}
