package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import dev.paddock.session.AuditLog;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import org.junit.jupiter.api.Test;

/** The logging a node.jar gets without a Logback configuration file, in contexts of its own. */
class DefaultLoggingTest {
  /** A class loader that has no resources at all, as node.jar has no logback.xml. */
  private static final ClassLoader BARE = new ClassLoader(null) {
    @Override
    public URL getResource(String name) {
      return null;
    }

    @Override
    public Enumeration<URL> getResources(String name) {
      return Collections.emptyEnumeration();
    }
  };

  private static LoggerContext context() {
    LoggerContext context = new LoggerContext();
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();
    return context;
  }

  @Test
  void serverLinesAndAuditLinesGoToTheConsoleApart() {
    LoggerContext context = context();
    DefaultLogging.apply(context);
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    assertEquals(Level.INFO, root.getLevel());
    ConsoleAppender<ILoggingEvent> out =
        (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
    assertTrue(out.isStarted());
    Logger audit = context.getLogger(AuditLog.LOGGER);
    assertFalse(audit.isAdditive(), "audit lines stay out of the server log");
    ConsoleAppender<ILoggingEvent> auditOut =
        (ConsoleAppender<ILoggingEvent>) audit.getAppender("AUDIT");
    assertNull(audit.getAppender("STDOUT"));

    LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.paddock.node.QuorumPeer"),
        Level.WARN, "port {} taken", null, new Object[] {2181});
    String line = encode(out, event);
    assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  d\\.p\\.node\\.QuorumPeer "
        + "\\[\\] - port 2181 taken\\R"), line);
    LoggingEvent auditEvent = new LoggingEvent("x", audit, Level.INFO, "session 0x1 create /a",
        null, null);
    assertTrue(encode(auditOut, auditEvent).matches(
        "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} AUDIT session 0x1 create /a\\R"));
    context.stop();
  }

  @Test
  void anOperatorsConfigurationFileIsLeftToLogback() {
    String before = System.getProperty(DefaultLogging.CONFIGURATION_FILE);
    try {
      System.clearProperty(DefaultLogging.CONFIGURATION_FILE);
      assertFalse(DefaultLogging.configuredElsewhere(BARE));
      System.setProperty(DefaultLogging.CONFIGURATION_FILE, "/etc/paddock/logback.xml");
      assertTrue(DefaultLogging.configuredElsewhere(BARE));
      LoggerContext context = context();
      DefaultLogging logging = new DefaultLogging();
      logging.setContext(context);
      assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, logging.configure(context));
      assertFalse(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext(),
          "nothing configured in its place");
      context.stop();
    } finally {
      if (before == null) {
        System.clearProperty(DefaultLogging.CONFIGURATION_FILE);
      } else {
        System.setProperty(DefaultLogging.CONFIGURATION_FILE, before);
      }
    }
  }

  @Test
  void aConfigurationOnTheClassPathIsLeftToLogback() {
    // The tests' own logback-test.xml is such a file.
    assertTrue(DefaultLogging.configuredElsewhere(DefaultLoggingTest.class.getClassLoader()));
  }

  private static String encode(ConsoleAppender<ILoggingEvent> appender, ILoggingEvent event) {
    PatternLayoutEncoder encoder = (PatternLayoutEncoder) appender.getEncoder();
    return new String(encoder.encode(event), StandardCharsets.UTF_8);
  }
}
