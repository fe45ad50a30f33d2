package dev.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.junit.jupiter.api.Test;

/** Both plugins under a typed EventSourcedBehavior with snapshot retention deleting events. */
class PersistenceIntegrationTest extends StorageTestBase {

  sealed interface Command {}

  record Add(long amount, ActorRef<Long> replyTo) implements Command {}

  record Get(ActorRef<Long> replyTo) implements Command {}

  /** Events and state are plain Longs so Pekko's built-in serializers apply. */
  static final class Counter extends EventSourcedBehavior<Command, Long, Long> {
    Counter(String id) {
      super(PersistenceId.ofUniqueId(id));
    }

    @Override
    public Long emptyState() {
      return 0L;
    }

    @Override
    public CommandHandler<Command, Long, Long> commandHandler() {
      return newCommandHandlerBuilder()
          .forAnyState()
          .onCommand(Add.class,
              (state, add) -> Effect().persist(add.amount()).thenReply(add.replyTo(), s -> s))
          .onCommand(Get.class, (state, get) -> Effect().reply(get.replyTo(), state))
          .build();
    }

    @Override
    public EventHandler<Long, Long> eventHandler() {
      return newEventHandlerBuilder().forAnyState().onEvent(Long.class, Long::sum).build();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
      return RetentionCriteria.snapshotEvery(10, 2).withDeleteEventsOnSnapshot();
    }
  }

  @Test
  void recoversFromSnapshotsAndEventsAcrossRestarts() throws IOException {
    long expected = 95 * 96 / 2;
    ActorSystem first = start("4 KiB", true);
    TestProbe<Long> probe = TestProbe.create(Adapter.toTyped(first));
    ActorRef<Command> counter = Adapter.spawn(first, new Counter("counter"), "counter");
    for (long i = 1; i <= 95; i++) {
      counter.tell(new Add(i, probe.ref()));
      probe.expectMessage(i * (i + 1) / 2);
    }
    // Pekko keeps the snapshots at 70, 80 and 90 and deletes the events up to 70, which frees
    // the oldest journal segments.
    awaitCondition(first, "old snapshots deleted",
        () -> snapshotSeqNrs().equals(List.of(70L, 80L, 90L)));
    awaitCondition(first, "journal segments reclaimed",
        () -> stats(first).snapshot().segmentsDeleted() >= 1);
    stop(first);

    assertEquals(expected, recoveredValue());

    // With the newest snapshot damaged, recovery uses the older one plus the kept events.
    Path newest = snapshotFiles().get(snapshotFiles().size() - 1);
    assertTrue(newest.getFileName().toString().contains("-90-"), newest.toString());
    SegmentInspector.flipByte(newest, Files.size(newest) / 2);
    assertEquals(expected, recoveredValue());
  }

  private long recoveredValue() {
    ActorSystem system = start("4 KiB", true);
    TestProbe<Long> probe = TestProbe.create(Adapter.toTyped(system));
    ActorRef<Command> counter = Adapter.spawn(system, new Counter("counter"), "counter");
    counter.tell(new Get(probe.ref()));
    long value = probe.receiveMessage(JournalDriver.TIMEOUT);
    stop(system);
    return value;
  }

  private List<Path> snapshotFiles() {
    try {
      return SnapshotFiles.list(snapshotDir, "counter").stream()
          .sorted(Comparator.comparingLong(SnapshotFiles.Entry::seqNr))
          .map(SnapshotFiles.Entry::path)
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<Long> snapshotSeqNrs() {
    try {
      return SnapshotFiles.list(snapshotDir, "counter").stream()
          .map(SnapshotFiles.Entry::seqNr)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
