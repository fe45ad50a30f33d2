package dev.paddock.storage;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.apache.pekko.persistence.SelectedSnapshot;
import org.apache.pekko.persistence.SnapshotMetadata;
import org.apache.pekko.persistence.SnapshotSelectionCriteria;
import org.apache.pekko.persistence.snapshot.japi.SnapshotStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.Future;

/**
 * Pekko Persistence snapshot store keeping one checksummed file per snapshot.
 *
 * <p>Configuration (the plugin's block):
 *
 * <pre>
 * paddock.snapshot-store {
 *   class = "dev.paddock.storage.FileSnapshotStore"
 *   dir = "data/snapshots"
 *   io-dispatcher = "paddock.snapshot-store.io-dispatcher"   # blocking file I/O runs here
 * }
 * </pre>
 *
 * <p>Saving serializes (or streams, see {@link StreamableSnapshot}) into a temporary file in the
 * same directory, forces it, renames it atomically into place and forces the directory, so a
 * snapshot is either complete or absent after a crash. A save replaces other files of the same
 * persistenceId and sequence number. Leftover temporary files are deleted at start.
 *
 * <p>Loading picks the newest snapshot that matches the criteria. One that fails its checksum or
 * cannot be deserialized is skipped with a WARN and the next older match is tried. If matching
 * snapshots exist but none is readable the load fails rather than reporting "no snapshot":
 * recovering from sequence number 1 would silently lose state whenever the events covered by the
 * snapshot were already deleted. (Pekko's {@code snapshot-is-optional = on} turns that failure
 * into a full replay for actors that never delete events.)
 *
 * <p>All file work runs on {@code io-dispatcher}; the actor thread only dispatches requests.
 * Requests are not ordered against each other, as in Pekko's own local snapshot store.
 */
public final class FileSnapshotStore extends SnapshotStore {
  private static final Logger log = LoggerFactory.getLogger(FileSnapshotStore.class);
  private static final String DEFAULT_IO_DISPATCHER = "pekko.actor.default-blocking-io-dispatcher";

  private final String pluginId;
  private final Path dir;
  private final String ioDispatcher;
  private final PayloadSerialization serialization;
  private final SnapshotStats stats;
  private Executor io;

  public FileSnapshotStore(Config config, String configPath) {
    this.pluginId = configPath;
    this.dir = Paths.get(config.getString("dir")).toAbsolutePath();
    this.ioDispatcher =
        config.hasPath("io-dispatcher") ? config.getString("io-dispatcher") : DEFAULT_IO_DISPATCHER;
    this.serialization = new PayloadSerialization(context().system());
    this.stats = SnapshotStats.forPlugin(context().system(), configPath);
  }

  @Override
  public void preStart() throws Exception {
    super.preStart();
    io = context().system().dispatchers().lookup(ioDispatcher);
    // The directory is created by the first save, not here: a server that must refuse to
    // start because its snapshots are gone leaves the data directory exactly as it found it.
    int removed = SnapshotFiles.deleteTempFiles(dir);
    if (removed > 0) {
      log.info("Snapshot store {} removed {} incomplete snapshot file(s) from {}", pluginId,
          removed, dir);
    }
  }

  @Override
  public Future<Optional<SelectedSnapshot>> doLoadAsync(
      String persistenceId, SnapshotSelectionCriteria criteria) {
    return onIo(() -> load(persistenceId, criteria));
  }

  @Override
  public Future<Void> doSaveAsync(SnapshotMetadata metadata, Object snapshot) {
    return onIo(
        () -> {
          save(metadata, snapshot);
          return null;
        });
  }

  @Override
  public Future<Void> doDeleteAsync(SnapshotMetadata metadata) {
    // Timestamp 0 means "any": Pekko deletes by sequence number when it does not know the time.
    return onIo(
        () -> {
          delete(
              metadata.persistenceId(),
              e -> e.seqNr() == metadata.sequenceNr()
                  && (metadata.timestamp() == 0 || e.timestamp() == metadata.timestamp()));
          return null;
        });
  }

  @Override
  public Future<Void> doDeleteAsync(String persistenceId, SnapshotSelectionCriteria criteria) {
    return onIo(
        () -> {
          delete(persistenceId, e -> e.matches(criteria));
          return null;
        });
  }

  private Optional<SelectedSnapshot> load(String persistenceId, SnapshotSelectionCriteria criteria)
      throws IOException {
    List<SnapshotFiles.Entry> candidates = SnapshotFiles.list(dir, persistenceId);
    candidates.removeIf(e -> !e.matches(criteria));
    candidates.sort(SnapshotFiles.NEWEST_FIRST);
    Exception newestFailure = null;
    for (SnapshotFiles.Entry e : candidates) {
      try {
        return Optional.of(
            SnapshotFileFormat.read(
                e.path(), persistenceId, e.seqNr(), e.timestamp(), serialization));
      } catch (Exception ex) {
        if (Files.notExists(e.path())) {
          continue; // deleted concurrently
        }
        log.warn("Skipping unreadable snapshot {}, trying an older one: {}", e.path(), ex.toString());
        stats.unreadable(e.path(), ex.getMessage() == null ? ex.toString() : ex.getMessage());
        if (newestFailure == null) {
          newestFailure = ex;
        }
      }
    }
    if (newestFailure != null) {
      throw new IOException(
          "None of the " + candidates.size() + " matching snapshots of '" + persistenceId
              + "' in " + dir + " is readable",
          newestFailure);
    }
    return Optional.empty();
  }

  private void save(SnapshotMetadata metadata, Object snapshot) throws IOException {
    String name =
        SnapshotFiles.fileName(
            metadata.persistenceId(), metadata.sequenceNr(), metadata.timestamp());
    Path target = dir.resolve(name);
    Path tmp = dir.resolve(name + "." + UUID.randomUUID() + SnapshotFiles.TEMP_SUFFIX);
    long start = System.nanoTime();
    Files.createDirectories(dir);
    try {
      SnapshotFileFormat.write(tmp, metadata, snapshot, serialization);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
    FileIo.fsyncDirectory(dir);
    stats.saved(new SnapshotStats.Saved(System.nanoTime() - start, Files.size(target),
        metadata.timestamp(), target.toString()));
    delete(
        metadata.persistenceId(),
        e -> e.seqNr() == metadata.sequenceNr() && !e.path().equals(target));
  }

  private void delete(String persistenceId, Predicate<SnapshotFiles.Entry> which)
      throws IOException {
    boolean any = false;
    for (SnapshotFiles.Entry e : SnapshotFiles.list(dir, persistenceId)) {
      if (which.test(e)) {
        any |= Files.deleteIfExists(e.path());
      }
    }
    if (any) {
      FileIo.fsyncDirectory(dir);
    }
  }

  @FunctionalInterface
  private interface IoTask<T> {
    T run() throws IOException;
  }

  private <T> Future<T> onIo(IoTask<T> task) {
    return Futures.toScala(
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return task.run();
              } catch (IOException e) {
                throw new CompletionException(e);
              }
            },
            io));
  }
}
