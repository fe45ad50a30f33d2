package dev.paddock.storage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** Shared helpers of the storage tests: temp directories, plugin config, log capture. */
final class StorageTestSupport {
  static final String JOURNAL = "paddock.journal";
  static final String SNAPSHOTS = "paddock.snapshot-store";

  private StorageTestSupport() {}

  static Path newTempDir(String prefix) {
    try {
      return Files.createTempDirectory("paddock-" + prefix + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Config with both plugins as defaults; {@code segmentSize} is a HOCON size like "4 KiB". */
  static Config config(Path journalDir, Path snapshotDir, String segmentSize, boolean preallocate) {
    return ConfigFactory.parseString(
            // Local provider: the project's reference.conf enables remoting on a fixed port,
            // which several test systems (or a running node) cannot share.
            "pekko.actor.provider = local\n"
                + "pekko.loglevel = WARNING\n"
                + "pekko.persistence.journal.plugin = \"" + JOURNAL + "\"\n"
                + "pekko.persistence.snapshot-store.plugin = \"" + SNAPSHOTS + "\"\n"
                + JOURNAL + " {\n"
                + "  class = \"dev.paddock.storage.SegmentedFileJournal\"\n"
                + "  dir = \"" + escape(journalDir) + "\"\n"
                + "  segment-size = " + segmentSize + "\n"
                + "  preallocate = " + (preallocate ? "on" : "off") + "\n"
                + "  fsync = on\n"
                + "}\n"
                + SNAPSHOTS + " {\n"
                + "  class = \"dev.paddock.storage.FileSnapshotStore\"\n"
                + "  dir = \"" + escape(snapshotDir) + "\"\n"
                + "  io-dispatcher = \"paddock.snapshot-io-dispatcher\"\n"
                + "}\n"
                + "paddock.snapshot-io-dispatcher {\n"
                + "  type = Dispatcher\n"
                + "  executor = \"thread-pool-executor\"\n"
                + "  thread-pool-executor.fixed-pool-size = 2\n"
                + "  throughput = 1\n"
                + "}\n")
        .withFallback(ConfigFactory.load());
  }

  private static String escape(Path p) {
    return p.toAbsolutePath().toString().replace("\\", "\\\\");
  }

  /** Segment files of a journal directory, oldest first. */
  static List<Path> segmentFiles(Path journalDir) {
    try (Stream<Path> files = Files.list(journalDir)) {
      return files
          .filter(p -> JournalFormat.parseSegmentNumber(p.getFileName().toString()) > 0)
          .sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Captures what a class logs through logback until {@link LogCapture#close()}. */
  static final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    LogCapture(Class<?> source) {
      logger = (Logger) LoggerFactory.getLogger(source);
      appender.start();
      logger.addAppender(appender);
    }

    List<String> warnings() {
      synchronized (appender.list) {
        return appender.list.stream()
            .filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
            .map(ILoggingEvent::getFormattedMessage)
            .collect(Collectors.toList());
      }
    }

    @Override
    public void close() {
      logger.detachAppender(appender);
      appender.stop();
    }
  }
}
