package dev.paddock.admin;

import dev.paddock.node.TestNodes;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real standalone ZooKeeper 3.9.5 in this JVM with its Jetty AdminServer on a free port
 * (curator-test always turns the AdminServer off, so this starts ZooKeeper's embedded server).
 */
final class ReferenceAdminZooKeeper implements AutoCloseable {
  /** ZooKeeper turns unknown config keys into these system properties; cleared on close. */
  private static final List<String> PROPERTIES = List.of("zookeeper.admin.enableServer",
      "zookeeper.admin.serverPort", "zookeeper.admin.serverAddress",
      "zookeeper.4lw.commands.whitelist");

  final ZooKeeperServerEmbedded server;
  final int clientPort;
  final String base;

  private ReferenceAdminZooKeeper(ZooKeeperServerEmbedded server, int clientPort, int admin) {
    this.server = server;
    this.clientPort = clientPort;
    this.base = "http://127.0.0.1:" + admin;
  }

  static ReferenceAdminZooKeeper start(Path dir) throws Exception {
    int[] ports = TestNodes.freePorts(2);
    int client = ports[0];
    int admin = ports[1];
    Properties p = new Properties();
    p.setProperty("clientPort", Integer.toString(client));
    p.setProperty("clientPortAddress", "127.0.0.1");
    p.setProperty("tickTime", "200");
    p.setProperty("admin.enableServer", "true");
    p.setProperty("admin.serverPort", Integer.toString(admin));
    p.setProperty("admin.serverAddress", "127.0.0.1");
    p.setProperty("4lw.commands.whitelist", "*");
    ZooKeeperServerEmbedded zk = ZooKeeperServerEmbedded.builder().baseDir(dir)
        .configuration(p).build();
    zk.start(30_000);
    return new ReferenceAdminZooKeeper(zk, client, admin);
  }

  @Override
  public void close() {
    server.close();
    PROPERTIES.forEach(System::clearProperty);
  }
}
