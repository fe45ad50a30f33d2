package dev.paddock.storage;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;

/**
 * Pekko's journal TCK against {@link SegmentedFileJournal}, with segments small enough that the
 * suite rolls over and reclaims segments while it runs. Metadata support is enabled on top of
 * the capabilities JavaJournalSpec already turns on (serialization, rejecting non-serializable
 * events).
 */
public class SegmentedFileJournalSpec extends JavaJournalSpec {

  public SegmentedFileJournalSpec() {
    super(
        StorageTestSupport.config(
            StorageTestSupport.newTempDir("journal-tck"),
            StorageTestSupport.newTempDir("journal-tck-snapshots"),
            "8 KiB",
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
