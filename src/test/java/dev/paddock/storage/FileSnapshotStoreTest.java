package dev.paddock.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.persistence.Persistence;
import org.apache.pekko.persistence.SaveSnapshotSuccess;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotProtocol;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.testkit.javadsl.TestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FileSnapshotStoreTest extends StorageTestBase {

  /** A large state that is generated while written and verified while read, never held. */
  record Blob(long seed, int longs) implements StreamableSnapshot {
    static final String KEY = "test.blob.v1";
    static final AtomicInteger WRITES = new AtomicInteger();

    @Override
    public String snapshotTypeKey() {
      return KEY;
    }

    @Override
    public void writeTo(DataOutputStream out) throws IOException {
      WRITES.incrementAndGet();
      out.writeLong(seed);
      out.writeInt(longs);
      Random random = new Random(seed);
      for (int i = 0; i < longs; i++) {
        out.writeLong(random.nextLong());
      }
    }

    static Blob readFrom(DataInput in) throws IOException {
      long seed = in.readLong();
      int longs = in.readInt();
      Random random = new Random(seed);
      for (int i = 0; i < longs; i++) {
        if (in.readLong() != random.nextLong()) {
          throw new IOException("content differs at long " + i);
        }
      }
      return new Blob(seed, longs);
    }
  }

  /** A streamed snapshot whose reader is never registered. */
  record Unreadable() implements StreamableSnapshot {
    @Override
    public String snapshotTypeKey() {
      return "test.unregistered";
    }

    @Override
    public void writeTo(DataOutputStream out) throws IOException {
      out.writeUTF("nobody can read this");
    }
  }

  @BeforeEach
  void registerReader() {
    StreamableSnapshot.register(Blob.KEY, Blob::readFrom);
  }

  @AfterEach
  void unregisterReader() {
    StreamableSnapshot.unregister(Blob.KEY);
  }

  @Test
  void corruptNewestSnapshotFallsBackToTheNextOlderOne() throws IOException {
    ActorSystem system = startStore();
    save(system, "p", 10, "s-10");
    save(system, "p", 20, "s-20");
    save(system, "p", 30, "s-30");
    Path newest = file("p", 30);
    SegmentInspector.flipByte(newest, Files.size(newest) / 2);
    Path second = file("p", 20);
    SegmentInspector.truncate(second, Files.size(second) - 3);

    try (StorageTestSupport.LogCapture logs =
        new StorageTestSupport.LogCapture(FileSnapshotStore.class)) {
      SelectedSnapshot loaded = loadLatest(system, "p");
      assertEquals("s-10", loaded.snapshot());
      assertEquals(10, loaded.metadata().sequenceNr());
      List<String> warnings = logs.warnings();
      assertEquals(2, warnings.size(), warnings.toString());
      assertTrue(warnings.get(0).contains(newest.toString()), warnings.get(0));
      assertTrue(warnings.get(1).contains(second.toString()), warnings.get(1));
    }
  }

  @Test
  void undeserializableNewestSnapshotFallsBack() {
    ActorSystem system = startStore();
    save(system, "p", 10, "s-10");
    save(system, "p", 20, new Unreadable());
    assertEquals("s-10", loadLatest(system, "p").snapshot());
  }

  @Test
  void loadFailsWhenNoMatchingSnapshotIsReadable() throws IOException {
    ActorSystem system = startStore();
    save(system, "p", 10, "s-10");
    Path only = file("p", 10);
    SegmentInspector.flipByte(only, 20);

    Object reply = load(system, "p", SnapshotSelectionCriteria.latest());
    SnapshotProtocol.LoadSnapshotFailed failed =
        assertInstanceOf(SnapshotProtocol.LoadSnapshotFailed.class, reply);
    assertTrue(failed.cause().getMessage().contains("None of the 1 matching snapshots"),
        failed.cause().getMessage());
    // A snapshot that does not match the criteria is not "unreadable": there is just none.
    Object none = load(system, "p", SnapshotSelectionCriteria.create(5, Long.MAX_VALUE));
    assertEquals(new SnapshotProtocol.LoadSnapshotResult(scala.Option.empty(), Long.MAX_VALUE),
        none);
  }

  @Test
  void leftoverTempFilesAreIgnoredAndRemovedAtStart() throws IOException {
    ActorSystem first = startStore();
    save(first, "p", 10, "s-10");
    Path leftover = snapshotDir.resolve(
        SnapshotFiles.fileName("p", 20, System.currentTimeMillis()) + ".5f1c.tmp");
    Files.write(leftover, new byte[] {1, 2, 3});
    Path unrelated = snapshotDir.resolve("README.txt");
    Files.writeString(unrelated, "not a snapshot");
    assertEquals("s-10", loadLatest(first, "p").snapshot());
    stop(first);

    ActorSystem second = startStore();
    assertEquals("s-10", loadLatest(second, "p").snapshot());
    assertFalse(Files.exists(leftover), "temp file removed");
    assertTrue(Files.exists(unrelated), "foreign files are left alone");
  }

  @Test
  void streamableSnapshotsAreStreamedToDiskAndBack() throws IOException {
    ActorSystem first = startStore();
    Blob blob = new Blob(42, 2_000_000); // 16 MB
    int writesBefore = Blob.WRITES.get();
    // Blob has no Pekko serializer binding, so this save only succeeds by streaming.
    save(first, "tree", 100, blob);
    assertEquals(writesBefore + 1, Blob.WRITES.get());
    assertTrue(Files.size(file("tree", 100)) > 16_000_000);
    assertEquals(blob, loadLatest(first, "tree").snapshot());
    stop(first);

    ActorSystem second = startStore();
    SelectedSnapshot loaded = loadLatest(second, "tree");
    assertEquals(blob, loaded.snapshot());
    assertEquals(100, loaded.metadata().sequenceNr());
  }

  @Test
  void anyPersistenceIdGetsItsOwnPortableFiles() throws IOException {
    ActorSystem system = startStore();
    List<String> pids = List.of("a", "a-1", "a-1-2", "tenant/x y:z*?\\", "ünïcødé", "%41",
        "long-" + "x".repeat(300));
    for (int i = 0; i < pids.size(); i++) {
      save(system, pids.get(i), 1 + i, "payload of " + pids.get(i));
    }
    for (int i = 0; i < pids.size(); i++) {
      SelectedSnapshot loaded = loadLatest(system, pids.get(i));
      assertEquals("payload of " + pids.get(i), loaded.snapshot());
      assertEquals(pids.get(i), loaded.metadata().persistenceId());
    }
    try (var files = Files.list(snapshotDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        assertTrue(name.length() < 255, name);
        assertTrue(name.matches("[A-Za-z0-9._%~-]+"), name);
      }
    }
  }

  private ActorSystem startStore() {
    return start("1 MiB", false);
  }

  private static ActorRef store(ActorSystem system) {
    return Persistence.get(system)
        .snapshotStoreFor(StorageTestSupport.SNAPSHOTS, ConfigFactory.empty());
  }

  private static SnapshotMetadata save(ActorSystem system, String pid, long seqNr, Object state) {
    TestKit probe = new TestKit(system);
    store(system).tell(
        new SnapshotProtocol.SaveSnapshot(new SnapshotMetadata(pid, seqNr, 0L), state),
        probe.getRef());
    return probe.expectMsgClass(JournalDriver.TIMEOUT, SaveSnapshotSuccess.class).metadata();
  }

  private static Object load(ActorSystem system, String pid, SnapshotSelectionCriteria c) {
    TestKit probe = new TestKit(system);
    store(system).tell(new SnapshotProtocol.LoadSnapshot(pid, c, Long.MAX_VALUE), probe.getRef());
    return probe.receiveOne(JournalDriver.TIMEOUT);
  }

  private static SelectedSnapshot loadLatest(ActorSystem system, String pid) {
    Object reply = load(system, pid, SnapshotSelectionCriteria.latest());
    SnapshotProtocol.LoadSnapshotResult result =
        assertInstanceOf(SnapshotProtocol.LoadSnapshotResult.class, reply);
    assertTrue(result.snapshot().isDefined(), "a snapshot of " + pid);
    return result.snapshot().get();
  }

  private Path file(String pid, long seqNr) throws IOException {
    return SnapshotFiles.list(snapshotDir, pid).stream()
        .filter(e -> e.seqNr() == seqNr)
        .findFirst()
        .orElseThrow()
        .path();
  }
}
