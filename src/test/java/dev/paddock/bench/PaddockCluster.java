package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Paddock servers as {@code java -jar target/node.jar -Dconfig.file=...} processes, configured
 * like the README's node1..3.conf but with free ports and a fresh data directory each.
 *
 * <p>The mode comes from the four-letter word {@code srvr} on the client port.
 */
final class PaddockCluster extends Cluster {
  static final String TICK_TIME = "2000ms";
  /** What the bench asks: ruok for liveness, srvr for the mode and zxid, mntr for fsyncs. */
  static final String WORDS = "[\"srvr\", \"ruok\", \"mntr\"]";

  private PaddockCluster(Path dir) {
    super("Paddock", dir);
  }

  /** node.jar: {@code -Dbench.nodeJar} (run.sh passes its private copy), else target/. */
  static Path jar() {
    Path jar = Path.of(System.getProperty("bench.nodeJar", "target/node.jar")).toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn -DskipTests package` first "
          + "(bench/run.sh does)");
    }
    return jar;
  }

  /** @param tls stores for a TLS client port beside the plaintext one, or null for none */
  static PaddockCluster standalone(ServerJvm jvm, BenchTls tls) throws IOException {
    PaddockCluster c = new PaddockCluster(Cleanup.tempDir("paddock-standalone"));
    Set<Integer> used = new HashSet<>();
    int peer = uniquePort(used);
    int client = uniquePort(used);
    int typed = uniquePort(used);
    if (tls != null) {
      c.securePorts.add(uniquePort(used));
    }
    Path conf = c.dir.resolve("standalone.conf");
    Files.writeString(conf, "paddock {\n"
        + "  my-id = 1\n"
        + "  host = \"127.0.0.1\"\n"
        + "  peer-port = " + peer + "\n"
        + "  client-port = " + client + "\n"
        + "  typed-client-port = " + typed + "\n"
        + "  client-port-address = \"127.0.0.1\"\n"
        + "  admin.port = 0\n"
        + "  four-letter-words = " + WORDS + "\n"
        + "  tick-time = " + TICK_TIME + "\n"
        + "  data-dir = \"" + c.dir.resolve("data") + "\"\n"
        + secure(c, tls, 0)
        + "}\n");
    c.members.add(new Member(1, client, typed, node(c.dir, "paddock", conf, jvm)));
    return c;
  }

  static PaddockCluster ensemble(ServerJvm jvm, BenchTls tls) throws IOException {
    return ensemble(jvm, tls, 3);
  }

  static PaddockCluster ensemble(ServerJvm jvm, BenchTls tls, int size) throws IOException {
    PaddockCluster c = new PaddockCluster(Cleanup.tempDir("paddock-ensemble"));
    Set<Integer> used = new HashSet<>();
    int[] peer = new int[size];
    int[] client = new int[size];
    int[] typed = new int[size];
    for (int i = 0; i < size; i++) {
      peer[i] = uniquePort(used);
      client[i] = uniquePort(used);
      typed[i] = uniquePort(used);
      if (tls != null) {
        c.securePorts.add(uniquePort(used));
      }
    }
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < size; i++) {
      servers.append(String.format("    { id = %d, host = \"127.0.0.1\", peer-port = %d, "
          + "client-port = %d, role = voter }%n", i + 1, peer[i], client[i]));
    }
    Files.writeString(c.dir.resolve("application.conf"), "paddock {\n"
        + "  session-secret = \"bench-secret\"\n"
        + "  tick-time = " + TICK_TIME + "\n"
        + "  init-limit = 10\n"
        + "  sync-limit = 5\n"
        + "  client-port-address = \"127.0.0.1\"\n"
        + "  admin.port = 0\n"
        + "  four-letter-words = " + WORDS + "\n"
        + "  servers = [\n" + servers + "  ]\n}\n");
    for (int i = 1; i <= size; i++) {
      Path conf = c.dir.resolve("node" + i + ".conf");
      Files.writeString(conf, "include \"application.conf\"\npaddock {\n  my-id = " + i
          + "\n  typed-client-port = " + typed[i - 1]
          + "\n  data-dir = \"" + c.dir.resolve("data/node" + i) + "\"\n"
          + secure(c, tls, i - 1) + "}\n");
      c.members.add(new Member(i, client[i - 1], typed[i - 1],
          node(c.dir, "paddock" + i, conf, jvm)));
    }
    return c;
  }

  private static String secure(PaddockCluster c, BenchTls tls, int member) {
    if (tls == null) {
      return "";
    }
    return "  secure-client-port = " + c.securePorts.get(member) + "\n" + tls.serverConfig();
  }

  private static int uniquePort(Set<Integer> used) throws IOException {
    int p;
    do {
      p = freePort();
    } while (!used.add(p));
    return p;
  }

  private static ChildProcess node(Path dir, String name, Path conf, ServerJvm jvm) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcess.javaBinary());
    cmd.addAll(jvm.forServer(name));
    cmd.addAll(List.of("-jar", jar().toString(), "-Dconfig.file=" + conf));
    cmd.addAll(jvm.nodeArgs());
    return new ChildProcess(name, cmd, dir);
  }

  @Override
  String mode(int i) {
    Member m = members.get(i);
    if (!m.process().alive()) {
      return null;
    }
    return FourLetter.mode(m.clientPort());
  }
}
