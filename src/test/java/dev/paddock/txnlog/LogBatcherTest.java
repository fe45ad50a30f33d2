package dev.paddock.txnlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.typesafe.config.ConfigFactory;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import java.util.List;
import org.apache.pekko.Done;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Group commit against a log played by hand, so every append can be held in flight. */
class LogBatcherTest {
  private static final ActorTestKit kit = ActorTestKit.create("LogBatcherTest",
      ConfigFactory.parseString("pekko.actor.provider = local\n"
          + "pekko.actor.testkit.typed.single-expect-default = 10s"));

  private TestProbe<TxnLog.Command> log;
  private TestProbe<LogBatcher.Logged> owner;
  private ActorRef<LogBatcher.Command> batcher;

  @AfterAll
  static void shutdown() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void start() {
    log = kit.createTestProbe();
    owner = kit.createTestProbe();
    batcher = kit.spawn(LogBatcher.create(log.ref(), owner.ref()));
  }

  private static TxnEntry entry(long counter) {
    return new TxnEntry(Zxid.of(1, counter), 5, (int) counter, 0, new Txn.Delete("/n" + counter));
  }

  private static List<Long> zxids(TxnLog.Append a) {
    return a.entries().stream().map(TxnEntry::zxid).toList();
  }

  private TxnLog.Append expectAppend(long... counters) {
    TxnLog.Append a = log.expectMessageClass(TxnLog.Append.class);
    List<Long> expected = java.util.Arrays.stream(counters).map(c -> Zxid.of(1, c)).boxed()
        .toList();
    assertEquals(expected, zxids(a));
    return a;
  }

  private static void answer(TxnLog.Append a) {
    a.replyTo().tell(new TxnLog.Appended(a.entries().get(a.entries().size() - 1).zxid(),
        a.entries().size()));
  }

  private static TxnEntry large(long counter, int bytes) {
    return new TxnEntry(Zxid.of(1, counter), 5, (int) counter, 0,
        new Txn.SetData("/big", new byte[bytes], (int) counter));
  }

  /** Large writes queued behind an append go out in batches of at most 4 MiB each. */
  @Test
  void batchesOfLargeTxnsAreBoundedInBytes() {
    batcher.tell(new LogBatcher.Append(entry(1)));
    TxnLog.Append first = expectAppend(1);
    for (long c = 2; c <= 11; c++) {
      batcher.tell(new LogBatcher.Append(large(c, 1 << 20)));
    }
    batcher.tell(new LogBatcher.Append(large(12, 9 << 20)));
    answer(first);
    owner.receiveMessage();
    TxnLog.Append a = expectAppend(2, 3, 4);
    answer(a);
    owner.receiveMessage();
    answer(expectAppend(5, 6, 7));
    owner.receiveMessage();
    answer(expectAppend(8, 9, 10));
    owner.receiveMessage();
    answer(expectAppend(11));
    owner.receiveMessage();
    answer(expectAppend(12));
    assertEquals(new LogBatcher.Logged(Zxid.of(1, 12), 1), owner.receiveMessage(),
        "a txn larger than a batch is a batch of its own");
  }

  @Test
  void oneAppendInFlightAndTheRestBecomesTheNextBatch() {
    batcher.tell(new LogBatcher.Append(entry(1)));
    TxnLog.Append first = expectAppend(1);
    batcher.tell(new LogBatcher.Append(entry(2)));
    batcher.tell(new LogBatcher.AppendAll(List.of(entry(3), entry(4))));
    batcher.tell(new LogBatcher.Append(entry(5)));
    // Asking for stats waits behind the appends in the batcher's mailbox.
    TestProbe<LogBatcher.Stats> stats = kit.createTestProbe();
    batcher.tell(new LogBatcher.GetStats(stats.ref()));
    assertEquals(new LogBatcher.Stats(1, 1), stats.receiveMessage());

    answer(first);
    assertEquals(new LogBatcher.Logged(Zxid.of(1, 1), 1), owner.receiveMessage());
    TxnLog.Append second = expectAppend(2, 3, 4, 5);
    batcher.tell(new LogBatcher.Append(entry(6)));
    answer(second);
    assertEquals(new LogBatcher.Logged(Zxid.of(1, 5), 4), owner.receiveMessage());
    answer(expectAppend(6));
    assertEquals(new LogBatcher.Logged(Zxid.of(1, 6), 1), owner.receiveMessage());

    batcher.tell(new LogBatcher.GetStats(stats.ref()));
    LogBatcher.Stats s = stats.receiveMessage();
    assertEquals(new LogBatcher.Stats(3, 6), s);
    assertEquals(2.0, s.txnsPerBatch());
  }

