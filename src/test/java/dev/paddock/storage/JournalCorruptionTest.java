package dev.paddock.storage;

import static dev.paddock.storage.JournalDriver.atomic;
import static dev.paddock.storage.JournalDriver.range;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.storage.SegmentInspector.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Recovery from damaged segment files: torn tails are repaired, older damage is refused. */
class JournalCorruptionTest extends StorageTestBase {

  /** Ways a crash (or the disk) can leave the last frame of the last segment. */
  enum Damage {
    /** Only the first half of the frame reached the disk; the rest is still preallocated zeros. */
    PARTIAL_FRAME(true, true),
    /** Without preallocation the file simply ends in the middle of the frame. */
    TRUNCATED_FILE(true, false),
    /** The frame is complete but a byte of its body changed. */
    FLIPPED_BYTE(true, true),
    /** The frame header was lost but its body made it to the disk. */
    ZEROED_FRAME_HEADER(true, true),
    /** Nothing of the frame reached the disk: it looks like the preallocated end. */
    ZERO_FILLED_FRAME(false, true);

    final boolean leavesGarbage;
    final boolean preallocate;

    Damage(boolean leavesGarbage, boolean preallocate) {
      this.leavesGarbage = leavesGarbage;
      this.preallocate = preallocate;
    }

    void apply(Path segment, Frame last) throws IOException {
      long half = last.bodyOffset() + last.length() / 2;
      switch (this) {
        case PARTIAL_FRAME -> SegmentInspector.zero(segment, half, last.end());
        case TRUNCATED_FILE -> SegmentInspector.truncate(segment, half);
        case FLIPPED_BYTE -> SegmentInspector.flipByte(segment, half);
        case ZEROED_FRAME_HEADER -> SegmentInspector.zero(segment, last.offset(),
            last.bodyOffset());
        case ZERO_FILLED_FRAME -> SegmentInspector.zero(segment, last.offset(), last.end());
        default -> throw new IllegalStateException();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Damage.class)
  void damagedTailIsDroppedAndAppendsContinue(Damage damage) throws IOException {
    String size = "1 MiB";
    ActorSystem first = start(size, damage.preallocate);
    JournalDriver j1 = driver(first);
    j1.writeRange("t", 1, 7);
    // The last frame holds a whole persistAll: it must vanish as a unit.
    j1.write(atomic(j1.event("t", 8, "t-8"), j1.event("t", 9, "t-9"), j1.event("t", 10, "t-10")));
    stop(first);

    Path segment = StorageTestSupport.segmentFiles(dir).get(0);
    List<Frame> frames = SegmentInspector.frames(segment);
    Frame last = frames.get(frames.size() - 1);
    damage.apply(segment, last);

    try (StorageTestSupport.LogCapture logs = new StorageTestSupport.LogCapture(LogRecovery.class)) {
      ActorSystem second = start(size, damage.preallocate);
      JournalDriver j2 = driver(second);
      JournalDriver.Replay replay = j2.replay("t");
      assertEquals(range(1, 7), replay.seqNrs());
      assertEquals(7, replay.highest());
      List<String> warnings = logs.warnings();
      if (damage.leavesGarbage) {
        assertEquals(1, warnings.size(), warnings.toString());
        String warning = warnings.get(0);
        assertTrue(warning.contains(segment.toString()), warning);
        assertTrue(warning.contains("offset " + last.offset()), warning);
        assertTrue(stats(second).snapshot().tornBytesDropped() > 0);
      } else {
        assertEquals(List.of(), warnings);
      }

      j2.writeRange("t", 8, 12);
      assertEquals(range(1, 12), j2.replay("t").seqNrs());
      stop(second);
    }

    try (StorageTestSupport.LogCapture logs = new StorageTestSupport.LogCapture(LogRecovery.class)) {
      JournalDriver j3 = driver(start(size, damage.preallocate));
      JournalDriver.Replay replay = j3.replay("t");
      assertEquals(range(1, 12), replay.seqNrs());
      for (PersistentRepr e : replay.events()) {
        assertEquals("t-" + e.sequenceNr(), e.payload());
      }
      assertEquals(List.of(), logs.warnings(), "the repaired tail stays clean");
    }
  }

  @Test
  void damageInAnOlderSegmentRefusesToStart() throws IOException {
    ActorSystem first = start("4 KiB", true);
    JournalDriver j1 = driver(first);
    for (long s = 1; s <= 40; s++) {
      j1.write(atomic(j1.event("m", s, new byte[300])));
    }
    stop(first);

    List<Path> segments = StorageTestSupport.segmentFiles(dir);
    assertTrue(segments.size() >= 3, "test needs several segments");
    Path victim = segments.get(1);
    Frame frame = SegmentInspector.frames(victim).get(0);
    SegmentInspector.flipByte(victim, frame.bodyOffset() + frame.length() / 2);
    byte[] damaged = Files.readAllBytes(victim);

    StorageCorruptedException error = assertThrows(StorageCorruptedException.class,
        () -> LogRecovery.recover(settings("4 KiB", true), new JournalStats()));
    assertTrue(error.getMessage().contains(victim.toString()), error.getMessage());
    assertTrue(error.getMessage().contains("offset " + frame.offset()), error.getMessage());

    ActorSystem second = start("4 KiB", true);
    TestKit watcher = new TestKit(second);
    ActorRef journal =
        Persistence.get(second).journalFor(StorageTestSupport.JOURNAL, ConfigFactory.empty());
    watcher.watch(journal);
    watcher.expectTerminated(JournalDriver.TIMEOUT, journal);

    assertEquals(segments, StorageTestSupport.segmentFiles(dir), "no segment was removed");
    assertArrayEquals(damaged, Files.readAllBytes(victim), "nothing was repaired or truncated");
  }

  /**
   * A flipped byte in frame 2 of 10 of the only (so the last) segment is not a torn write: eight
   * intact frames follow it. Dropping them would lose acknowledged events, so recovery refuses,
   * names the file and the offset, and leaves the file as it was.
   */
  @ParameterizedTest
  @EnumSource(value = Damage.class, names = {"FLIPPED_BYTE", "ZEROED_FRAME_HEADER"})
  void damageFollowedByAnIntactFrameInTheLastSegmentRefusesToStart(Damage damage)
      throws IOException {
    ActorSystem first = start("1 MiB", true);
    JournalDriver j1 = driver(first);
    for (long s = 1; s <= 10; s++) {
      j1.write(atomic(j1.event("m", s, new byte[200])));
    }
    stop(first);
    List<Path> segments = StorageTestSupport.segmentFiles(dir);
    assertEquals(1, segments.size());
    Path segment = segments.get(0);
    List<Frame> frames = SegmentInspector.frames(segment);
    assertEquals(10, frames.size());
    Frame second = frames.get(1);
    damage.apply(segment, second);
    byte[] damaged = Files.readAllBytes(segment);

    StorageCorruptedException error = assertThrows(StorageCorruptedException.class,
        () -> LogRecovery.recover(settings("1 MiB", true), new JournalStats()));
    assertTrue(error.getMessage().contains(segment + " is corrupt at offset " + second.offset()),
        error.getMessage());
    assertTrue(error.getMessage().contains("intact record follows at offset "
        + frames.get(2).offset()), error.getMessage());
    assertArrayEquals(damaged, Files.readAllBytes(segment), "nothing was repaired or truncated");

    List<StorageFiles.Damage> found = StorageFiles.scanJournal(dir, e -> { });
    assertEquals(1, found.size(), found.toString());
    assertEquals(false, found.get(0).tornTail(), "verify must not call it a torn write");
  }

  /** A frame-shaped run of bytes whose checksum fails is no intact record: the tail is torn. */
  @Test
  void aTornTailWithStaleHeaderBytesIsStillATornWrite() throws IOException {
    ActorSystem first = start("1 MiB", true);
    JournalDriver j1 = driver(first);
    for (long s = 1; s <= 10; s++) {
      j1.write(atomic(j1.event("m", s, new byte[200])));
    }
    stop(first);
    Path segment = StorageTestSupport.segmentFiles(dir).get(0);
    List<Frame> frames = SegmentInspector.frames(segment);
    Frame last = frames.get(9);
    // Frame 10 torn, and past it a whole frame whose length and type look right but whose
    // checksum fails: only the checksum tells it is not an intact record.
    Frame ninth = frames.get(8);
    byte[] copy = new byte[(int) (ninth.end() - ninth.offset())];
    System.arraycopy(Files.readAllBytes(segment), (int) ninth.offset(), copy, 0, copy.length);
    copy[copy.length - 5] ^= 0x5A;
    SegmentInspector.flipByte(segment, last.bodyOffset() + 3);
    SegmentInspector.overwrite(segment, last.end() + 100, copy);

    LogState state = LogRecovery.recover(settings("1 MiB", true), new JournalStats());
    try {
      assertEquals(last.offset(), state.writePosition, "the tail from frame 10 on is dropped");
    } finally {
      for (Segment s : state.segments.values()) {
        s.close();
      }
    }
  }

  @Test
  void strayBytesAfterTheEndOfAnOlderSegmentRefuseToStart() throws IOException {
    ActorSystem first = start("4 KiB", true);
    JournalDriver j1 = driver(first);
    for (long s = 1; s <= 20; s++) {
      j1.write(atomic(j1.event("m", s, new byte[300])));
    }
    stop(first);

    Path victim = StorageTestSupport.segmentFiles(dir).get(0);
    List<Frame> frames = SegmentInspector.frames(victim);
    long end = frames.get(frames.size() - 1).end();
    assertTrue(end < Files.size(victim), "the test needs a zero tail in the first segment");
    SegmentInspector.overwrite(victim, Files.size(victim) - 1, new byte[] {42});

    StorageCorruptedException error = assertThrows(StorageCorruptedException.class,
        () -> LogRecovery.recover(settings("4 KiB", true), new JournalStats()));
    assertTrue(error.getMessage().contains(victim + " is corrupt at offset " + end),
        error.getMessage());
  }

  @Test
  void missingSegmentRefusesToStart() throws IOException {
    ActorSystem first = start("4 KiB", true);
    JournalDriver j1 = driver(first);
    for (long s = 1; s <= 40; s++) {
      j1.write(atomic(j1.event("m", s, new byte[300])));
    }
    stop(first);
    List<Path> segments = StorageTestSupport.segmentFiles(dir);
    Files.delete(segments.get(1));

    StorageCorruptedException error = assertThrows(StorageCorruptedException.class,
        () -> LogRecovery.recover(settings("4 KiB", true), new JournalStats()));
    assertTrue(error.getMessage().contains("missing segment"), error.getMessage());
  }
}
