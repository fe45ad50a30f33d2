package dev.paddock.txnlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import dev.paddock.api.Code;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log's commands, events and recovery on Pekko's in-memory journal. Every persisted event
 * goes through the serializer bound in reference.conf and must come back equal, so these also
 * cover the binary form the real journal stores.
 */
class TxnLogTest {
  private static final ActorTestKit kit = ActorTestKit.create("TxnLogTest",
      EventSourcedBehaviorTestKit.config()
          .withFallback(ConfigFactory.parseString("pekko.actor.provider = local\n"
              + "pekko.actor.testkit.typed.single-expect-default = 10s")));

  // Commands carry reply refs and the state is a mutable class that never leaves the actor;
  // what must survive serialization is the events.
  private static final EventSourcedBehaviorTestKit.SerializationSettings EVENTS_ONLY =
      EventSourcedBehaviorTestKit.enabledSerializationSettings()
          .withVerifyEvents(true)
          .withVerifyEquality(true)
          .withVerifyCommands(false)
          .withVerifyState(false);

  private static final AtomicInteger ids = new AtomicInteger();

  private TestProbe<TxnLog.Snapshot> recovered;
  private EventSourcedBehaviorTestKit<TxnLog.Command, TxnLog.Event, TxnLogState> log;
  private String persistenceId;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    recovered = kit.createTestProbe();
    persistenceId = "txn-log-" + ids.incrementAndGet();
    log = EventSourcedBehaviorTestKit.create(kit.system(),
        TxnLog.create(persistenceId, "", recovered.ref()), EVENTS_ONLY);
    assertEquals(new TxnLog.Snapshot(0, 0, 0, 0, List.of()), recovered.receiveMessage());
  }

  // Txns without byte arrays, so that events compare equal after a serialization round trip.
  private static TxnEntry entry(long epoch, long counter) {
    long zxid = Zxid.of(epoch, counter);
    Txn txn = switch ((int) (counter % 4)) {
      case 0 -> new Txn.Delete("/n" + counter);
      case 1 -> new Txn.CreateSession(30_000);
      case 2 -> new Txn.Error(Code.NO_NODE);
      default -> new Txn.Multi(List.of(new Txn.Check("/c", 3), new Txn.Delete("/d")));
    };
    return new TxnEntry(zxid, 0x0100_0000_0000_0001L, (int) counter, 1_000 + counter, txn);
  }

  private static List<TxnEntry> entries(long epoch, long from, long to) {
    List<TxnEntry> out = new ArrayList<>();
    for (long c = from; c <= to; c++) {
      out.add(entry(epoch, c));
    }
    return out;
  }

  private TxnLog.Appended append(List<TxnEntry> entries) {
    var result = log.<TxnLog.Appended>runCommand(r -> new TxnLog.Append(entries, r));
    if (!entries.isEmpty()) {
      assertEquals(List.of(new TxnLog.Batch(entries)), result.events());
    }
    return result.reply();
  }

  private void acceptEpoch(long epoch) {
    var result = log.<Done>runCommand(r -> new TxnLog.AcceptEpoch(epoch, r));
    assertEquals(List.of(new TxnLog.EpochAccepted(epoch)), result.events());
    assertEquals(Done.getInstance(), result.reply());
  }

  private void setCurrentEpoch(long epoch) {
    var result = log.<Done>runCommand(r -> new TxnLog.SetCurrentEpoch(epoch, r));
    assertEquals(List.of(new TxnLog.EpochCurrent(epoch)), result.events());
    assertEquals(Done.getInstance(), result.reply());
  }

  private TxnLog.Snapshot state() {
    return log.getState().copy();
  }

  private TxnLog.Snapshot stateViaCommand() {
    return log.<TxnLog.Snapshot>runCommand(TxnLog.GetState::new).reply();
  }

  private static List<Long> zxids(List<TxnEntry> entries) {
    return entries.stream().map(TxnEntry::zxid).toList();
  }

  private static List<Long> range(long epoch, long from, long to) {
    return zxids(entries(epoch, from, to));
  }

  @Test
  void eventsUseTheLogSerializer() {
    var serialization = SerializationExtension.get(Adapter.toClassic(kit.system()));
    for (TxnLog.Event e : List.of(new TxnLog.Batch(List.of()), new TxnLog.EpochAccepted(1),
        new TxnLog.EpochCurrent(1), new TxnLog.Truncated(1), new TxnLog.Restored(1),
        new TxnLog.Checkpoint(1, 1, 1))) {
      assertInstanceOf(LogEventSerializer.class, serialization.findSerializerFor(e),
          e.getClass().getSimpleName());
    }
  }

  @Test
  void appendsBatchesAndAnswersWithTheLogsEnd() {
    assertEquals(new TxnLog.Appended(Zxid.of(1, 3), 3), append(entries(1, 1, 3)));
    assertEquals(new TxnLog.Appended(Zxid.of(1, 5), 2), append(entries(1, 4, 5)));
    TxnLog.Snapshot s = stateViaCommand();
    assertEquals(Zxid.of(1, 5), s.lastZxid());
    assertEquals(range(1, 1, 5), zxids(s.entries()));
    assertEquals(entries(1, 1, 5), s.entries());
  }

  @Test
  void anEmptyAppendPersistsNothing() {
    append(entries(1, 1, 2));
    var result = log.<TxnLog.Appended>runCommand(r -> new TxnLog.Append(List.of(), r));
    assertTrue(result.hasNoEvents());
    assertEquals(new TxnLog.Appended(Zxid.of(1, 2), 0), result.reply());
  }

  @Test
  void entriesAtOrBelowTheEndAreNotAddedTwice() {
    append(entries(1, 1, 4));
    append(entries(1, 3, 6));
    assertEquals(range(1, 1, 6), zxids(state().entries()));
    append(entries(1, 2, 2));
    assertEquals(range(1, 1, 6), zxids(state().entries()));
    assertEquals(Zxid.of(1, 6), state().lastZxid());
  }

  @Test
  void epochsOnlyMoveForward() {
    acceptEpoch(2);
    assertEquals(2, state().acceptedEpoch());
    assertEquals(0, state().currentEpoch());
    setCurrentEpoch(2);
    assertEquals(2, state().currentEpoch());
    acceptEpoch(1);
    assertEquals(2, state().acceptedEpoch());
    setCurrentEpoch(4);
    assertEquals(4, state().currentEpoch());
    assertEquals(4, state().acceptedEpoch(), "a current epoch is also accepted");
  }

  @Test
  void truncateDropsTheTailAndLetsANewEpochContinue() {
    append(entries(1, 1, 5));
    var result = log.<Done>runCommand(r -> new TxnLog.Truncate(Zxid.of(1, 3), r));
    assertEquals(List.of(new TxnLog.Truncated(Zxid.of(1, 3))), result.events());
    assertEquals(Done.getInstance(), result.reply());
    assertEquals(Zxid.of(1, 3), state().lastZxid());
    assertEquals(range(1, 1, 3), zxids(state().entries()));

    append(entries(2, 1, 2));
    assertEquals(List.of(Zxid.of(1, 1), Zxid.of(1, 2), Zxid.of(1, 3), Zxid.of(2, 1),
        Zxid.of(2, 2)), zxids(state().entries()));
  }

  @Test
  void truncateAboveTheEndChangesNothing() {
    append(entries(1, 1, 3));
    log.<Done>runCommand(r -> new TxnLog.Truncate(Zxid.of(1, 9), r));
    assertEquals(Zxid.of(1, 3), state().lastZxid());
    assertEquals(range(1, 1, 3), zxids(state().entries()));
  }

  @Test
  void restoreRestartsHistoryAtTheSnapshot() {
    append(entries(1, 1, 5));
    var result = log.<Done>runCommand(r -> new TxnLog.Restore(Zxid.of(3, 7), r));
    assertEquals(List.of(new TxnLog.Restored(Zxid.of(3, 7))), result.events());
    assertEquals(new TxnLog.Snapshot(0, 0, Zxid.of(3, 7), Zxid.of(3, 7), List.of()), state());
    append(List.of(entry(3, 5), entry(3, 8)));
    assertEquals(List.of(Zxid.of(3, 8)), zxids(state().entries()));
  }

  /** acceptEpoch, setCurrentEpoch, then batches 1..3, 4..6 and 7..8 of epoch 1. */
  private void threeBatches() {
    acceptEpoch(1);
    setCurrentEpoch(1);
    append(entries(1, 1, 3));
    append(entries(1, 4, 6));
    append(entries(1, 7, 8));
  }

  private void awaitJournal(List<?> expected) {
    TestProbe<Object> waiter = kit.createTestProbe();
    waiter.awaitAssert(Duration.ofSeconds(5), () -> {
      assertEquals(expected, log.persistenceTestKit().persistedInStorage(persistenceId));
      return null;
    });
  }

  @Test
  void purgeTrimsMemoryToTheNewestSnapshotAndTheJournalToTheOldest() {
    threeBatches();
    var result = log.runCommand(new TxnLog.Purge(Zxid.of(1, 6), Zxid.of(1, 3)));
    assertEquals(List.of(new TxnLog.Checkpoint(1, 1, Zxid.of(1, 8)),
        new TxnLog.Purged(Zxid.of(1, 3))), result.events());
    TxnLog.Snapshot s = state();
    assertEquals(Zxid.of(1, 6), s.baseZxid());
    assertEquals(range(1, 7, 8), zxids(s.entries()));
    assertEquals(Zxid.of(1, 8), s.lastZxid());
    // The first batch is covered by the oldest kept snapshot; the second is still needed to
    // recover from that snapshot.
    awaitJournal(List.of(new TxnLog.Batch(entries(1, 4, 6)),
        new TxnLog.Batch(entries(1, 7, 8)), new TxnLog.Checkpoint(1, 1, Zxid.of(1, 8)),
        new TxnLog.Purged(Zxid.of(1, 3))));

    TxnLog.Snapshot after = log.restart().state().copy();
    // Recovery knows the log no longer reaches below the purge point.
    assertEquals(Zxid.of(1, 3), after.baseZxid());
    assertEquals(1, after.acceptedEpoch());
    assertEquals(1, after.currentEpoch());
    assertEquals(Zxid.of(1, 8), after.lastZxid());
    assertEquals(range(1, 4, 8), zxids(after.entries()));
    assertEquals(after, recovered.receiveMessage());
  }

  @Test
  void purgingEverythingKeepsEpochsAndEndAcrossARestart() {
    threeBatches();
    var result = log.runCommand(new TxnLog.Purge(Zxid.of(1, 8), Zxid.of(1, 8)));
    assertEquals(List.of(new TxnLog.Checkpoint(1, 1, Zxid.of(1, 8)),
        new TxnLog.Purged(Zxid.of(1, 8))), result.events());
    assertEquals(new TxnLog.Snapshot(1, 1, Zxid.of(1, 8), Zxid.of(1, 8), List.of()), state());
    awaitJournal(List.of(new TxnLog.Checkpoint(1, 1, Zxid.of(1, 8)),
        new TxnLog.Purged(Zxid.of(1, 8))));

    TxnLog.Snapshot after = log.restart().state().copy();
    assertEquals(new TxnLog.Snapshot(1, 1, Zxid.of(1, 8), Zxid.of(1, 8), List.of()), after);
    assertEquals(after, recovered.receiveMessage());
    append(List.of(entry(1, 8), entry(1, 9)));
    assertEquals(List.of(Zxid.of(1, 9)), zxids(state().entries()));
  }

  @Test
  void purgeWithoutAWholeBatchToDeleteOnlyTrimsMemory() {
    threeBatches();
    var result = log.runCommand(new TxnLog.Purge(Zxid.of(1, 2), Zxid.of(1, 2)));
    assertTrue(result.hasNoEvents());
    assertEquals(Zxid.of(1, 2), state().baseZxid());
    assertEquals(range(1, 3, 8), zxids(state().entries()));
    // An older snapshot than what memory already dropped changes nothing.
    log.runCommand(new TxnLog.Purge(Zxid.of(1, 1), Zxid.of(1, 1)));
    assertEquals(range(1, 3, 8), zxids(state().entries()));
    assertEquals(5, log.persistenceTestKit().persistedInStorage(persistenceId).size());
  }

  @Test
  void aSecondPurgeDeletesOnlyWhatTheFirstDidNot() {
    threeBatches();
    log.runCommand(new TxnLog.Purge(Zxid.of(1, 3), Zxid.of(1, 3)));
    log.runCommand(new TxnLog.Purge(Zxid.of(1, 6), Zxid.of(1, 6)));
    // The first checkpoint came after the second batch, so it stays.
    awaitJournal(List.of(new TxnLog.Batch(entries(1, 7, 8)),
        new TxnLog.Checkpoint(1, 1, Zxid.of(1, 8)), new TxnLog.Purged(Zxid.of(1, 3)),
        new TxnLog.Checkpoint(1, 1, Zxid.of(1, 8)), new TxnLog.Purged(Zxid.of(1, 6))));
    TxnLog.Snapshot after = log.restart().state().copy();
    assertEquals(range(1, 7, 8), zxids(after.entries()));
    assertEquals(Zxid.of(1, 8), after.lastZxid());
    assertEquals(1, after.currentEpoch());
  }

  @Test
  void restartReplaysTheSameHistory() {
    acceptEpoch(1);
    setCurrentEpoch(1);
    append(entries(1, 1, 5));
    log.<Done>runCommand(r -> new TxnLog.Truncate(Zxid.of(1, 3), r));
    acceptEpoch(2);
    append(entries(2, 1, 2));
    TxnLog.Snapshot before = state();

    TxnLog.Snapshot after = log.restart().state().copy();
    assertEquals(before, after);
    assertEquals(new TxnLog.Snapshot(2, 1, Zxid.of(2, 2), 0,
        List.of(entry(1, 1), entry(1, 2), entry(1, 3), entry(2, 1), entry(2, 2))), after);
    assertEquals(after, recovered.receiveMessage());
  }

  @Test
  void restartAfterARestoreStartsAtTheSnapshot() {
    append(entries(1, 1, 5));
    log.<Done>runCommand(r -> new TxnLog.Restore(Zxid.of(2, 4), r));
    append(entries(2, 5, 6));
    TxnLog.Snapshot after = log.restart().state().copy();
    assertEquals(new TxnLog.Snapshot(0, 0, Zxid.of(2, 6), Zxid.of(2, 4), entries(2, 5, 6)),
        after);
  }
}
