package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.request.Op;
import dev.paddock.session.SessionActor;
import dev.paddock.session.SessionOutput;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.SnapshotStats;
import dev.paddock.txn.Txn;
import dev.paddock.txn.TxnEntry;
import dev.paddock.txn.Zxid;
import dev.paddock.txnlog.TxnLog;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A server whose storage is damaged or inconsistent refuses to start: its actor system stops
 * (the node exits non-zero), one ERROR line names the file and what is wrong, and not one byte
 * of its data directory changes, so the operator finds the evidence as it was.
 */
class RefuseToStartTest {
  private static final Duration MAX = Duration.ofSeconds(30);

  @TempDir Path dir;

  private Config config(Map<String, Object> overrides) {
    return TestNodes.standaloneConfig(dir, overrides);
  }

  /**
   * Runs a server, writes {@code count} nodes one at a time, waits for {@code until} and, with
   * {@code snapshots}, for a snapshot to complete; then stops it.
   */
  private void runAndWrite(Config config, int count, boolean snapshots,
      java.util.function.Predicate<TxnLog.Snapshot> until) {
    ActorSystem<QuorumPeer.Command> system =
        ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
    ActorTestKit kit = ActorTestKit.create(system);
    try {
      QuorumPeer.Status status = TestNodes.awaitServing(kit, system, MAX);
      TestProbe<SessionOutput> door = kit.createTestProbe();
      status.sessions().tell(new SessionTrackerActor.Connect(30_000, 0, null, 0, List.of(),
          door.ref()));
      var session = door.expectMessageClass(SessionOutput.Connected.class, MAX).session();
      for (int i = 1; i <= count; i++) {
        session.tell(new SessionActor.Submit(i, new Op.Create("/n" + i, new byte[10],
            Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
        door.expectMessageClass(SessionOutput.Reply.class, MAX);
      }
      TestProbe<TxnLog.Snapshot> log = kit.createTestProbe();
      log.awaitAssert(MAX, () -> {
        system.tell(new QuorumPeer.GetLogState(log.ref()));
        assertTrue(until.test(log.receiveMessage()), "log not there yet");
        return null;
      });
      if (snapshots) {
        // Stop right after a snapshot completed: the next one is half a snap-count of txns
        // away, so no save is still running when the actor system ends (a save outlives it).
        SnapshotStats stats = SnapshotStats.forPlugin(system, QuorumPeer.SNAPSHOTS);
        SnapshotStats.Saved seen = stats.last();
        int[] next = {count};
        door.awaitAssert(MAX, () -> {
          next[0]++;
          session.tell(new SessionActor.Submit(next[0], new Op.Create("/n" + next[0],
              new byte[10], Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT)));
          door.expectMessageClass(SessionOutput.Reply.class, MAX);
          assertTrue(stats.last() != seen, "no new snapshot yet");
          return null;
        });
      }
    } finally {
      kit.shutdownTestKit();
    }
  }

  /** Starts a server expected to refuse; returns its ERROR lines once its system stopped. */
  private List<String> refusal(Config config) {
    Logger logger = (Logger) LoggerFactory.getLogger(QuorumPeer.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      ActorSystem<QuorumPeer.Command> system =
          ActorSystem.create(QuorumPeer.create(Settings.from(config)), "paddock", config);
      // No testkit on this system: it may be terminating before one could attach to it.
      try {
        system.getWhenTerminated().toCompletableFuture().get(MAX.toMillis(),
            java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        system.terminate();
        throw new AssertionError("the server is still running after " + MAX, e);
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
      List<String> errors = new ArrayList<>();
      for (ILoggingEvent e : appender.list) {
        if (e.getLevel() == ch.qos.logback.classic.Level.ERROR) {
          errors.add(e.getFormattedMessage());
        }
      }
      return errors;
    } finally {
      logger.detachAppender(appender);
    }
  }

  private static void assertOneRefusal(List<String> errors, String... mentions) {
    List<String> refusals = errors.stream().filter(e -> e.startsWith("refusing to start"))
        .toList();
    assertEquals(1, refusals.size(), "one refusal line: " + errors);
    String line = refusals.get(0);
    assertFalse(line.contains("\n"), line);
    for (String m : mentions) {
      assertTrue(line.contains(m), "'" + m + "' in: " + line);
    }
  }

  /** Every file and directory under the data directory with a digest of its bytes. */
  private Map<String, String> contents() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.toList()) {
        String key = dir.relativize(p).toString();
        out.put(key, Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static String sha256(byte[] bytes) throws java.security.NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void aFlippedByteInFrameTwoOfTheLastSegmentIsDamageNotATornWrite() throws IOException {
    Config config = config(Map.of());
    runAndWrite(config, 12, false, s -> s.lastZxid() > 0);
    List<Path> segments;
    try (Stream<Path> files = Files.list(dir.resolve("log"))) {
      segments = files.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted()
          .toList();
    }
    assertEquals(1, segments.size());
    Path segment = segments.get(0);
    List<long[]> frames = frames(segment);
    assertTrue(frames.size() >= 10, "frames: " + frames.size());
    long second = frames.get(1)[0];
    flipByte(segment, second + 8 + frames.get(1)[1] / 2);
    Map<String, String> before = contents();

    assertOneRefusal(refusal(config), segment.toString(), "offset " + second,
        "intact record follows");
    assertEquals(before, contents(), "nothing on disk changed");
  }

  @Test
  void snapshotsDeletedAfterThePurgeLeaveAGapInHistory() throws IOException {
    Config config = config(Map.of("paddock.snap-count", 20, "paddock.snap-retain-count", 1));
    runAndWrite(config, 120, true, s -> s.baseZxid() > 0);
    deleteTree(dir.resolve("snapshots"));
    Map<String, String> before = contents();

    assertOneRefusal(refusal(config), dir.resolve("log").toString(),
        "no tree snapshot in " + dir.resolve("snapshots"), "begins after zxid");
    assertEquals(before, contents(), "nothing on disk changed, the snapshot directory included");
  }

  @Test
  void aMissingLogDirectoryNextToSnapshots() throws IOException {
    Config config = config(Map.of("paddock.snap-count", 20));
    runAndWrite(config, 40, true, s -> s.baseZxid() > 0);
    deleteTree(dir.resolve("log"));
    Map<String, String> before = contents();

    assertOneRefusal(refusal(config), dir.resolve("log").toString(), "is missing");
    assertEquals(before, contents(), "the log directory was not created");
  }

  @Test
  void aLogHoldingTxnsOfAnEpochItNeverAccepted() throws IOException {
    Config config = config(Map.of());
    runAndWrite(config, 3, false, s -> s.lastZxid() > 0);
    // What an epoch record behind its log looks like: a txn of epoch 7 appended to a log that
    // accepted epoch 1 (a log copied in from another server, say).
    ActorTestKit kit = ActorTestKit.create("paddock", config);
    try {
      TestProbe<TxnLog.Snapshot> recovered = kit.createTestProbe();
      var log = kit.spawn(TxnLog.create(QuorumPeer.LOG_ID, QuorumPeer.JOURNAL,
          recovered.ref()));
      assertEquals(1, recovered.receiveMessage(MAX).acceptedEpoch());
      TestProbe<TxnLog.Appended> appended = kit.createTestProbe();
      log.tell(new TxnLog.Append(List.of(new TxnEntry(Zxid.of(7, 1), 0, 0, 0,
          new Txn.SetData("/n1", new byte[1], 1))), appended.ref()));
      appended.receiveMessage(MAX);
    } finally {
      kit.shutdownTestKit();
    }
    Map<String, String> before = contents();

    assertOneRefusal(refusal(config), dir.resolve("log").toString(), "epoch 7",
        "epoch 1 as the newest it accepted");
    assertEquals(before, contents(), "nothing on disk changed");
  }

  @Test
  void anUnreadableOnlySnapshotWithThePurgedLogBehindIt() throws IOException {
    Config config = config(Map.of("paddock.snap-count", 20, "paddock.snap-retain-count", 1));
    runAndWrite(config, 60, true, s -> s.baseZxid() > 0);
    // Older files may linger until the store deletes them; none reaches the purged log.
    Path newest;
    try (Stream<Path> files = Files.list(dir.resolve("snapshots"))) {
      newest = files.max(Comparator.comparingLong(RefuseToStartTest::seqNr)).orElseThrow();
    }
    flipByte(newest, Files.size(newest) / 2);
    Map<String, String> before = contents();

    assertOneRefusal(refusal(config), newest.toString(), "readable");
    assertEquals(before, contents(), "nothing on disk changed");
  }

  /** The sequence number in snapshot-paddock-tree-SEQ-TIME.snap. */
  private static long seqNr(Path snapshot) {
    String[] parts = snapshot.getFileName().toString().split("-");
    return Long.parseLong(parts[parts.length - 2]);
  }

  /** (offset, body length) of each frame of a journal segment. */
  private static List<long[]> frames(Path segment) throws IOException {
    List<long[]> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(segment));
    int pos = 16;
    while (pos + 8 <= b.limit()) {
      int length = b.getInt(pos);
      if (length <= 0) {
        break;
      }
      out.add(new long[] {pos, length});
      pos += 8 + length;
    }
    return out;
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5A);
    }
  }
}
