package dev.paddock.storage;

import com.typesafe.config.Config;
import dev.paddock.storage.JournalFormat.StoredEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.japi.pf.ReceiveBuilder;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.Tagged;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.PartialFunction;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.BoxedUnit;

/**
 * Pekko Persistence journal that appends to preallocated, checksummed segment files.
 *
 * <p>Configuration (the plugin's block; Pekko passes it with its config path):
 *
 * <pre>
 * paddock.journal {
 *   class = "dev.paddock.storage.SegmentedFileJournal"
 *   dir = "data/log"           # segment files and a lock file; one journal per directory
 *   segment-size = 64 MiB      # roll threshold (a single larger record gets its own segment)
 *   preallocate = on           # zero-fill new segments before use
 *   fsync = on                 # force each group commit to disk before acknowledging it
 *   max-batch-requests = 4096  # write/delete requests per group commit at most
 *   replay-dispatcher = "pekko.persistence.dispatchers.default-replay-dispatcher"
 * }
 * </pre>
 *
 * <p>Each AtomicWrite becomes one frame, so {@code persistAll} is atomic across crashes. Writes
 * and deletions go to a single writer thread that group-commits everything queued (see {@link
 * JournalWriter}); replays read on the replay dispatcher; the actor thread only serializes
 * payloads and routes requests. Event payloads are stored via Pekko serialization; a payload
 * without a serializer rejects only its own AtomicWrite. Tags ({@link Tagged}) are dropped as the
 * journal offers no queries. A zero event timestamp is replaced by the write time.
 *
 * <p>{@code deleteMessagesTo} writes a durable marker, capped at the highest stored sequence
 * number, and segments whose events are all deleted are removed as whole files, oldest first.
 * The highest sequence number survives deleting everything, as Pekko requires. Counters are
 * available through {@link JournalStats#forPlugin}.
 *
 * <p>If the writer hits an I/O error the actor reopens the journal (recovery repairs the tail)
 * once the failed writes have been answered; if recovery itself fails the actor throws and, when
 * a restart cannot recover either, stops with the error logged.
 */
public final class SegmentedFileJournal extends AsyncWriteJournal {
  private static final Logger log = LoggerFactory.getLogger(SegmentedFileJournal.class);

  private final String pluginId;
  private final JournalSettings settings;
  private final JournalStats stats;
  private final PayloadSerialization serialization;
  private DirectoryLock lock;
  private LogState state;
  private JournalWriter writer;
  private JournalReader reader;

  /** Tells the actor that the writer thread of {@code generation} failed. */
  private record WriterFailed(int generation, Throwable cause) {}

  private int generation;

  public SegmentedFileJournal(Config config, String configPath) {
    this.pluginId = configPath;
    this.settings = JournalSettings.fromConfig(config);
    this.stats = JournalStats.forPlugin(context().system(), configPath);
    this.serialization = new PayloadSerialization(context().system());
  }

  @Override
  public void preStart() throws Exception {
    super.preStart();
    open();
  }

  private void open() throws Exception {
    long started = System.nanoTime();
    try {
      Files.createDirectories(settings.dir());
      lock = DirectoryLock.acquire(settings.dir(), "journal.lock");
      state = LogRecovery.recover(settings, stats);
      ActorRef self = self();
      int current = ++generation;
      writer =
          new JournalWriter(
              "paddock-journal-" + pluginId,
              settings,
              stats,
              state,
              cause -> self.tell(new WriterFailed(current, cause), ActorRef.noSender()));
      Executor replayExecutor = context().system().dispatchers().lookup(settings.replayDispatcher());
      reader = new JournalReader(state.segments, state.index, serialization, replayExecutor);
    } catch (StorageCorruptedException e) {
      // The message names the file and offset; a stack trace would only bury it.
      log.error("Journal {} cannot start: {}", pluginId, e.getMessage());
      releaseResources();
      stats.corrupted(e.getMessage());
      throw e;
    } catch (Exception e) {
      log.error("Journal {} failed to start on {}", pluginId, settings.dir(), e);
      releaseResources();
      throw e;
    }
    log.info(
        "Journal {} opened {} with {} segment(s) in {} ms",
        pluginId,
        settings.dir(),
        state.segments.size(),
        (System.nanoTime() - started) / 1_000_000);
  }

