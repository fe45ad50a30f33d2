package dev.paddock.node;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import dev.paddock.session.AuditLog;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * {@code paddock.log}: where the server logs and in which format. The console in text is what
 * logback.xml sets up; a directory switches to a size-rolled file there, and {@code json} to
 * Logback's own JSON encoder (one object per line), for log shippers.
 */
public record LogSetup(Path dir, long maxFileSize, int maxFiles, boolean json) {
  static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{24} "
      + "[%X{pekkoSource}] - %msg%n";

  public static LogSetup from(Config root) {
    Config c = root.getConfig("paddock.log");
    try {
      String dir = c.getString("dir");
      long size = c.getBytes("max-file-size");
      int files = c.getInt("max-files");
      String format = c.getString("format");
      if (size < 1024) {
        throw new ConfigError("paddock.log.max-file-size", "must be at least 1 KiB");
      }
      if (files < 1 || files > 1000) {
        throw new ConfigError("paddock.log.max-files", "must be in [1, 1000], was " + files);
      }
      if (!format.equals("text") && !format.equals("json")) {
        throw new ConfigError("paddock.log.format", "must be text or json, was " + format);
      }
      return new LogSetup(dir.isEmpty() ? null : Path.of(dir), size, files,
          format.equals("json"));
    } catch (ConfigException e) {
      throw new ConfigError("paddock.log", e.getMessage());
    }
  }

  /** Applies the settings to the process's logging, unless they are the defaults. */
  void apply() {
    if (dir != null || json) {
      apply((LoggerContext) LoggerFactory.getILoggerFactory());
    }
  }

  /**
   * Replaces the root logger's appenders with the one these settings describe, and the audit
   * logger's with its own: audit.log beside node.log, never the server log itself.
   */
  void apply(LoggerContext context) {
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<ILoggingEvent> appender = dir == null ? console(context) : file(context, "node");
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
    Logger audit = context.getLogger(AuditLog.LOGGER);
    Appender<ILoggingEvent> auditAppender = dir == null ? console(context)
        : file(context, "audit");
    audit.detachAndStopAllAppenders();
    audit.setAdditive(false);
    audit.addAppender(auditAppender);
  }

  private Encoder<ILoggingEvent> encoder(LoggerContext context) {
    if (json) {
      JsonEncoder e = new JsonEncoder();
      e.setContext(context);
      e.start();
      return e;
    }
    PatternLayoutEncoder e = new PatternLayoutEncoder();
    e.setContext(context);
    e.setPattern(PATTERN);
    e.start();
    return e;
  }

  private Appender<ILoggingEvent> console(LoggerContext context) {
    ConsoleAppender<ILoggingEvent> a = new ConsoleAppender<>();
    a.setContext(context);
    a.setName("console");
    a.setEncoder(encoder(context));
    a.start();
    return a;
  }

  /** name.log, rolled to name.1.log ... name.(max-files - 1).log by size. */
  private Appender<ILoggingEvent> file(LoggerContext context, String name) {
    RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
    a.setContext(context);
    a.setName(name + "-file");
    a.setFile(dir.resolve(name + ".log").toString());
    FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
    rolling.setContext(context);
    rolling.setParent(a);
    rolling.setFileNamePattern(dir.resolve(name + ".%i.log").toString());
    rolling.setMinIndex(1);
    rolling.setMaxIndex(Math.max(1, maxFiles - 1));
    rolling.start();
    SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
    trigger.setContext(context);
    trigger.setMaxFileSize(new FileSize(maxFileSize));
    // Logback looks at the size once a minute by default; a busy server can write far past the
    // limit in a minute, and a file's length is cheap to ask for.
    trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(250));
    trigger.start();
    a.setRollingPolicy(rolling);
    a.setTriggeringPolicy(trigger);
    a.setEncoder(encoder(context));
    a.start();
    return a;
  }
}
