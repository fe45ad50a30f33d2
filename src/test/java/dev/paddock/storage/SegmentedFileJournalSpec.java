package dev.paddock.storage;

import java.nio.file.Path;
import org.apache.pekko.persistence.CapabilityFlag;
import org.apache.pekko.persistence.japi.journal.JavaJournalSpec;

/**
 * Pekko's journal TCK against {@link SegmentedFileJournal}, with the smallest segment size so
 * the suite's data spans more than one segment. Metadata support is enabled on top of
 * the capabilities JavaJournalSpec already turns on (serialization, rejecting non-serializable
 * events).
 */
public class SegmentedFileJournalSpec extends JavaJournalSpec {

  // Static because the ScalaTest engine also instantiates suites during discovery; only the
  // executing instance runs afterAll, which must find and remove the directories.
  private static final Path JOURNAL_DIR = StorageTestSupport.newTempDir("journal-tck");
  private static final Path SNAPSHOT_DIR = StorageTestSupport.newTempDir("journal-tck-snapshots");

  public SegmentedFileJournalSpec() {
    super(StorageTestSupport.config(JOURNAL_DIR, SNAPSHOT_DIR, "4 KiB", true));
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
