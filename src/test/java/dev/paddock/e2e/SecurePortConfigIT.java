package dev.paddock.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.security.Certificates;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS client port with incomplete or wrong settings: node.jar exits with status 2 and one line
 * naming the setting, before it writes any data.
 */
class SecurePortConfigIT {
  @TempDir Path dir;

  private record Outcome(int exit, String output) {}

  private Outcome run(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", NodeProcess.jar().toString(), "-Dpaddock.client-port=0",
        "-Dpaddock.peer-port=0", "-Dpaddock.secure-client-port=0"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
      throw new AssertionError("node did not exit on bad TLS settings");
    }
    return new Outcome(p.exitValue(),
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim());
  }

  private void assertRejected(String key, Outcome o) {
    assertEquals(2, o.exit(), o.output());
    assertEquals(1, o.output().lines().count(), "one line expected:\n" + o.output());
    assertTrue(o.output().contains(key + ":"), "line does not name " + key + ": " + o.output());
    assertFalse(Files.exists(dir.resolve("data")), "data was written despite the bad config");
  }

  @Test
  void aSecurePortWithoutAKeyStoreNamesTheMissingSetting() throws Exception {
    assertRejected("paddock.ssl.keyStore.location", run());
  }

  @Test
  void aWrongKeyStorePasswordNamesIt() throws Exception {
    Certificates.Issued ca = Certificates.newAuthority("ca", Duration.ofDays(1));
    Path keys = dir.resolve("server.p12");
    Certificates.issue(ca, "CN=server", List.of("127.0.0.1"), Duration.ofDays(1))
        .writeKeyStore(keys, "right".toCharArray());
    Path trust = dir.resolve("trust.p12");
    Certificates.writeTrustStore(ca.certificate(), trust, "right".toCharArray());
    assertRejected("paddock.ssl.keyStore.password", run(
        "-Dpaddock.ssl.keyStore.location=" + keys, "-Dpaddock.ssl.keyStore.password=wrong",
        "-Dpaddock.ssl.trustStore.location=" + trust));
  }
}
