package dev.paddock.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration: one line naming the key, exit status 2, and no data written. */
class BadConfigIT {
  @TempDir Path dir;

  private record Outcome(int exit, String output) {}

  private Outcome run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("node did not exit on bad configuration");
    }
    return new Outcome(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }

  private void assertRejected(String key, Outcome o) throws IOException {
    assertEquals(2, o.exit(), o.output());
    assertEquals(1, o.output().lines().count(), "one line expected:\n" + o.output());
    assertTrue(o.output().contains(key), "line does not name " + key + ": " + o.output());
    assertFalse(Files.exists(dir.resolve("data")), "data was written despite the bad config");
  }

  @Test
  void wrongTypeNamesTheKey() throws Exception {
    assertRejected("paddock.tick-time", run("-Dpaddock.tick-time=often"));
  }

  @Test
  void unknownKeyIsRejected() throws Exception {
    assertRejected("paddock.snap-cuont", run("-Dpaddock.snap-cuont=5"));
  }

  @Test
  void portInUseNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertRejected("paddock.client-port",
          run("-Dpaddock.client-port=" + taken.getLocalPort(), "-Dpaddock.peer-port=0"));
    }
  }

  @Test
  void unwritableDataDirIsRejected() throws Exception {
    Path file = dir.resolve("not-a-dir");
    Files.writeString(file, "x");
    Outcome o = run("-Dpaddock.data-dir=" + file.resolve("data"));
    assertEquals(2, o.exit(), o.output());
    assertTrue(o.output().contains("paddock.data-dir"), o.output());
  }

  @Test
  void myIdMissingFromServersIsRejected() throws Exception {
    Files.writeString(dir.resolve("bad.conf"), "paddock {\n  my-id = 7\n  servers = [\n"
        + "    { id = 1, host = \"127.0.0.1\", peer-port = 2888, client-port = 2181 },\n"
        + "    { id = 2, host = \"127.0.0.1\", peer-port = 2889, client-port = 2182 }\n  ]\n}\n");
    assertRejected("paddock.my-id", run("-Dconfig.file=bad.conf"));
  }

  @Test
  void anEnsembleBeyondLoopbackWithoutPeerTlsIsRejected() throws Exception {
    // 192.0.2.0/24 is reserved for documentation: the node refuses before contacting anyone.
    int peerPort;
    int clientPort;
    try (ServerSocket a = new ServerSocket(0); ServerSocket b = new ServerSocket(0)) {
      peerPort = a.getLocalPort();
      clientPort = b.getLocalPort();
    }
    Files.writeString(dir.resolve("remote.conf"), "paddock {\n  my-id = 1\n"
        + "  session-secret = \"a-secret-that-is-not-the-sample\"\n  servers = [\n"
        + "    { id = 1, host = \"127.0.0.1\", peer-port = " + peerPort + ", client-port = "
        + clientPort + " },\n"
        + "    { id = 2, host = \"192.0.2.2\", peer-port = 2888, client-port = 2181 },\n"
        + "    { id = 3, host = \"192.0.2.3\", peer-port = 2888, client-port = 2181 }\n"
        + "  ]\n}\n");
    Outcome o = run("-Dconfig.file=remote.conf", "-Dpaddock.admin.enabled=off");
    assertRejected("paddock.peer-tls", o);
    assertTrue(o.output().contains("trust-store-password"), o.output());
  }

  @Test
  void misspeltRoleInAServersEntryIsRejected() throws Exception {
    Files.writeString(dir.resolve("bad.conf"), "paddock {\n  my-id = 1\n  servers = [\n"
        + "    { id = 1, host = \"127.0.0.1\", peer-port = 2888, client-port = 2181 },\n"
        + "    { id = 2, host = \"127.0.0.1\", peer-port = 2889, client-port = 2182, "
        + "rol = observer }\n  ]\n}\n");
    assertRejected("paddock.servers[1].rol", run("-Dconfig.file=bad.conf"));
  }

  @Test
  void sampleSessionSecretBeyondLoopbackIsRejected() throws Exception {
    Files.writeString(dir.resolve("bad.conf"), "paddock {\n  my-id = 1\n"
        + "  session-secret = \"local-ensemble-secret-change-me\"\n  servers = [\n"
        + "    { id = 1, host = \"127.0.0.1\", peer-port = 2888, client-port = 2181 },\n"
        + "    { id = 2, host = \"192.0.2.7\", peer-port = 2889, client-port = 2182 }\n"
        + "  ]\n}\n");
    assertRejected("paddock.session-secret", run("-Dconfig.file=bad.conf"));
  }

  @Test
  void adminPortInUseNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      assertRejected("paddock.admin.port", run("-Dpaddock.client-port=0",
          "-Dpaddock.peer-port=0", "-Dpaddock.typed-client-port=0",
          "-Dpaddock.admin.port=" + taken.getLocalPort()));
    }
  }

  @Test
  void typedClientPortInUseNamesThePort() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      assertRejected("paddock.typed-client-port", run("-Dpaddock.client-port=0",
          "-Dpaddock.peer-port=0", "-Dpaddock.typed-client-port=" + taken.getLocalPort()));
    }
  }

  @Test
  void unknownArgumentNamesTheCommands() throws Exception {
    Outcome o = run("-Dpaddock.client-port=0", "snapshots");
    assertRejected("unexpected argument 'snapshots'", o);
    assertTrue(o.output().contains("import-zookeeper"), o.output());
  }

  @Test
  void toolsRunFromTheJar() throws Exception {
    Outcome help = run("--help");
    assertEquals(0, help.exit(), help.output());
    for (String command : List.of("snapshot", "log", "verify", "backup", "restore",
        "import-zookeeper", "gen-certs")) {
      assertTrue(help.output().contains(command), help.output());
    }
    Files.createDirectories(dir.resolve("empty"));
    Outcome verify = run("verify", "empty");
    assertEquals(0, verify.exit(), verify.output());
    assertTrue(verify.output().endsWith("OK"), verify.output());
    Outcome missing = run("restore", "--from", "nothing.backup");
    assertEquals(2, missing.exit(), missing.output());
    assertTrue(missing.output().contains("--data"), missing.output());
  }
}
