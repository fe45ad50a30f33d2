package dev.paddock.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.security.Certificates;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gen-certs DIR}: a certificate authority for one ensemble and a key store per server, the
 * files {@code paddock.peer-tls} names. Every file holds a secret or decides whom the ensemble
 * trusts, so each is created readable by its owner only.
 */
@Command(name = "gen-certs", mixinStandardHelpOptions = true,
    description = {"Writes a certificate authority (ca.p12), the ensemble's trust store "
        + "(truststore.p12) and a key store per server (server<ID>.p12) into DIR, and prints "
        + "the paddock.peer-tls settings of each server.",
        "Servers come from --config (its paddock.servers), else from --servers and --host."})
final class GenCertsCommand implements Callable<Integer> {
  static final String CA = "ca.p12";
  static final String TRUST_STORE = "truststore.p12";

  private final PrintStream out;

  @Parameters(index = "0", paramLabel = "DIR", description = "where to write (created if "
      + "missing; existing files are never overwritten)")
  Path dir;

  @Option(names = "--config", paramLabel = "FILE",
      description = "a server's configuration (e.g. node1.conf): one key store per entry of "
          + "its paddock.servers, for that entry's host")
  Path config;

  @Option(names = "--servers", paramLabel = "N", defaultValue = "3",
      description = "without --config: servers 1..N (default: ${DEFAULT-VALUE})")
  int servers;

  @Option(names = "--host", paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "without --config: the host of every server (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--key-store-password", paramLabel = "PASSWORD",
      description = "password of the server key stores (default: generated and printed)")
  String keyStorePassword;

  @Option(names = "--ca-password", paramLabel = "PASSWORD",
      description = "password of ca.p12, the authority's key; never in a server's configuration "
          + "(default: generated and printed)")
  String caPassword;

  @Option(names = "--trust-store-password", paramLabel = "PASSWORD",
      description = "password of truststore.p12 (default: generated and printed)")
  String trustStorePassword;

  @Option(names = "--days", paramLabel = "DAYS", defaultValue = "825",
      description = "validity of the server certificates (default: ${DEFAULT-VALUE}); the "
          + "authority's is ten years")
  int days;

  GenCertsCommand(PrintStream out) {
    this.out = out;
  }

  private record Server(int id, String host) {}

  @Override
  public Integer call() throws IOException {
    List<Server> list = servers();
    boolean generatedKey = keyStorePassword == null;
    boolean generatedTrust = trustStorePassword == null;
    String keyPassword = generatedKey ? randomPassword() : keyStorePassword;
    String trustPassword = generatedTrust ? randomPassword() : trustStorePassword;
    boolean generatedCa = caPassword == null;
    String authorityPassword = generatedCa ? randomPassword() : caPassword;
    if (days < 1) {
      throw new IllegalArgumentException("--days must be at least 1");
    }
    Path root = dir.toAbsolutePath().normalize();
    List<Path> files = new ArrayList<>(List.of(root.resolve(CA), root.resolve(TRUST_STORE)));
    list.forEach(s -> files.add(serverStore(root, s)));
    for (Path f : files) {
      if (Files.exists(f)) {
        throw new IOException(f + " exists; refusing to overwrite it");
      }
    }
    Files.createDirectories(root);

    Certificates.Issued ca = Certificates.newAuthority("Paddock ensemble CA",
        Duration.ofDays(3650));
    ca.writeKeyStore(ownerOnly(root.resolve(CA)), authorityPassword.toCharArray());
    Certificates.writeTrustStore(ca.certificate(), ownerOnly(root.resolve(TRUST_STORE)),
        trustPassword.toCharArray());
    out.println("wrote " + root.resolve(CA) + " (the authority's key: keep it offline; only "
        + "certificates it signs can join)");
    out.println("wrote " + root.resolve(TRUST_STORE));
    for (Server s : list) {
      Certificates.issue(ca, "CN=paddock-server-" + s.id() + ",O=Paddock", List.of(s.host()),
          Duration.ofDays(days))
          .writeKeyStore(ownerOnly(serverStore(root, s)), keyPassword.toCharArray());
      out.println("wrote " + serverStore(root, s) + " for server " + s.id() + " (" + s.host()
          + ")");
    }
    out.println("ca.p12 password: " + authorityPassword + (generatedCa ? " (generated)" : "")
        + " (keep it with ca.p12, away from the servers)");
    out.println("key store password: " + keyPassword + (generatedKey ? " (generated)" : ""));
    out.println("trust store password: " + trustPassword
        + (generatedTrust ? " (generated)" : ""));
    for (Server s : list) {
      out.println();
      out.println("# add to the configuration of server " + s.id() + " (e.g. node" + s.id()
          + ".conf):");
      out.println("paddock.peer-tls {");
      out.println("  key-store = " + quoted(serverStore(root, s).toString()));
      out.println("  key-store-password = " + quoted(keyPassword));
      out.println("  trust-store = " + quoted(root.resolve(TRUST_STORE).toString()));
      out.println("  trust-store-password = " + quoted(trustPassword));
      out.println("}");
    }
    return 0;
  }

  private List<Server> servers() {
    List<Server> list = new ArrayList<>();
    if (config != null) {
      if (!Files.isReadable(config)) {
        throw new IllegalArgumentException("--config " + config + " is not a readable file");
      }
      Config c = ConfigFactory.parseFile(config.toFile()).resolve();
      if (!c.hasPath("paddock.servers") || c.getConfigList("paddock.servers").isEmpty()) {
        throw new IllegalArgumentException(config + " has no paddock.servers");
      }
      for (Config s : c.getConfigList("paddock.servers")) {
        list.add(new Server(s.getInt("id"), s.getString("host")));
      }
      return list;
    }
    if (servers < 1 || servers > 255) {
      throw new IllegalArgumentException("--servers must be between 1 and 255");
    }
    for (int id = 1; id <= servers; id++) {
      list.add(new Server(id, host));
    }
    return list;
  }

  private static Path serverStore(Path root, Server s) {
    return root.resolve("server" + s.id() + ".p12");
  }

  /** Creates the file empty and private before any secret is written into it. */
  private static Path ownerOnly(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } else {
      Files.createFile(file);
    }
    return file;
  }

  private static String randomPassword() {
    byte[] bytes = new byte[18];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String quoted(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
