package dev.paddock.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Paddock server as a real operating-system process started from the packaged
 * {@code target/node.jar}, the way operators run it. Killing uses SIGKILL, so nothing gets a
 * chance to flush or shut down cleanly.
 */
public final class NodeProcess implements AutoCloseable {
  private final Path config;
  private final Path logFile;
  private final int clientPort;
  private Process process;

  public NodeProcess(Path config, Path logFile, int clientPort) {
    this.config = config;
    this.logFile = logFile;
    this.clientPort = clientPort;
  }

  public static Path jar() {
    Path jar = Path.of("target", "node.jar").toAbsolutePath();
    if (!Files.exists(jar)) {
      throw new IllegalStateException(jar + " is missing: run `mvn package` (or `mvn verify`) "
          + "first; end-to-end tests run against the packaged jar");
    }
    return jar;
  }

  public void start() throws IOException {
    start(Map.of());
  }

  /** Starts with extra environment variables (fault hooks). */
  public void start(Map<String, String> environment) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx512m", "-jar", jar().toString(), "-Dconfig.file=" + config,
        // Any free port: other builds on the machine may hold the default 8080.
        "-Dpaddock.admin.port=0"));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .directory(config.getParent().toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    pb.environment().putAll(environment);
    process = pb.start();
  }

  /** Writes a line to the node's standard input. */
  public void send(String line) throws IOException {
    OutputStream in = process.getOutputStream();
    in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  /** Waits for the process to end; returns its exit status, failing with its log on timeout. */
  public int awaitExit(Duration max) throws IOException, InterruptedException {
    if (!process.waitFor(max.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      throw new AssertionError("node still running after " + max + ":\n" + log());
    }
    return process.exitValue();
  }

  /** SIGTERM: the stop an operator asks for. */
  public void sigterm() {
    process.destroy();
  }

  /** SIGKILL: the process dies at once, mid-write if it was writing. */
  public void kill9() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process != null && process.isAlive();
  }

  public int clientPort() {
    return clientPort;
  }

  /** Asks the four-letter word {@code srvr}; null when the server does not answer. */
  public String srvr() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", clientPort), 1000);
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    }
  }

  /** The mode srvr reports (standalone, leader, follower, observer), or null. */
  public String mode() {
    String out = srvr();
    if (out == null) {
      return null;
    }
    for (String line : out.split("\n")) {
      if (line.startsWith("Mode: ")) {
        return line.substring(6).trim();
      }
    }
    return null;
  }

  public String log() throws IOException {
    return Files.exists(logFile) ? Files.readString(logFile) : "";
  }

  /** Waits until the server reports one of the modes, failing with its log on timeout. */
  public String awaitMode(Duration max, String... modes) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    while (System.nanoTime() < deadline) {
      if (!alive()) {
        throw new AssertionError("node exited with " + process.exitValue() + ":\n" + log());
      }
      String mode = mode();
      for (String m : modes) {
        if (m.equals(mode)) {
          return mode;
        }
      }
      Waiting.pause(Duration.ofMillis(100));
    }
    throw new AssertionError("node not in mode " + String.join("/", modes) + " after " + max
        + ":\n" + log());
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}
