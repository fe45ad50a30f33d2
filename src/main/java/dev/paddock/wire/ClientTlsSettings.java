package dev.paddock.wire;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;

/**
 * The TLS client port (paddock.secure-client-port) and its paddock.ssl settings, named after
 * ZooKeeper's secureClientPort and ssl.* properties so that an operator's ZooKeeper TLS
 * configuration carries over key by key.
 *
 * @param port the port to listen on, 0 for any free one; -1 when there is no TLS port
 * @param enabledProtocols as given; empty means ZooKeeper's default for {@code protocol}
 * @param cipherSuites empty means the JDK's defaults
 * @param x509SuperUser a subject DN in RFC 2253 form whose certificate makes its holder super,
 *     or empty
 */
public record ClientTlsSettings(int port, Store keyStore, Store trustStore, ClientAuth clientAuth,
    String protocol, List<String> enabledProtocols, List<String> cipherSuites,
    String x509SuperUser) {

  static final String PREFIX = "paddock.ssl.";

  /** A key or trust store; {@code type} empty means inferred from the file's extension. */
  public record Store(String location, String password, String type) {
    boolean present() {
      return !location.isEmpty();
    }
  }

  /** ZooKeeper's ssl.clientAuth: whether a client must, may or need not show a certificate. */
  public enum ClientAuth { NEED, WANT, NONE }

  /** A TLS setting that is missing or wrong, named by its key. */
  public static final class Invalid extends RuntimeException {
    private final String key;

    Invalid(String key, String problem) {
      super(problem);
      this.key = key;
    }

    Invalid(String key, String problem, Throwable cause) {
      super(problem, cause);
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  public boolean enabled() {
    return port >= 0;
  }

  /** Reads and checks the settings; throws {@link Invalid} naming the first missing or bad key. */
  public static ClientTlsSettings from(Config root) {
    rejectUnknownKeys(root);
    int port = port(root);
    Store keyStore = store(root, "keyStore");
    Store trustStore = store(root, "trustStore");
    ClientAuth auth = clientAuth(root);
    String protocol = string(root, "protocol");
    List<String> protocols = names(root, "enabledProtocols");
    List<String> ciphers = names(root, "ciphersuites");
    String superUser = superUser(root);
    ClientTlsSettings s = new ClientTlsSettings(port, keyStore, trustStore, auth,
        protocol.isEmpty() ? "TLSv1.3" : protocol, protocols, ciphers, superUser);
    if (s.enabled()) {
      s.requireComplete();
    }
    return s;
  }

  /**
   * ZooKeeper's names are camel case, and a differently spelt key would otherwise go unread. The
   * known ones are those reference.conf has (not defaultReference(): that one carries -D
   * overrides, typos included; the unresolved reference is parsed once and cached without them).
   */
  private static void rejectUnknownKeys(Config root) {
    if (!root.hasPath("paddock.ssl")) {
      return;
    }
    Config reference = ConfigFactory.defaultReferenceUnresolved(
        ClientTlsSettings.class.getClassLoader());
    Set<String> known = reference.hasPath("paddock.ssl")
        ? keys(reference.getConfig("paddock.ssl")) : Set.of();
    for (String key : keys(root.getConfig("paddock.ssl"))) {
      if (!known.contains(key)) {
        throw new Invalid(PREFIX + key, "unknown setting");
      }
    }
  }

  private static Set<String> keys(Config c) {
    return new TreeSet<>(c.entrySet().stream().map(Map.Entry::getKey).toList());
  }

  private void requireComplete() {
    String because = "is required when paddock.secure-client-port is set";
    if (!keyStore.present()) {
      throw new Invalid(PREFIX + "keyStore.location", because);
    }
    if (keyStore.password().isEmpty()) {
      throw new Invalid(PREFIX + "keyStore.password", because);
    }
    if (clientAuth != ClientAuth.NONE && !trustStore.present()) {
      throw new Invalid(PREFIX + "trustStore.location", because + " and "
          + PREFIX + "clientAuth is " + clientAuth.name().toLowerCase(Locale.ROOT)
          + " (the server must know which authority signs client certificates)");
    }
  }

  /** ZooKeeper's default: TLSv1.3 also accepts TLSv1.2 clients; any other protocol only itself. */
  List<String> protocolsToEnable() {
    if (!enabledProtocols.isEmpty()) {
      return enabledProtocols;
    }
    return protocol.equals("TLSv1.3") ? List.of("TLSv1.3", "TLSv1.2") : List.of(protocol);
  }

  private static int port(Config root) {
    String key = "paddock.secure-client-port";
    if (!root.hasPath(key)) {
      return -1;
    }
    ConfigValue v = root.getValue(key);
    if (v.valueType() == ConfigValueType.BOOLEAN && !root.getBoolean(key)
        || v.valueType() == ConfigValueType.STRING
        && List.of("off", "").contains(root.getString(key).trim())) {
      return -1;
    }
    int port;
    try {
      port = root.getInt(key);
    } catch (ConfigException e) {
      throw new Invalid(key, "expected a port number or off, was " + v.render());
    }
    if (port < 0 || port > 65535) {
      throw new Invalid(key, "must be in [0, 65535] or off, was " + port);
    }
    return port;
  }

  private static Store store(Config root, String name) {
    return new Store(string(root, name + ".location"), string(root, name + ".password"),
        string(root, name + ".type"));
  }

  private static ClientAuth clientAuth(Config root) {
    String value = string(root, "clientAuth");
    if (value.isEmpty()) {
      return ClientAuth.NEED;
    }
    try {
      return ClientAuth.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Invalid(PREFIX + "clientAuth", "expected need, want or none, was " + value);
    }
  }

  private static String superUser(Config root) {
    String value = string(root, "x509-super-user");
    if (value.isEmpty()) {
      return "";
    }
    try {
      // Compared with X500Principal.getName() of client certificates: the same canonical form.
      return new X500Principal(value).getName();
    } catch (IllegalArgumentException e) {
      throw new Invalid(PREFIX + "x509-super-user", "not a distinguished name: " + value);
    }
  }

  /** ZooKeeper writes these lists comma-separated; a HOCON list is accepted too. */
  private static List<String> names(Config root, String name) {
    String key = PREFIX + name;
    if (!root.hasPath(key)) {
      return List.of();
    }
    if (root.getValue(key).valueType() == ConfigValueType.LIST) {
      return root.getStringList(key).stream().map(String::trim).filter(n -> !n.isEmpty())
          .toList();
    }
    return Arrays.stream(string(root, name).split(",")).map(String::trim)
        .filter(n -> !n.isEmpty()).toList();
  }

  private static String string(Config root, String name) {
    String key = PREFIX + name;
    if (!root.hasPath(key)) {
      return "";
    }
    try {
      return root.getString(key).trim();
    } catch (ConfigException e) {
      throw new Invalid(key, "expected a string: " + e.getMessage());
    }
  }
}
