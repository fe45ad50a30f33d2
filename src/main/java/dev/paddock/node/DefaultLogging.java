package dev.paddock.node;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import dev.paddock.session.AuditLog;

/**
 * The server's logging when nobody configured Logback: text on the console, the audit log on
 * lines of its own. Built in code rather than read from a logback.xml because Logback's XML
 * configuration loaded about 450 more classes (an XML parser among them) and took about
 * 100 ms of an empty server's start. An operator's {@code -Dlogback.configurationFile}, or a
 * logback-test.xml on the class path, still goes to Logback's own configurators, as before.
 * {@code paddock.log} (see {@link LogSetup}) changes appenders after this has run.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class DefaultLogging extends ContextAwareBase implements Configurator {
  static final String CONSOLE_PATTERN =
      "%d{HH:mm:ss.SSS} %-5level %logger{24} [%X{pekkoSource}] - %msg%n";
  static final String AUDIT_PATTERN = "%d{HH:mm:ss.SSS} AUDIT %msg%n";
  static final String CONFIGURATION_FILE = "logback.configurationFile";

  @Override
  public ExecutionStatus configure(LoggerContext context) {
    if (configuredElsewhere(DefaultLogging.class.getClassLoader())) {
      return ExecutionStatus.INVOKE_NEXT_IF_ANY;
    }
    apply(context);
    return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
  }

  /** An operator's configuration file, or one on the class path, which Logback then reads. */
  static boolean configuredElsewhere(ClassLoader loader) {
    return System.getProperty(CONFIGURATION_FILE) != null
        || loader.getResource("logback-test.xml") != null
        || loader.getResource("logback.xml") != null;
  }

  static void apply(LoggerContext context) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(console(context, "STDOUT", CONSOLE_PATTERN));
    Logger audit = context.getLogger(AuditLog.LOGGER);
    audit.setLevel(Level.INFO);
    audit.setAdditive(false);
    audit.addAppender(console(context, "AUDIT", AUDIT_PATTERN));
    context.getLogger("org.apache.pekko").setLevel(Level.INFO);
  }

  private static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name,
      String pattern) {
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern(pattern);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(context);
    appender.setName(name);
    appender.setEncoder(encoder);
    appender.start();
    return appender;
  }
}
