package dev.paddock.node;

import com.typesafe.config.Config;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code paddock.peer-tls}: the key and trust stores with which the servers of an ensemble
 * authenticate each other on the peer port (Artery over mutually authenticated TLS 1.3). The
 * rule for when plain TCP is allowed lives here too: only when every server of the ensemble is on
 * a loopback address, where nobody but this machine's users can reach the peer port.
 */
public record PeerTls(String keyStore, String keyStorePassword, String trustStore,
    String trustStorePassword) {
  public static final String PREFIX = "paddock.peer-tls";
  static final List<String> KEYS = List.of("key-store", "key-store-password", "trust-store",
      "trust-store-password");
  private static final String ENGINE = "pekko.remote.artery.ssl.config-ssl-engine.";

  public static PeerTls from(Config root) {
    Config c = root.getConfig(PREFIX);
    return new PeerTls(c.getString("key-store"), c.getString("key-store-password"),
        c.getString("trust-store"), c.getString("trust-store-password"));
  }

  /** Both stores named: TLS is on. */
  public boolean enabled() {
    return !keyStore.isEmpty() && !trustStore.isEmpty();
  }

  /**
   * Whether an ensemble may start with this transport; throws the one-line refusal when it may
   * not. Returns true when it runs over plain TCP (all on loopback), so the caller can warn.
   */
  public boolean checkFor(List<ServerSpec> servers) {
    if (servers.isEmpty()) {
      return false;
    }
    if (enabled()) {
      checkStore(PREFIX + ".key-store", keyStore, keyStorePassword);
      checkStore(PREFIX + ".trust-store", trustStore, trustStorePassword);
      return false;
    }
    if (!keyStore.isEmpty() || !trustStore.isEmpty()) {
      String missing = keyStore.isEmpty() ? "key-store" : "trust-store";
      throw new ConfigError(PREFIX + "." + missing, "is empty, but "
          + PREFIX + (keyStore.isEmpty() ? ".trust-store" : ".key-store")
          + " is set; peer TLS needs both");
    }
    for (ServerSpec s : servers) {
      if (!isLoopback(s.host())) {
        throw new ConfigError(PREFIX, "server " + s.id() + " (" + s.host() + ") is not on a "
            + "loopback address, so the ensemble must authenticate its peers: set "
            + PREFIX + ".key-store, key-store-password, trust-store and trust-store-password "
            + "(java -jar node.jar gen-certs DIR writes them)");
      }
    }
    return true;
  }

  /** The Artery settings this transport needs (empty when it is plain TCP). */
  public Map<String, Object> pekkoSettings() {
    Map<String, Object> m = new HashMap<>();
    if (!enabled()) {
      return m;
    }
    m.put("pekko.remote.artery.transport", "tls-tcp");
    m.put("pekko.remote.artery.ssl.ssl-engine-provider",
        "org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider");
    m.put(ENGINE + "key-store", Path.of(keyStore).toAbsolutePath().toString());
    m.put(ENGINE + "key-store-password", keyStorePassword);
    // Certificates' key stores protect the key with the store's password.
    m.put(ENGINE + "key-password", keyStorePassword);
    m.put(ENGINE + "trust-store", Path.of(trustStore).toAbsolutePath().toString());
    m.put(ENGINE + "trust-store-password", trustStorePassword);
    m.put(ENGINE + "protocol", "TLSv1.3");
    m.put(ENGINE + "enabled-algorithms", List.of("TLS_AES_256_GCM_SHA384",
        "TLS_AES_128_GCM_SHA256"));
    m.put(ENGINE + "require-mutual-authentication", "on");
    return m;
  }

  static boolean isLoopback(String host) {
    try {
      InetAddress[] all = InetAddress.getAllByName(host);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Artery would only fail at the first handshake; an operator learns it here, by name. */
  private static void checkStore(String key, String file, String password) {
    Path path = Path.of(file);
    if (!Files.isReadable(path)) {
      throw new ConfigError(key, file + " is not a readable file");
    }
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore.getInstance(KeyStore.getDefaultType()).load(in, password.toCharArray());
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigError(key, "cannot open " + file + " with its password ("
          + e.getMessage() + ")");
    }
  }
}
