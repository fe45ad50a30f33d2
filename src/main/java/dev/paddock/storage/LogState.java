package dev.paddock.storage;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Everything known about the log, built by {@link LogRecovery} and then owned by the
 * {@link JournalWriter} thread. Only {@link #segments} and {@link #index} are shared with
 * replaying readers; they are thread-safe. The rest is confined to the writer thread.
 */
final class LogState {
  final ConcurrentNavigableMap<Long, Segment> segments = new ConcurrentSkipListMap<>();
  final JournalIndex index = new JournalIndex();
  final Map<String, PidState> pids = new HashMap<>();
  Segment active;
  long writePosition;

  /**
   * What recovery must be able to reconstruct for a persistenceId, and which segments currently
   * hold the evidence for it. Reclaiming a segment that holds the only evidence requires
   * re-appending a deletion marker first, otherwise the highest sequence number would regress.
   */
  static final class PidState {
    long highest;
    long highestSegment;
    long deletedTo;
    long markerSegment;

    void onEvent(long seqNr, long segment) {
      if (seqNr >= highest) {
        highest = seqNr;
        highestSegment = segment;
      }
    }

    void onMarker(long markerDeletedTo, long markerHighest, long segment) {
      if (markerDeletedTo >= deletedTo) {
        deletedTo = markerDeletedTo;
        markerSegment = segment;
      }
      if (markerHighest >= highest) {
        highest = markerHighest;
        highestSegment = segment;
      }
    }
  }

  PidState pid(String persistenceId) {
    return pids.computeIfAbsent(persistenceId, k -> new PidState());
  }

  long deletedTo(String persistenceId) {
    PidState s = pids.get(persistenceId);
    return s == null ? 0L : s.deletedTo;
  }
}
