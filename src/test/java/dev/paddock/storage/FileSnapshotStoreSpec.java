package dev.paddock.storage;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.snapshot.JavaSnapshotStoreSpec;

/** Pekko's snapshot store TCK against {@link FileSnapshotStore}, including metadata support. */
public class FileSnapshotStoreSpec extends JavaSnapshotStoreSpec {

  public FileSnapshotStoreSpec() {
    super(
        StorageTestSupport.config(
            StorageTestSupport.newTempDir("snapshot-tck-journal"),
            StorageTestSupport.newTempDir("snapshot-tck"),
            "64 KiB",
            true));
  }

  @Override
  public CapabilityFlag supportsMetadata() {
    return CapabilityFlag.on();
  }

  @Override
  public void afterAll() {
    super.afterAll();
    StorageTestSupport.deleteRecursively(dir(StorageTestSupport.JOURNAL));
    StorageTestSupport.deleteRecursively(dir(StorageTestSupport.SNAPSHOTS));
  }

  private Path dir(String plugin) {
    return Paths.get(config().getString(plugin + ".dir"));
  }
}