  @Override
  public void postStop() throws Exception {
    releaseResources();
    super.postStop();
  }

  private void releaseResources() {
    if (writer != null) {
      writer.close();
      writer = null;
    } else if (state != null) {
      for (Segment s : state.segments.values()) {
        try {
          s.close();
        } catch (IOException e) {
          log.debug("Failed to close {}", s, e);
        }
      }
    }
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        log.warn("Failed to release the lock of {}", settings.dir(), e);
      }
      lock = null;
    }
  }

  @Override
  public PartialFunction<Object, BoxedUnit> receivePluginInternal() {
    return ReceiveBuilder.create()
        .match(
            WriterFailed.class,
            failed -> {
              if (failed.generation() == generation) {
                reopen(failed.cause());
              }
            })
        .build()
        .onMessage();
  }

  /**
   * Closes the failed writer and runs recovery again, which repairs the tail, in this same actor.
   * Letting the supervisor restart the actor instead would also stop the journal's resequencer
   * child, and with it the failure replies of the writes that just failed: their persistent
   * actors would wait forever instead of failing (and being restarted by their owners).
   */
  private void reopen(Throwable cause) throws Exception {
    log.warn("Journal {} reopens {} after a writer failure: {}", pluginId, settings.dir(),
        cause.toString());
    releaseResources();
    open();
  }

  @Override
  public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> writes) {
    List<Optional<Exception>> results = new ArrayList<>();
    List<JournalWriter.EncodedWrite> encoded = new ArrayList<>();
    for (AtomicWrite write : writes) {
      try {
        encoded.add(encode(write));
        results.add(Optional.empty());
      } catch (Exception e) {
        results.add(Optional.of(e));
      }
    }
    Iterable<Optional<Exception>> outcome = results;
    if (encoded.isEmpty()) {
      return Futures.successful(outcome);
    }
    return Futures.toScala(writer.write(encoded).thenApply(done -> outcome));
  }

  @Override
  public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
    return Futures.toScala(writer.deleteTo(persistenceId, toSequenceNr));
  }

  @Override
  public Future<Void> doAsyncReplayMessages(
      String persistenceId,
      long fromSequenceNr,
      long toSequenceNr,
      long max,
      Consumer<PersistentRepr> replayCallback) {
    return Futures.toScala(
        reader.replay(persistenceId, fromSequenceNr, toSequenceNr, max, replayCallback));
  }

  @Override
  public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
    return Futures.successful(state.index.highestSeqNr(persistenceId));
  }

  private JournalWriter.EncodedWrite encode(AtomicWrite write) {
    List<PersistentRepr> reprs = CollectionConverters.asJava(write.payload());
    List<StoredEvent> events = new ArrayList<>(reprs.size());
    long[] seqNrs = new long[reprs.size()];
    long now = System.currentTimeMillis();
    for (int i = 0; i < seqNrs.length; i++) {
      PersistentRepr repr = reprs.get(i);
      Object payload = repr.payload();
      if (payload instanceof Tagged tagged) {
        payload = tagged.payload();
      }
      SerializedPayload metadata =
          repr.metadata().isDefined() ? serialization.serialize(repr.metadata().get()) : null;
      events.add(
          new StoredEvent(
              repr.sequenceNr(),
              repr.timestamp() != 0 ? repr.timestamp() : now,
              repr.manifest(),
              repr.writerUuid(),
              serialization.serialize(payload),
              metadata));
      seqNrs[i] = repr.sequenceNr();
    }
    byte[] body = JournalFormat.encodeEvents(write.persistenceId(), events);
    return new JournalWriter.EncodedWrite(
        write.persistenceId(), seqNrs, body, JournalFormat.checksum(ByteBuffer.wrap(body)));
  }
}
