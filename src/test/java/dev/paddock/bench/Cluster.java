package dev.paddock.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One server or a three-server ensemble of one product (Paddock's node.jar or Apache ZooKeeper),
 * each server a separate JVM process on loopback, with its own temporary directory.
 */
abstract class Cluster implements AutoCloseable {
  /**
   * One server: its id, client port (ZooKeeper wire protocol), typed-client port (Paddock only;
   * ZooKeeper's quorum port there, unused), and process.
   */
  record Member(int id, int clientPort, int typedPort, ChildProcess process) {}

  /**
   * JVM options every server gets, the same for both products, and extra node.jar arguments
   * ({@code --node-arg}) for Paddock's servers only.
   */
  record ServerJvm(List<String> options, Path jfrDir, List<String> nodeArgs) {
    List<String> forServer(String name) {
      List<String> out = new ArrayList<>(options);
      if (jfrDir != null) {
        out.add("-XX:StartFlightRecording=filename=" + jfrDir.resolve(name + "-"
            + System.currentTimeMillis() + ".jfr") + ",settings=" + jfcFile()
            + ",dumponexit=true");
      }
      return out;
    }

    /**
     * The JDK's "profile" settings with every FileChannel.force recorded (threshold 0 instead of
     * 10 ms), so {@code jfr print --events jdk.FileForce} counts the fsyncs of a run.
     */
    private Path jfcFile() {
      Path jfc = jfrDir.resolve("bench-profile.jfc");
      try {
        if (!Files.exists(jfc)) {
          String profile = Files.readString(Path.of(System.getProperty("java.home"), "lib", "jfr",
              "profile.jfc"));
          Files.writeString(jfc, profile.replaceFirst("(?s)(?<head><event name=\"jdk\\."
              + "FileForce\">.*?<setting name=\"threshold\"[^>]*>)[^<]*(?<tail></setting>)",
              "${head}0 ms${tail}"));
        }
        return jfc;
      } catch (IOException e) {
        return Path.of("profile");
      }
    }
  }

  final String product;
  final Path dir;
  final List<Member> members = new ArrayList<>();
  /** TLS client ports by member index; empty when the servers run without TLS. */
  final List<Integer> securePorts = new ArrayList<>();

  Cluster(String product, Path dir) {
    this.product = product;
    this.dir = dir;
  }

  boolean standalone() {
    return members.size() == 1;
  }

  String describe() {
    return product + (standalone() ? " standalone" : " " + members.size() + " servers");
  }

  void startAll() throws IOException {
    for (Member m : members) {
      m.process().start();
    }
  }

  /** standalone / leader / follower / observer while serving, otherwise null or "looking". */
  abstract String mode(int i);

  /** Whether the client port speaks to the outside (ruok answered). */
  boolean clientPortAnswers(int i) {
    return "imok".equals(FourLetter.ask(members.get(i).clientPort(), "ruok"));
  }

  /**
   * Waits until every running server serves: one leader and the others following (or the
   * standalone server serving). Returns the leader's index (0 when standalone).
   */
  int awaitServing(Duration max) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      int leader = -1;
      int followers = 0;
      int running = 0;
      StringBuilder modes = new StringBuilder();
      for (int i = 0; i < members.size(); i++) {
        ChildProcess p = members.get(i).process();
        if (!p.alive()) {
          modes.append(" ").append(p.name()).append("=dead");
          continue;
        }
        running++;
        String mode = mode(i);
        modes.append(" ").append(p.name()).append("=").append(mode);
        if ("leader".equals(mode) || "standalone".equals(mode)) {
          leader = i;
        } else if ("follower".equals(mode)) {
          followers++;
        }
      }
      last = modes.toString();
      if (running > 0 && leader >= 0 && followers == running - 1) {
        return leader;
      }
      if (running == 0) {
        break;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException(describe() + " not serving after " + max + " (modes:" + last
        + ")\n" + logTails());
  }

  void kill9(int i) throws InterruptedException {
    members.get(i).process().kill9();
  }

  void restart(int i) throws IOException {
    members.get(i).process().start();
  }

  String clientAddress(int i) {
    return "127.0.0.1:" + members.get(i).clientPort();
  }

  /** The TLS client port of member {@code i}; only clusters started with TLS have one. */
  String secureClientAddress(int i) {
    if (i >= securePorts.size()) {
      throw new IllegalStateException(product + " servers have no TLS client port");
    }
    return "127.0.0.1:" + securePorts.get(i);
  }

  String typedAddress(int i) {
    return "127.0.0.1:" + members.get(i).typedPort();
  }

  /** Sum of the CPU time (ns) used so far by the running server processes. */
  long cpuNanos() {
    long sum = 0;
    for (Member m : members) {
      sum += CpuMonitor.processCpuNanos(m.process().pid());
    }
    return sum;
  }

  String logTails() {
    StringBuilder sb = new StringBuilder();
    for (Member m : members) {
      sb.append("  ---- ").append(m.process().name()).append(" (")
          .append(m.process().exitDescription()).append("), last lines of its log:\n")
          .append(m.process().logTail(25));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    for (Member m : members) {
      m.process().stop();
    }
    Cleanup.deleteNow(dir);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
