package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * zkCli as operators run it: {@code ZooKeeperMain -server host:port} in its own JVM, fed a script
 * on standard input. Its output is checked line by line, and must equal the same script's output
 * against a real ZooKeeper once times, zxids and session ids are masked.
 */
class ZkCliTest {
  @TempDir Path paddockDir;
  @TempDir Path zkDir;

  private static final List<String> SCRIPT = List.of(
      "create /cli data",
      "create -s -e /cli/seq- x",
      "create -s /cli/seq- y",
      "create /cli/sub",
      "create /cli/sub/deep d",
      "ls -R /cli",
      "ls -s /cli/sub",
      "get -s /cli",
      "set -v 0 /cli new",
      "set -v 0 /cli again",
      "get /cli",
      "stat /cli/sub/deep",
      "delete /cli/sub",
      "delete /cli/sub/deep",
      "delete /cli/none",
      "addauth digest user:pw",
      "create /cli/locked secret auth::cdrwa",
      "getAcl /cli/locked",
      "getAcl /cli",
      "sync /cli",
      "deleteall /cli",
      "ls /");

  /** zkCli needs commons-cli, which the pom adds at test scope (zookeeper marks it provided). */
  private static String commonsCli() throws Exception {
    Class<?> c = Class.forName("org.apache.commons.cli.ParseException");
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  private static String runScript(String cli, String connect) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path") + File.pathSeparator + cli;
    Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", cp,
        "-Dlogback.configurationFile=" + Path.of("src/test/resources/logback-test.xml")
            .toAbsolutePath(), "org.apache.zookeeper.ZooKeeperMain", "-server", connect)
        .redirectErrorStream(true)
        .start();
    try (OutputStream in = p.getOutputStream()) {
      in.write((String.join("\n", SCRIPT) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "zkCli did not finish");
    return mask(out);
  }

  /** Hides what differs between any two servers: zxids, times, session ids, log lines. */
  private static String mask(String s) {
    List<String> out = new ArrayList<>();
    for (String line : s.split("\n")) {
      if (line.matches("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} .*") || line.startsWith("Connecting to")
          || line.startsWith("\tat ") || line.isBlank()) {
        continue;
      }
      line = line.replaceAll("^(cZxid|mZxid|pZxid) = 0x[0-9a-f]+$", "$1 = 0xZXID");
      line = line.replaceAll("^(ctime|mtime) = .*$", "$1 = TIME");
      line = line.replaceAll("^ephemeralOwner = 0x[0-9a-f]{6,}$", "ephemeralOwner = SESSION");
      line = line.replaceAll("zxid: -?\\d+", "zxid: Z");
      out.add(line);
    }
    return String.join("\n", out) + "\n";
  }

  @Test
  void scriptPrintsWhatZooKeeperPrints() throws Exception {
    Optional<String> cli = Optional.of(commonsCli());
    String paddockOut;
    try (PaddockServer paddock = PaddockServer.start(paddockDir)) {
      paddockOut = runScript(cli.get(), paddock.connectString());
    }
    String hash = DigestAuthenticationProvider.generateDigest("user:pw");
    for (String expected : List.of(
        "Created /cli\nCreated /cli/seq-0000000000\nCreated /cli/seq-0000000001\n"
            + "Created /cli/sub\nCreated /cli/sub/deep\n",
        "/cli\n/cli/seq-0000000000\n",
        "/cli/sub/deep\n",
        "data\ncZxid = 0xZXID\nctime = TIME\nmZxid = 0xZXID\nmtime = TIME\n"
            + "pZxid = 0xZXID\ncversion = 3\ndataVersion = 0\naclVersion = 0\n"
            + "ephemeralOwner = 0x0\ndataLength = 4\nnumChildren = 3\n",
        "version No is not valid : /cli\nnew\n",
        "ephemeralOwner = 0x0\ndataLength = 1\nnumChildren = 0\n",
        "Node not empty: /cli/sub\n",
        "Node does not exist: /cli/none\n",
        "'digest,'" + hash + "\n: cdrwa\n'world,'anyone\n: cdrwa\n",
        "Sync is OK\n",
        "[zookeeper]\n")) {
      assertTrue(paddockOut.contains(expected), "missing:\n" + expected + "\nin:\n" + paddockOut);
    }
    String zkOut;
    try (TestingServer zk = ReferenceZooKeeper.start(zkDir)) {
      zkOut = runScript(cli.get(), zk.getConnectString());
    }
    assertEquals(zkOut, paddockOut);
  }
}
