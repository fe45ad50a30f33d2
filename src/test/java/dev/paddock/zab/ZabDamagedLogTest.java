package dev.paddock.zab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.node.QuorumPeer;
import dev.paddock.storage.JournalStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A follower whose newest journal segment ends in damage (a torn write, a tail that never
 * reached the disk, a flipped bit) recovers with a shorter log, and the leader's sync gives it
 * back what it lost.
 */
class ZabDamagedLogTest {
  private static final int DAMAGED_FRAMES = 3;

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = JournalDamage.Kind.class, names = "BIT_FLIPPED_BEFORE_INTACT",
      mode = EnumSource.Mode.EXCLUDE)
  void followerWithDamagedLogTailSyncsAndConverges(JournalDamage.Kind kind) throws Exception {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int victim = leader == 1 ? 2 : 1;
      AckedWrites writes = new AckedWrites();
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      for (int round = 0; round < 6; round++) {
        // Separate rounds make separate group commits, so the tail holds several frames.
        writes.createMany(s, "/r" + round + "-", 5);
      }
      e.awaitConverged();
      long loggedBefore = e.logState(victim).lastZxid();

      e.kill(victim);
      Path segment = JournalDamage.newestSegment(e.journalDir(victim));
      int intact = JournalDamage.intactPrefix(segment);
      JournalDamage.damageTail(e.journalDir(victim), kind, DAMAGED_FRAMES);
      assertEquals(intact - DAMAGED_FRAMES, JournalDamage.intactPrefix(segment),
          "the damage must cut the log short");
      writes.createMany(s, "/while-down-", 5);

      e.start(victim);
      QuorumPeer.Status status = e.status(victim);
      e.awaitServing();
      if (kind != JournalDamage.Kind.ZERO_FILLED) {
        long dropped = JournalStats.forPlugin(e.kit(victim).system(), QuorumPeer.JOURNAL)
            .snapshot().tornBytesDropped();
        assertTrue(dropped > 0, "recovery should have dropped the damaged tail");
      }
      writes.createMany(s, "/after-", 5);
      e.awaitConverged();
      writes.assertPresent(e);
      assertTrue(e.logState(victim).lastZxid() > loggedBefore, "victim " + status.myId()
          + " logs again what it lost");
    }
  }

  /**
   * Damage with intact frames after it is not a torn write: the follower refuses to start
   * rather than drop txns it acknowledged, the other two serve on, and once the operator
   * empties its directories it syncs everything back from the leader.
   */
  @Test
  void followerWithDamageBeforeIntactFramesRefusesUntilEmptied() throws Exception {
    try (Ensemble e = new Ensemble(dir, 3, 0, Map.of())) {
      e.startAll();
      int leader = e.awaitServing();
      int victim = leader == 1 ? 2 : 1;
      AckedWrites writes = new AckedWrites();
      TestSession s = TestSession.open(e.kit(leader), e.status(leader), 30_000);
      for (int round = 0; round < 6; round++) {
        writes.createMany(s, "/r" + round + "-", 5);
      }
      e.awaitConverged();
      e.kill(victim);
      Path segment = JournalDamage.damageTail(e.journalDir(victim),
          JournalDamage.Kind.BIT_FLIPPED_BEFORE_INTACT, DAMAGED_FRAMES);
      byte[] damaged = Files.readAllBytes(segment);

      e.start(victim);
      e.awaitCrashed(victim);
      assertArrayEquals(damaged, Files.readAllBytes(segment), "the evidence is left as it was");
      writes.createMany(s, "/while-refused-", 5);

      try (Stream<Path> files = Files.walk(e.dataDir(victim))) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
      e.start(victim);
      e.awaitServing();
      e.awaitConverged();
      writes.assertPresent(e);
    }
  }
}
