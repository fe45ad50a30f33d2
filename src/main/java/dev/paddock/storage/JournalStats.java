package dev.paddock.storage;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Live counters of one {@link SegmentedFileJournal} plugin, for tests, benchmarks and metrics.
 *
 * <p>Obtain it with {@link #forPlugin(ActorSystem, String)} using the plugin's config path (for
 * example {@code "paddock.journal"}). The counters are cumulative for the actor system: they
 * survive a restart of the journal actor, and may be fetched before the journal has started.
 * The group-commit ratio is {@code recordsWritten / fsyncs}.
 */
public final class JournalStats {
  private final AtomicLong writeRequests = new AtomicLong();
  private final AtomicLong recordsWritten = new AtomicLong();
  private final AtomicLong eventsWritten = new AtomicLong();
  private final AtomicLong deletionMarkersWritten = new AtomicLong();
  private final AtomicLong bytesWritten = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong fsyncs = new AtomicLong();
  private final AtomicLong segmentsCreated = new AtomicLong();
  private final AtomicLong segmentsDeleted = new AtomicLong();
  private final AtomicLong tornBytesDropped = new AtomicLong();
  private final AtomicLong txnsLogged = new AtomicLong();
  private volatile LongConsumer fsyncObserver = nanos -> {};
  private volatile WriteFailure writeFailure;
  private volatile String corruption;
  private volatile Consumer<String> corruptionObserver = message -> {};

  /** Why the journal cannot write (a full disk, an I/O error), and since when. */
  public record WriteFailure(String reason, long sinceMillis) {}

  /**
   * Held by the writer thread while it processes one group commit. Tests hold it to make
   * requests queue up behind a busy writer deterministically instead of hoping for a race.
   */
  final ReentrantLock batchGate = new ReentrantLock();

  /**
   * Point-in-time copy of the counters.
   *
   * @param writeRequests asyncWriteMessages calls handed to the writer
   * @param recordsWritten frames holding events (one per AtomicWrite)
   * @param eventsWritten events inside those frames
   * @param deletionMarkersWritten deletion markers, including ones carried forward on reclaim
   * @param bytesWritten frame bytes appended to segments
   * @param batches group commits performed by the writer
   * @param fsyncs FileChannel.force calls on segments
   * @param segmentsCreated segments rolled to (not counting the first one of an empty directory)
   * @param segmentsDeleted segments removed because all their events were deleted
   * @param tornBytesDropped bytes discarded from torn tails during recovery
   */
  public record Snapshot(
      long writeRequests,
      long recordsWritten,
      long eventsWritten,
      long deletionMarkersWritten,
      long bytesWritten,
      long batches,
      long fsyncs,
      long segmentsCreated,
      long segmentsDeleted,
      long tornBytesDropped) {}

  JournalStats() {}

  /** Returns the stats of the journal configured at {@code pluginId} in {@code system}. */
  public static JournalStats forPlugin(ActorSystem system, String pluginId) {
    return Registry.ID.get(system).stats.computeIfAbsent(pluginId, id -> new JournalStats());
  }

  /** Typed-API variant of {@link #forPlugin(ActorSystem, String)}. */
  public static JournalStats forPlugin(
      org.apache.pekko.actor.typed.ActorSystem<?> system, String pluginId) {
    return forPlugin(Adapter.toClassic(system), pluginId);
  }

  public Snapshot snapshot() {
    return new Snapshot(
        writeRequests.get(),
        recordsWritten.get(),
        eventsWritten.get(),
        deletionMarkersWritten.get(),
        bytesWritten.get(),
        batches.get(),
        fsyncs.get(),
        segmentsCreated.get(),
        segmentsDeleted.get(),
        tornBytesDropped.get());
  }

  @Override
  public String toString() {
    return snapshot().toString();
  }

  /** Counts Paddock txns made durable; each journal event may hold a whole batch of them. */
  public void txnsLogged(long count) {
    txnsLogged.addAndGet(count);
  }

  /** Txns made durable so far; with {@code fsyncs} it gives txns per fsync. */
  public long txnsLogged() {
    return txnsLogged.get();
  }

  void writeRequest() {
    writeRequests.incrementAndGet();
  }

  void eventRecord(int events, long frameBytes) {
    recordsWritten.incrementAndGet();
    eventsWritten.addAndGet(events);
    bytesWritten.addAndGet(frameBytes);
  }

  void deletionMarker(long frameBytes) {
    deletionMarkersWritten.incrementAndGet();
    bytesWritten.addAndGet(frameBytes);
  }

  void batch() {
    batches.incrementAndGet();
    writeFailure = null;
  }

  void writeFailed(Throwable cause) {
    if (writeFailure == null) {
      String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      writeFailure = new WriteFailure(reason, System.currentTimeMillis());
    }
  }

  /** The failure that stopped the writer, until a group commit succeeds again; else null. */
  public WriteFailure writeFailure() {
    return writeFailure;
  }

  void corrupted(String message) {
    corruption = message;
    corruptionObserver.accept(message);
  }

  /** Damage that recovery found (file and offset), which no retry can repair; else null. */
  public String corruption() {
    return corruption;
  }

  /**
   * Receives the damage recovery finds, on the thread that found it (at once if it already
   * did): a server must stop rather than wait for a journal that will never open.
   */
  public void onCorruption(Consumer<String> observer) {
    this.corruptionObserver = observer;
    String found = corruption;
    if (found != null) {
      observer.accept(found);
    }
  }

  void fsync(long nanos) {
    fsyncs.incrementAndGet();
    fsyncObserver.accept(nanos);
  }

  /**
   * Receives the duration of every fsync of the log, on the writer thread, so metrics can keep
   * a latency histogram; it must be quick and must not throw.
   */
  public void onFsync(LongConsumer observer) {
    this.fsyncObserver = observer;
  }

  void segmentCreated() {
    segmentsCreated.incrementAndGet();
  }

  void segmentDeleted() {
    segmentsDeleted.incrementAndGet();
  }

  void tornBytesDropped(long bytes) {
    tornBytesDropped.addAndGet(bytes);
  }

  /** Per-actor-system holder, so independent systems in one JVM (tests) never share counters. */
  static final class Registry implements Extension {
    static final RegistryId ID = new RegistryId();
    final Map<String, JournalStats> stats = new ConcurrentHashMap<>();
  }

  static final class RegistryId extends AbstractExtensionId<Registry> {
    @Override
    public Registry createExtension(ExtendedActorSystem system) {
      return new Registry();
    }
  }
}
