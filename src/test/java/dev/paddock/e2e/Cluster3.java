package dev.paddock.e2e;

import dev.paddock.cli.PaddockCli;
import dev.paddock.node.Main;
import dev.paddock.node.TestNodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Three node.jar processes forming an ensemble on loopback, configured like node1..3.conf. */
final class Cluster3 implements AutoCloseable {
  final List<NodeProcess> nodes = new ArrayList<>();
  final int[] clientPorts = new int[3];

  Cluster3(Path dir, String tickTime) throws IOException {
    this(dir, tickTime, false);
  }

  /** With {@code peerTls}, the servers authenticate each other with certificates of gen-certs. */
  Cluster3(Path dir, String tickTime, boolean peerTls) throws IOException {
    int[] peerPorts = new int[3];
    int[] ports = TestNodes.freePorts(6);
    for (int i = 0; i < 3; i++) {
      peerPorts[i] = ports[2 * i];
      clientPorts[i] = ports[2 * i + 1];
    }
    StringBuilder servers = new StringBuilder();
    for (int i = 0; i < 3; i++) {
      servers.append(String.format("    { id = %d, host = \"127.0.0.1\", peer-port = %d, "
          + "client-port = %d, role = voter }%n", i + 1, peerPorts[i], clientPorts[i]));
    }
    Files.writeString(dir.resolve("application.conf"), "paddock {\n"
        + "  session-secret = \"it-secret\"\n"
        + "  tick-time = " + tickTime + "\n"
        + "  typed-client-port = 0\n"
        + "  servers = [\n" + servers + "  ]\n}\n");
    List<String> tls = peerTls ? genCerts(dir.resolve("certs")) : List.of();
    for (int i = 1; i <= 3; i++) {
      Path conf = dir.resolve("node" + i + ".conf");
      Files.writeString(conf, "include required(file(\"application.conf\"))\npaddock {\n  my-id = " + i
          + "\n  data-dir = \"data/node" + i + "\"\n}\n" + (peerTls ? tls.get(i - 1) : ""));
      nodes.add(new NodeProcess(conf, dir.resolve("node" + i + ".log"), clientPorts[i - 1]));
    }
  }

  /** Runs {@code gen-certs} as an operator would and returns the block it prints per server. */
  private static List<String> genCerts(Path certs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = PaddockCli.run(Main.storageLayout(), new PrintStream(out, true,
        StandardCharsets.UTF_8), System.err, "gen-certs", certs.toString(), "--servers", "3");
    String printed = out.toString(StandardCharsets.UTF_8);
    if (status != 0) {
      throw new IllegalStateException("gen-certs failed: " + printed);
    }
    List<String> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)paddock\\.peer-tls \\{.*?\\n\\}").matcher(printed);
    while (m.find()) {
      blocks.add(m.group() + "\n");
    }
    return blocks;
  }

  void startAll() throws IOException {
    for (NodeProcess n : nodes) {
      n.start();
    }
  }

  String connectString() {
    StringBuilder s = new StringBuilder();
    for (int p : clientPorts) {
      s.append(s.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
    }
    return s.toString();
  }

  /** Waits until the running nodes have one leader and the rest follow; returns its index. */
  int awaitLeader(Duration max) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      int leader = -1;
      int followers = 0;
      int running = 0;
      for (int i = 0; i < 3; i++) {
        NodeProcess n = nodes.get(i);
        if (!n.alive()) {
          continue;
        }
        running++;
        String mode = n.mode();
        if ("leader".equals(mode)) {
          leader = i;
        } else if ("follower".equals(mode)) {
          followers++;
        }
      }
      if (leader >= 0 && followers == running - 1) {
        return leader;
      }
      Waiting.pause(Duration.ofMillis(100));
    }
    StringBuilder logs = new StringBuilder();
    for (NodeProcess n : nodes) {
      logs.append("---- ").append(n.clientPort()).append('\n').append(n.log());
    }
    throw new AssertionError("no leader with all running nodes following after " + max + "\n"
        + logs);
  }

  @Override
  public void close() throws InterruptedException {
    for (NodeProcess n : nodes) {
      n.close();
    }
  }
}
