package dev.paddock.storage;

import static dev.paddock.storage.JournalDriver.atomic;
import static dev.paddock.storage.JournalDriver.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.storage.JournalFormat.EventsRecord;
import dev.paddock.storage.JournalFormat.StoredEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.Test;

class SegmentedFileJournalTest extends StorageTestBase {

  @Test
  void concurrentWritesShareOneFsync() {
    ActorSystem system = start("1 MiB", true);
    JournalDriver journal = driver(system);
    journal.writeRange("warm-up", 1, 1);
    JournalStats stats = stats(system);
    JournalStats.Snapshot before = stats.snapshot();
    int writers = 100;

    List<TestKit> probes = new ArrayList<>();
    // Holding the writer between batches makes the 100 in-flight requests queue up behind it,
    // exactly as they would behind a slow fsync.
    stats.batchGate.lock();
    try {
      for (int i = 0; i < writers; i++) {
        probes.add(journal.send(atomic(journal.event("pid-" + i, 1, "event-" + i))));
      }
      awaitCondition(system, "all writes handed to the writer",
          () -> stats.snapshot().writeRequests() - before.writeRequests() == writers);
    } finally {
      stats.batchGate.unlock();
    }
    probes.forEach(p -> JournalDriver.expectWritten(p, 1));

    JournalStats.Snapshot after = stats.snapshot();
    assertEquals(writers, after.recordsWritten() - before.recordsWritten());
    assertEquals(writers, after.eventsWritten() - before.eventsWritten());
    assertEquals(1, after.batches() - before.batches(), "one group commit");
    assertEquals(1, after.fsyncs() - before.fsyncs(), "one fsync for all writes");
    for (int i = 0; i < writers; i += 33) {
      assertEquals(List.of(1L), journal.replay("pid-" + i).seqNrs());
    }
  }

  @Test
  void replaysEverythingAfterRestart() {
    ActorSystem first = start("16 KiB", true);
    JournalDriver before = driver(first);
    before.writeRange("a", 1, 30);
    before.write(atomic(
        before.event("a", 31, "a-31"), before.event("a", 32, "a-32"),
        before.event("a", 33, "a-33")));
    before.writeRange("b", 1, 5);
    before.deleteTo("a", 10);
    stop(first);

    JournalDriver after = driver(start("16 KiB", true));
    JournalDriver.Replay a = after.replay("a");
    assertEquals(range(11, 33), a.seqNrs());
    assertEquals(33, a.highest());
    for (PersistentRepr e : a.events()) {
      assertEquals("a-" + e.sequenceNr(), e.payload());
      assertEquals(before.writerUuid, e.writerUuid());
      assertEquals("a", e.persistenceId());
      assertTrue(e.timestamp() > 0, "write time is recorded");
    }
    assertEquals(range(1, 5), after.replay("b").seqNrs());
    assertEquals(List.of(15L, 16L, 17L), after.replay("a", 15, 20, 3).seqNrs());

    after.writeRange("a", 34, 35);
    assertEquals(range(11, 35), after.replay("a").seqNrs());
  }

  @Test
  void rollsOverIntoPreallocatedSegments() throws IOException {
    ActorSystem system = start("4 KiB", true);
    JournalDriver journal = driver(system);
    for (long s = 1; s <= 20; s++) {
      journal.write(atomic(journal.event("r", s, payload(s, 1000))));
    }
    // A record larger than a segment gets a segment of its own.
    journal.write(atomic(journal.event("r", 21, payload(21, 10_000))));
    journal.write(atomic(journal.event("r", 22, payload(22, 100))));

    List<Path> files = StorageTestSupport.segmentFiles(dir);
    assertTrue(files.size() >= 8, "expected many segments, got " + files);
    for (int i = 0; i < files.size(); i++) {
      assertEquals(JournalFormat.segmentFileName(i + 1), files.get(i).getFileName().toString());
      boolean holdsBigRecord = SegmentInspector.frames(files.get(i)).stream()
          .anyMatch(f -> f.length() > 4096);
      if (holdsBigRecord) {
        assertTrue(Files.size(files.get(i)) > 4096);
      } else {
        assertEquals(4096, Files.size(files.get(i)), "preallocated " + files.get(i));
      }
    }
    assertEquals(files.size() - 1, stats(system).snapshot().segmentsCreated());
    assertReplaysPayloads(journal, 22);

    stop(system);
    assertReplaysPayloads(driver(start("4 KiB", true)), 22);
  }

