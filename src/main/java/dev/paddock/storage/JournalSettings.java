package dev.paddock.storage;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Settings of {@link SegmentedFileJournal}, read from the plugin's own config block.
 *
 * @param dir directory holding the segment files (created if missing)
 * @param segmentSize size at which the writer rolls to a new segment
 * @param preallocate write real zeros over each new segment before it is used
 * @param fsync force written data to the device before acknowledging it
 * @param maxBatchRequests upper bound of write/delete requests combined in one group commit
 * @param replayDispatcher dispatcher whose threads perform the blocking reads of a replay
 */
record JournalSettings(
    Path dir,
    long segmentSize,
    boolean preallocate,
    boolean fsync,
    int maxBatchRequests,
    String replayDispatcher) {

  static final long MIN_SEGMENT_SIZE = 4096;
  // Index locations keep 36 bits for the offset; leave room for one oversized record.
  static final long MAX_SEGMENT_SIZE = 16L << 30;

  JournalSettings {
    if (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE) {
      throw new IllegalArgumentException(
          "segment-size must be between " + MIN_SEGMENT_SIZE + " and " + MAX_SEGMENT_SIZE
              + " bytes, was " + segmentSize);
    }
    if (maxBatchRequests < 1) {
      throw new IllegalArgumentException("max-batch-requests must be positive");
    }
  }

  static JournalSettings fromConfig(Config config) {
    return new JournalSettings(
        Paths.get(config.getString("dir")).toAbsolutePath(),
        config.hasPath("segment-size") ? config.getBytes("segment-size") : 64L << 20,
        !config.hasPath("preallocate") || config.getBoolean("preallocate"),
        !config.hasPath("fsync") || config.getBoolean("fsync"),
        config.hasPath("max-batch-requests") ? config.getInt("max-batch-requests") : 4096,
        config.hasPath("replay-dispatcher")
            ? config.getString("replay-dispatcher")
            : "pekko.persistence.dispatchers.default-replay-dispatcher");
  }
}
