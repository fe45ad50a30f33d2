package dev.paddock.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.node.PeerTls;
import dev.paddock.node.PekkoConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenCertsTest {
  @TempDir Path dir;

  /** The peer-tls blocks the command printed, one per server, as configuration. */
  private static List<Config> printedSettings(String out) {
    List<Config> blocks = new ArrayList<>();
    Matcher m = Pattern.compile("(?s)paddock\\.peer-tls \\{.*?\\n\\}").matcher(out);
    while (m.find()) {
      blocks.add(ConfigFactory.parseString(m.group()));
    }
    return blocks;
  }

  @Test
  void writesPrivateStoresAndPrintsTheSettingsOfEachServer() throws Exception {
    Path certs = dir.resolve("certs");
    Tool t = Tool.run("gen-certs", certs.toString(), "--servers", "2", "--host", "127.0.0.1");
    assertEquals(0, t.status(), t.toString());
    for (String f : List.of("ca.p12", "truststore.p12", "server1.p12", "server2.p12")) {
      assertEquals("rw-------", PosixFilePermissions.toString(
          Files.getPosixFilePermissions(certs.resolve(f))), f);
    }
    assertFalse(Files.exists(certs.resolve("server3.p12")));
    assertTrue(t.out().contains("(generated)"), t.out());
    List<Config> blocks = printedSettings(t.out());
    assertEquals(2, blocks.size(), t.out());
    PeerTls one = PeerTls.from(blocks.get(0));
    PeerTls two = PeerTls.from(blocks.get(1));
    assertEquals(certs.resolve("server1.p12").toAbsolutePath().toString(), one.keyStore());
    assertEquals(certs.resolve("server2.p12").toAbsolutePath().toString(), two.keyStore());
    assertNotEquals(one.keyStorePassword(), one.trustStorePassword());

    // The authority's key opens with its own password, which no server's settings hold.
    String ca = certs.resolve("ca.p12").toString();
    assertThrows(IOException.class, () -> open(ca, one.keyStorePassword()));
    java.util.regex.Matcher m = java.util.regex.Pattern
        .compile("ca\\.p12 password: (\\S+)").matcher(t.out());
    assertTrue(m.find(), t.out());
    assertNotNull(open(ca, m.group(1)).getKey("key", m.group(1).toCharArray()));

    X509Certificate cert = (X509Certificate) open(one.keyStore(), one.keyStorePassword())
        .getCertificate("key");
    assertEquals("CN=paddock-server-1,O=Paddock", cert.getSubjectX500Principal().getName());

    // Two actor systems configured from what was printed talk to each other over mutual TLS.
    ActorTestKit a = ActorTestKit.create("paddock", systemConfig(one));
    ActorTestKit b = ActorTestKit.create("paddock", systemConfig(two));
    try {
      TestProbe<String> there = b.createTestProbe();
      ActorRef<String> fromA = ActorRefResolver.get(a.system()).resolveActorRef(
          ActorRefResolver.get(b.system()).toSerializationFormat(there.ref()));
      fromA.tell("over tls");
      assertEquals("over tls", there.receiveMessage(java.time.Duration.ofSeconds(20)));
    } finally {
      // Both at once: a TLS association whose far side stays up can keep Artery's shutdown
      // waiting on its stream, which ends once the other system closes the connection too.
      a.system().terminate();
      b.system().terminate();
      a.shutdownTestKit();
      b.shutdownTestKit();
    }
  }

  @Test
  void takesTheServersOfAConfigurationAndNeverOverwrites() throws Exception {
    Path conf = dir.resolve("node1.conf");
    Files.writeString(conf, "paddock.servers = [\n"
        + "  {id = 4, host = \"10.1.2.3\", peer-port = 2888, client-port = 2181, role = voter}\n"
        + "  {id = 7, host = \"zk7.example\", peer-port = 2888, client-port = 2181, "
        + "role = observer}\n]\n");
    Path certs = dir.resolve("c");
    Tool t = Tool.run("gen-certs", certs.toString(), "--config", conf.toString(),
        "--key-store-password", "kp", "--trust-store-password", "tp", "--ca-password", "cp");
    assertEquals(0, t.status(), t.toString());
    assertFalse(t.out().contains("(generated)"));
    X509Certificate seven = (X509Certificate) open(certs.resolve("server7.p12").toString(), "kp")
        .getCertificate("key");
    assertTrue(seven.getSubjectAlternativeNames().stream()
        .anyMatch(n -> n.get(1).equals("zk7.example")));
    assertTrue(Files.exists(certs.resolve("server4.p12")));
    assertEquals(1, open(certs.resolve("truststore.p12").toString(), "tp").size());

    Tool again = Tool.run("gen-certs", certs.toString(), "--config", conf.toString());
    assertEquals(1, again.status(), again.toString());
    assertTrue(again.err().contains("refusing to overwrite"), again.toString());
  }

  private static KeyStore open(String file, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }

  private static Config systemConfig(PeerTls tls) {
    Map<String, Object> own = new HashMap<>(tls.pekkoSettings());
    own.put("pekko.actor.provider", "remote");
    own.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    own.put("pekko.remote.artery.canonical.port", 0);
    return ConfigFactory.parseMap(own)
        .withFallback(PekkoConfig.withPaddockDefaults(ConfigFactory.load())).resolve();
  }
}