  @Test
  void deletionReclaimsWholeSegmentsAndSurvivesRestarts() throws IOException {
    ActorSystem first = start("4 KiB", true);
    JournalDriver j1 = driver(first);
    writeBig(j1, "z", 1, 40);
    writeBig(j1, "other", 1, 2);
    writeBig(j1, "z", 41, 60);
    List<Path> before = StorageTestSupport.segmentFiles(dir);
    int reclaimable = leadingSegmentsDeletedBy(before, "z", 30);
    assertTrue(reclaimable >= 2, "test needs several reclaimable segments");

    j1.deleteTo("z", 30);
    awaitCondition(first, "old segments deleted",
        () -> stats(first).snapshot().segmentsDeleted() == reclaimable);
    List<Path> remaining = StorageTestSupport.segmentFiles(dir);
    assertEquals(before.subList(reclaimable, before.size()), remaining, "a prefix was deleted");
    assertEquals(range(31, 60), j1.replay("z").seqNrs());
    stop(first);

    ActorSystem second = start("4 KiB", true);
    JournalDriver j2 = driver(second);
    assertEquals(range(31, 60), j2.replay("z").seqNrs());
    assertEquals(60, j2.replay("z").highest());
    assertEquals(range(1, 2), j2.replay("other").seqNrs());
    j2.deleteTo("z", Long.MAX_VALUE);
    j2.deleteTo("other", Long.MAX_VALUE);
    awaitCondition(second, "all but the active segment deleted",
        () -> StorageTestSupport.segmentFiles(dir).size() == 1);
    stop(second);

    ActorSystem third = start("4 KiB", true);
    JournalDriver j3 = driver(third);
    assertEquals(List.of(), j3.replay("z").seqNrs());
    assertEquals(60, j3.replay("z").highest(), "highest survives deleting everything");
    assertEquals(2, j3.replay("other").highest());
    // Rolling past the segment that holds the deletion markers reclaims it too; the markers
    // must be carried forward or the highest sequence numbers would be lost.
    writeBig(j3, "z", 61, 80);
    j3.deleteTo("z", 80);
    awaitCondition(third, "segments with old markers deleted",
        () -> StorageTestSupport.segmentFiles(dir).size() == 1);
    stop(third);

    JournalDriver j4 = driver(start("4 KiB", true));
    assertEquals(80, j4.replay("z").highest());
    assertEquals(List.of(), j4.replay("z").seqNrs());
    assertEquals(2, j4.replay("other").highest());
    j4.writeRange("z", 81, 81);
    assertEquals(List.of(81L), j4.replay("z").seqNrs());
  }

  @Test
  void secondJournalOnTheSameDirectoryIsRefused() {
    ActorSystem owner = start("1 MiB", true);
    JournalDriver journal = driver(owner);
    journal.writeRange("l", 1, 1);

    ActorSystem intruder = start("1 MiB", true);
    TestKit watcher = new TestKit(intruder);
    ActorRef other = Persistence.get(intruder).journalFor(StorageTestSupport.JOURNAL, ConfigFactory.empty());
    watcher.watch(other);
    watcher.expectTerminated(JournalDriver.TIMEOUT, other);

    journal.writeRange("l", 2, 2);
    assertEquals(range(1, 2), journal.replay("l").seqNrs());
  }

  private static void writeBig(JournalDriver journal, String pid, long from, long to) {
    for (long s = from; s <= to; s++) {
      journal.write(atomic(journal.event(pid, s, payload(s, 300))));
    }
  }

  /** Number of leading non-last segments holding only events of {@code pid} up to seqNr. */
  private static int leadingSegmentsDeletedBy(List<Path> segments, String pid, long deletedTo)
      throws IOException {
    int n = 0;
    for (Path segment : segments.subList(0, segments.size() - 1)) {
      for (SegmentInspector.Frame f : SegmentInspector.frames(segment)) {
        if (!(f.record() instanceof EventsRecord events) || !events.persistenceId().equals(pid)) {
          return n;
        }
        for (StoredEvent e : events.events()) {
          if (e.seqNr() > deletedTo) {
            return n;
          }
        }
      }
      n++;
    }
    return n;
  }

  private static byte[] payload(long seqNr, int size) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) seqNr);
    return bytes;
  }

  private static void assertReplaysPayloads(JournalDriver journal, long highest) {
    JournalDriver.Replay replay = journal.replay("r");
    assertEquals(range(1, highest), replay.seqNrs());
    for (PersistentRepr e : replay.events()) {
      byte[] bytes = (byte[]) e.payload();
      int size = e.sequenceNr() == 21 ? 10_000 : e.sequenceNr() == 22 ? 100 : 1000;
      assertArrayEquals(payload(e.sequenceNr(), size), bytes);
    }
  }
}
