package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** paddock.log: rolled files and JSON lines, in a logger context of the test's own. */
class LogSetupTest {
  @TempDir Path dir;

  static LogSetup settings(Map<String, Object> values) {
    return LogSetup.from(ConfigFactory.parseMap(values).withFallback(ConfigFactory.load()));
  }

  @Test
  void jsonLinesGoToARollingFile() throws Exception {
    LogSetup s = settings(Map.of("paddock.log.dir", dir.toString(),
        "paddock.log.format", "json", "paddock.log.max-file-size", "4 KiB",
        "paddock.log.max-files", 3));
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    s.apply(context);
    org.slf4j.Logger log = context.getLogger("dev.paddock.test");
    String filler = "x".repeat(200);
    // Logback checks a file's size every 250 ms: log until it has rolled twice,
    // then until the oldest kept file was replaced once more.
    long deadline = System.nanoTime() + 20_000_000_000L;
    int i = 0;
    Path second = dir.resolve("node.2.log");
    while (Files.notExists(second) && System.nanoTime() < deadline) {
      log.info("line {} {}", i++, filler);
    }
    String before = Files.readString(second);
    while (Files.readString(second).equals(before) && System.nanoTime() < deadline) {
      for (int k = 0; k < 100; k++) {
        log.info("line {} {}", i++, filler);
      }
    }
    context.stop();
    assertTrue(!Files.readString(second).equals(before), "rolled a third time");
    List<String> lines = Files.readAllLines(dir.resolve("node.log"));
    assertTrue(!lines.isEmpty(), String.valueOf(java.util.Arrays.asList(dir.toFile().list())));
    JsonNode last = new ObjectMapper().readTree(lines.get(lines.size() - 1));
    assertEquals("line {} {}", last.get("message").asText());
    assertEquals("INFO", last.get("level").asText());
    assertEquals("dev.paddock.test", last.get("loggerName").asText());
    assertTrue(Files.exists(dir.resolve("node.1.log")));
    assertTrue(Files.notExists(dir.resolve("node.3.log")), "at most max-files files");
  }

  @Test
  void textIsTheDefaultPattern() throws Exception {
    LogSetup s = settings(Map.of("paddock.log.dir", dir.toString()));
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    s.apply(context);
    context.getLogger("dev.paddock.test").warn("careful");
    context.stop();
    String line = Files.readString(dir.resolve("node.log"));
    assertTrue(line.replace("\r", "").matches("\\d{4}-\\d\\d-\\d\\d [0-9:.]+ WARN  dev.paddock.test \\[\\] - "
        + "careful\n"), "[" + line + "]");
  }

  @Test
  void auditLinesGoToTheirOwnFile() throws Exception {
    LogSetup s = settings(Map.of("paddock.log.dir", dir.toString()));
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    s.apply(context);
    context.getLogger(dev.paddock.session.AuditLog.LOGGER).info("session=0x1 operation=x");
    context.getLogger("dev.paddock.test").info("server line");
    context.stop();
    String audit = Files.readString(dir.resolve("audit.log"));
    String node = Files.readString(dir.resolve("node.log"));
    assertTrue(audit.contains("session=0x1 operation=x") && !audit.contains("server line"),
        audit);
    assertTrue(node.contains("server line") && !node.contains("session=0x1"), node);
  }

  @Test
  void badSettingsNameTheKey() {
    ConfigError e = assertThrows(ConfigError.class,
        () -> settings(Map.of("paddock.log.format", "xml")));
    assertEquals("paddock.log.format", e.key());
    assertEquals("paddock.log.max-files", assertThrows(ConfigError.class,
        () -> settings(Map.of("paddock.log.max-files", 0))).key());
  }
}
