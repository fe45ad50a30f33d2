package dev.paddock.storage;

import java.nio.file.Path;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.snapshot.JavaSnapshotStoreSpec;

/** Pekko's snapshot store TCK against {@link FileSnapshotStore}, including metadata support. */
public class FileSnapshotStoreSpec extends JavaSnapshotStoreSpec {

  // Static because the ScalaTest engine also instantiates suites during discovery; only the
  // executing instance runs afterAll, which must find and remove the directories.
  private static final Path JOURNAL_DIR = StorageTestSupport.newTempDir("snapshot-tck-journal");
  private static final Path SNAPSHOT_DIR = StorageTestSupport.newTempDir("snapshot-tck");

  public FileSnapshotStoreSpec() {
    super(StorageTestSupport.config(JOURNAL_DIR, SNAPSHOT_DIR, "64 KiB", true));
  }

  @Override
  public CapabilityFlag supportsMetadata() {
    return CapabilityFlag.on();
  }

  @Override
  public void afterAll() {
    super.afterAll();
    StorageTestSupport.deleteRecursively(JOURNAL_DIR);
    StorageTestSupport.deleteRecursively(SNAPSHOT_DIR);
  }
}