  @Test
  void loggedCarriesTheZxidTheLogReports() {
    batcher.tell(new LogBatcher.AppendAll(List.of(entry(1), entry(2))));
    TxnLog.Append a = expectAppend(1, 2);
    // The log's answer is its own end, which can be beyond this batch (older entries skipped).
    a.replyTo().tell(new TxnLog.Appended(Zxid.of(1, 9), 0));
    assertEquals(new LogBatcher.Logged(Zxid.of(1, 9), 0), owner.receiveMessage());
  }

  @Test
  void controlCommandsKeepTheirPlaceBetweenAppends() {
    TestProbe<Done> truncated = kit.createTestProbe();
    TestProbe<Done> epoch = kit.createTestProbe();
    batcher.tell(new LogBatcher.Append(entry(1)));
    TxnLog.Append first = expectAppend(1);
    batcher.tell(new LogBatcher.Append(entry(2)));
    batcher.tell(new LogBatcher.Control(new TxnLog.Truncate(Zxid.of(1, 2), truncated.ref())));
    batcher.tell(new LogBatcher.Append(entry(3)));
    batcher.tell(new LogBatcher.Control(new TxnLog.SetCurrentEpoch(4, epoch.ref())));
    batcher.tell(new LogBatcher.Append(entry(4)));

    answer(first);
    answer(expectAppend(2));
    TxnLog.Truncate t = log.expectMessageClass(TxnLog.Truncate.class);
    assertEquals(Zxid.of(1, 2), t.zxid());
    // Until the log confirms the truncation nothing after it may be written.
    log.expectNoMessage(java.time.Duration.ofMillis(100));
    t.replyTo().tell(Done.getInstance());
    truncated.expectMessage(Done.getInstance());

    answer(expectAppend(3));
    TxnLog.SetCurrentEpoch e = log.expectMessageClass(TxnLog.SetCurrentEpoch.class);
    assertEquals(4, e.epoch());
    e.replyTo().tell(Done.getInstance());
    epoch.expectMessage(Done.getInstance());
    answer(expectAppend(4));

    assertEquals(Zxid.of(1, 1), owner.receiveMessage().lastZxid());
    assertEquals(Zxid.of(1, 2), owner.receiveMessage().lastZxid());
    assertEquals(Zxid.of(1, 3), owner.receiveMessage().lastZxid());
    assertEquals(Zxid.of(1, 4), owner.receiveMessage().lastZxid());
  }

  @Test
  void acceptEpochAndRestoreAreRelayedToo() {
    TestProbe<Done> accepted = kit.createTestProbe();
    TestProbe<Done> restored = kit.createTestProbe();
    batcher.tell(new LogBatcher.Control(new TxnLog.AcceptEpoch(3, accepted.ref())));
    batcher.tell(new LogBatcher.Control(new TxnLog.Restore(Zxid.of(2, 7), restored.ref())));
    TxnLog.AcceptEpoch a = log.expectMessageClass(TxnLog.AcceptEpoch.class);
    assertEquals(3, a.epoch());
    a.replyTo().tell(Done.getInstance());
    accepted.expectMessage(Done.getInstance());
    TxnLog.Restore r = log.expectMessageClass(TxnLog.Restore.class);
    assertEquals(Zxid.of(2, 7), r.zxid());
    r.replyTo().tell(Done.getInstance());
    restored.expectMessage(Done.getInstance());
  }

  @Test
  void commandsWithoutAReplyKeepOrderButDoNotHoldUpTheQueue() {
    TestProbe<TxnLog.Snapshot> state = kit.createTestProbe();
    batcher.tell(new LogBatcher.Append(entry(1)));
    TxnLog.Append first = expectAppend(1);
    batcher.tell(new LogBatcher.Control(new TxnLog.GetState(state.ref())));
    batcher.tell(new LogBatcher.Control(new TxnLog.Purge(Zxid.of(1, 1), Zxid.of(1, 1))));
    batcher.tell(new LogBatcher.Append(entry(2)));
    answer(first);
    assertInstanceOf(TxnLog.GetState.class, log.receiveMessage());
    assertInstanceOf(TxnLog.Purge.class, log.receiveMessage());
    expectAppend(2);
  }

  @Test
  void statsStartAtZero() {
    TestProbe<LogBatcher.Stats> stats = kit.createTestProbe();
    batcher.tell(new LogBatcher.GetStats(stats.ref()));
    LogBatcher.Stats s = stats.receiveMessage();
    assertEquals(new LogBatcher.Stats(0, 0), s);
    assertEquals(0.0, s.txnsPerBatch());
  }
}
