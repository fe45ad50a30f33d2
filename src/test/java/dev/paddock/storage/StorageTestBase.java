package dev.paddock.storage;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts actor systems on per-test plugin directories and tears everything down after. */
abstract class StorageTestBase {
  protected Path dir;
  protected Path snapshotDir;
  private final List<ActorSystem> systems = new ArrayList<>();

  @BeforeEach
  void createDirs() {
    dir = StorageTestSupport.newTempDir("journal");
    snapshotDir = StorageTestSupport.newTempDir("snapshots");
  }

  @AfterEach
  void cleanUp() {
    systems.forEach(StorageTestBase::stop);
    StorageTestSupport.deleteRecursively(dir);
    StorageTestSupport.deleteRecursively(snapshotDir);
  }

  protected ActorSystem start(String segmentSize, boolean preallocate) {
    ActorSystem system =
        ActorSystem.create(
            "storage-test",
            StorageTestSupport.config(dir, snapshotDir, segmentSize, preallocate));
    systems.add(system);
    return system;
  }

  /** Stops the system and waits for it, so the journal has closed its files and lock. */
  protected static void stop(ActorSystem system) {
    if (!system.whenTerminated().isCompleted()) {
      TestKit.shutdownActorSystem(system, Duration.ofSeconds(30), true);
    }
  }

  protected static JournalDriver driver(ActorSystem system) {
    return new JournalDriver(system, UUID.randomUUID().toString());
  }

  protected static JournalStats stats(ActorSystem system) {
    return JournalStats.forPlugin(system, StorageTestSupport.JOURNAL);
  }

  protected static void awaitCondition(ActorSystem system, String what, BooleanSupplier cond) {
    new TestKit(system)
        .awaitCond(JournalDriver.TIMEOUT, Duration.ofMillis(10), what, cond::getAsBoolean);
  }

  protected JournalSettings settings(String segmentSize, boolean preallocate) {
    return JournalSettings.fromConfig(
        StorageTestSupport.config(dir, snapshotDir, segmentSize, preallocate)
            .getConfig(StorageTestSupport.JOURNAL));
  }
}
