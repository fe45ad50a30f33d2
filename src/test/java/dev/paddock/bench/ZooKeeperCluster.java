package dev.paddock.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Apache ZooKeeper 3.9.5 servers from the test classpath, each a separate JVM:
 * {@code ZooKeeperServerMain zoo.cfg} standalone, {@code QuorumPeerMain zoo.cfg} with
 * {@code server.N} lines and {@code myid} files for three servers. Defaults otherwise
 * (forceSync=yes, so every commit is fsynced like Paddock's journal; snapCount 100000); the admin
 * server is off and all four-letter words are enabled.
 */
final class ZooKeeperCluster extends Cluster {
  static final int TICK_MS = 2000;

  private ZooKeeperCluster(Path dir) {
    super("ZooKeeper", dir);
  }

  static ZooKeeperCluster standalone(ServerJvm jvm) throws IOException {
    ZooKeeperCluster c = new ZooKeeperCluster(Cleanup.tempDir("zookeeper-standalone"));
    int client = freePort();
    Path data = Files.createDirectories(c.dir.resolve("data"));
    Path cfg = c.dir.resolve("zoo.cfg");
    Files.writeString(cfg, common(data, client));
    c.members.add(new Member(1, client, -1, server(c.dir, "zookeeper", cfg, jvm,
        "org.apache.zookeeper.server.ZooKeeperServerMain")));
    return c;
  }

  static ZooKeeperCluster ensemble(ServerJvm jvm) throws IOException {
    return ensemble(jvm, 3);
  }

  static ZooKeeperCluster ensemble(ServerJvm jvm, int size) throws IOException {
    ZooKeeperCluster c = new ZooKeeperCluster(Cleanup.tempDir("zookeeper-ensemble"));
    Set<Integer> used = new HashSet<>();
    int[] client = new int[size];
    int[] quorum = new int[size];
    int[] election = new int[size];
    for (int i = 0; i < size; i++) {
      client[i] = uniquePort(used);
      quorum[i] = uniquePort(used);
      election[i] = uniquePort(used);
    }
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < size; i++) {
      servers.append("server.").append(i + 1).append("=127.0.0.1:").append(quorum[i])
          .append(':').append(election[i]).append('\n');
    }
    for (int i = 1; i <= size; i++) {
      Path data = Files.createDirectories(c.dir.resolve("data" + i));
      Files.writeString(data.resolve("myid"), i + "\n");
      Path cfg = c.dir.resolve("zoo" + i + ".cfg");
      Files.writeString(cfg, common(data, client[i - 1])
          + "initLimit=10\n"
          + "syncLimit=5\n"
          + servers);
      c.members.add(new Member(i, client[i - 1], quorum[i - 1], server(c.dir, "zookeeper" + i,
          cfg, jvm, "org.apache.zookeeper.server.quorum.QuorumPeerMain")));
    }
    return c;
  }

  private static String common(Path data, int clientPort) {
    return "tickTime=" + TICK_MS + "\n"
        + "dataDir=" + data + "\n"
        + "clientPort=" + clientPort + "\n"
        + "clientPortAddress=127.0.0.1\n"
        + "maxClientCnxns=60\n"
        + "admin.enableServer=false\n"
        + "4lw.commands.whitelist=*\n";
  }

  private static int uniquePort(Set<Integer> used) throws IOException {
    int p;
    do {
      p = freePort();
    } while (!used.add(p));
    return p;
  }

  private static ChildProcess server(Path dir, String name, Path cfg, ServerJvm jvm,
      String mainClass) throws IOException {
    Path logback = dir.resolve("logback-server.xml");
    if (!Files.exists(logback)) {
      Files.writeString(logback, """
          <configuration>
            <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
              <encoder><pattern>%d{HH:mm:ss.SSS} %-5level %logger{24} - %msg%n</pattern></encoder>
            </appender>
            <root level="INFO"><appender-ref ref="OUT"/></root>
          </configuration>
          """);
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildProcess.javaBinary());
    cmd.addAll(jvm.forServer(name));
    cmd.addAll(List.of(
        "-Dzookeeper.admin.enableServer=false",
        "-Dzookeeper.4lw.commands.whitelist=*",
        "-Dlogback.configurationFile=" + logback,
        "-cp", System.getProperty("java.class.path"),
        mainClass, cfg.toString()));
    return new ChildProcess(name, cmd, dir);
  }

  @Override
  String mode(int i) {
    Member m = members.get(i);
    return m.process().alive() ? FourLetter.mode(m.clientPort()) : null;
  }
}
