package dev.paddock.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's single writer thread, which implements group commit.
 *
 * <p>Callers enqueue requests and get a future back immediately. The thread takes every request
 * queued so far, appends their frames through one buffer, forces the segment once, publishes the
 * new entries to the index and only then completes the futures. N writes that arrive while a
 * force is in progress therefore cost one force between them, and no acknowledged write can be
 * lost. Actor threads never block on disk I/O.
 *
 * <p>Before rolling to a new segment the old one is forced even with {@code fsync = off}, so
 * only the last segment can ever hold a torn write (see {@link LogRecovery}). Once the active
 * segment is half full the next one is prepared (zero-filled) in the background, so a roll does
 * not stall writers for the time it takes to write a whole segment of zeros.
 *
 * <p>After any I/O failure the writer refuses further requests: the on-disk tail is then in an
 * unknown state, and only a restart of the journal (which re-runs recovery) can clean it up.
 */
final class JournalWriter {
  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);
  private static final int WRITE_BUFFER_SIZE = 1 << 20;
  private static final long CLOSE_TIMEOUT_MILLIS = 60_000;

  /** A serialized AtomicWrite, ready to be framed; built off the writer thread. */
  record EncodedWrite(String persistenceId, long[] seqNrs, byte[] body, int crc) {}

  private sealed interface Request permits WriteRequest, DeleteRequest, StopRequest {}

  private record WriteRequest(List<EncodedWrite> writes, CompletableFuture<Void> done)
      implements Request {}

  private record DeleteRequest(String persistenceId, long toSeqNr, CompletableFuture<Void> done)
      implements Request {}

  private record StopRequest() implements Request {}

  private final JournalSettings settings;
  private final JournalStats stats;
  private final LogState state;
  private final Consumer<Throwable> onFailure;
  private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
  private final ExecutorService preparer;
  private final Thread thread;

  // Writer-thread state.
  private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE);
  private long bufferOffset;
  private boolean dirty;
  private boolean rolledSinceReclaim = true;
  private Future<Path> spare;
  private long spareNumber;
  private final Deque<Segment> undeleted = new ArrayDeque<>();

  private boolean closed; // guarded by this
  private volatile Throwable failure;

  JournalWriter(
      String name,
      JournalSettings settings,
      JournalStats stats,
      LogState state,
      Consumer<Throwable> onFailure) {
    this.settings = settings;
    this.stats = stats;
    this.state = state;
    this.onFailure = onFailure;
    this.preparer =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, name + "-segment-preparer");
              t.setDaemon(true);
              return t;
            });
    this.thread = new Thread(this::run, name + "-writer");
    this.thread.setDaemon(true);
    thread.start();
  }

  CompletableFuture<Void> write(List<EncodedWrite> writes) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return submit(new WriteRequest(writes, done), done);
  }

  CompletableFuture<Void> deleteTo(String persistenceId, long toSeqNr) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    return submit(new DeleteRequest(persistenceId, toSeqNr, done), done);
  }

  private CompletableFuture<Void> submit(Request request, CompletableFuture<Void> done) {
    synchronized (this) {
      if (closed) {
        return CompletableFuture.failedFuture(new IllegalStateException("journal is stopped"));
      }
      if (failure != null) {
        return CompletableFuture.failedFuture(unavailable());
      }
      if (request instanceof WriteRequest) {
        stats.writeRequest();
      }
      // Enqueued under the same lock as the stop request, so nothing can queue behind it.
      queue.add(request);
    }
    return done;
  }

  /** Completes everything already queued, then stops the thread and closes the segments. */
  void close() {
    synchronized (this) {
      if (!closed) {
        closed = true;
        queue.add(new StopRequest());
      }
    }
    try {
      thread.join(CLOSE_TIMEOUT_MILLIS);
      if (thread.isAlive()) {
        log.error("Journal writer did not stop within {} ms", CLOSE_TIMEOUT_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    List<Request> batch = new ArrayList<>();
    boolean stop = false;
    try {
      while (!stop) {
        Request first = queue.take();
        stats.batchGate.lock();
        try {
          batch.clear();
          batch.add(first);
          queue.drainTo(batch, settings.maxBatchRequests() - 1);
          stop = process(batch);
        } finally {
          stats.batchGate.unlock();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable t) {
      fail(t);
    } finally {
      List<Request> rest = new ArrayList<>();
      queue.drainTo(rest);
      failAll(rest, new IllegalStateException("journal is stopped"));
      preparer.shutdownNow();
      for (Segment s : state.segments.values()) {
        try {
          s.close();
        } catch (IOException e) {
          log.warn("Failed to close journal segment {}", s, e);
        }
      }
    }
  }

  /** Returns true when the batch contained the stop request. */
  private boolean process(List<Request> batch) {
    boolean stop = false;
    List<Request> work = new ArrayList<>(batch.size());
    for (Request r : batch) {
      if (r instanceof StopRequest) {
        stop = true;
      } else {
        work.add(r);
      }
    }
    if (work.isEmpty()) {
      return stop;
    }
    if (failure != null) {
      failAll(work, unavailable());
      return stop;
    }
    List<Consumer<JournalIndex>> indexUpdates = new ArrayList<>();
    boolean deleted;
    try {
      JournalFaults.awaitUnstalled(settings.dir());
      JournalFaults.check(settings.dir());
      deleted = appendAll(work, indexUpdates);
      flushAndForce();
      stats.batch();
    } catch (Throwable t) {
      fail(t);
      failAll(work, t);
      return stop;
    }
    for (Consumer<JournalIndex> update : indexUpdates) {
      update.accept(state.index);
    }
    for (Request r : work) {
      done(r).complete(null);
    }
    if (deleted || rolledSinceReclaim || !undeleted.isEmpty()) {
      try {
        reclaim();
      } catch (Throwable t) {
        fail(t);
      }
    }
    return stop;
  }

  private boolean appendAll(List<Request> work, List<Consumer<JournalIndex>> indexUpdates)
      throws IOException {
    boolean deleted = false;
    for (Request r : work) {
      if (r instanceof WriteRequest w) {
        for (EncodedWrite e : w.writes()) {
          long location = appendFrame(e.body(), e.crc());
          long segmentNumber = JournalIndex.segmentOf(location);
          LogState.PidState pid = state.pid(e.persistenceId());
          long max = 0;
          for (long seqNr : e.seqNrs()) {
            pid.onEvent(seqNr, segmentNumber);
            max = Math.max(max, seqNr);
          }
          state.active.noteEvents(e.persistenceId(), max);
          stats.eventRecord(e.seqNrs().length, JournalFormat.FRAME_HEADER_SIZE + e.body().length);
          indexUpdates.add(index -> index.addEvents(e.persistenceId(), e.seqNrs(), location));
        }
      } else if (r instanceof DeleteRequest d) {
        LogState.PidState pid = state.pids.get(d.persistenceId());
        // Capped at the highest stored seqNr: events written later must stay visible.
        long target = pid == null ? 0 : Math.min(d.toSeqNr(), pid.highest);
        if (pid != null && target > pid.deletedTo) {
          long highest = pid.highest;
          long location = appendMarker(d.persistenceId(), target, highest);
          pid.onMarker(target, highest, JournalIndex.segmentOf(location));
          indexUpdates.add(index -> index.markDeleted(d.persistenceId(), target, highest));
          deleted = true;
        }
      }
    }
    return deleted;
  }

  private long appendMarker(String persistenceId, long deletedTo, long highest)
      throws IOException {
    byte[] body = JournalFormat.encodeDeletion(persistenceId, deletedTo, highest);
    long location = appendFrame(body, JournalFormat.checksum(ByteBuffer.wrap(body)));
    stats.deletionMarker(JournalFormat.FRAME_HEADER_SIZE + body.length);
    return location;
  }

  /** Appends one frame, rolling first if it does not fit; returns its index location. */
  private long appendFrame(byte[] body, int crc) throws IOException {
    int frameSize = JournalFormat.FRAME_HEADER_SIZE + body.length;
    // An oversized frame gets a fresh segment to itself and simply extends that file.
    if (state.writePosition + frameSize > settings.segmentSize()
        && state.writePosition > JournalFormat.SEGMENT_HEADER_SIZE) {
      roll();
    }
    long offset = state.writePosition;
    long location = JournalIndex.location(state.active.number, offset);
    if (writeBuffer.remaining() < frameSize) {
      flushBuffer();
    }
    if (writeBuffer.position() == 0) {
      bufferOffset = offset;
    }
    if (frameSize <= writeBuffer.remaining()) {
      writeBuffer.putInt(body.length).putInt(crc).put(body);
    } else {
      ByteBuffer header = ByteBuffer.allocate(JournalFormat.FRAME_HEADER_SIZE);
      header.putInt(body.length).putInt(crc).flip();
      FileIo.writeFully(state.active.channel, header, offset);
      FileIo.writeFully(
          state.active.channel, ByteBuffer.wrap(body), offset + JournalFormat.FRAME_HEADER_SIZE);
    }
    state.writePosition += frameSize;
    dirty = true;
    if (spare == null && state.writePosition > settings.segmentSize() / 2) {
      prepareSpare();
    }
    return location;
  }

  private void flushBuffer() throws IOException {
    if (writeBuffer.position() > 0) {
      writeBuffer.flip();
      FileIo.writeFully(state.active.channel, writeBuffer, bufferOffset);
      writeBuffer.clear();
    }
  }

  private void flushAndForce() throws IOException {
    flushBuffer();
    if (settings.fsync() && dirty) {
      force();
    }
  }

  private void force() throws IOException {
    long start = System.nanoTime();
    state.active.channel.force(false);
    stats.fsync(System.nanoTime() - start);
    dirty = false;
  }

  private void roll() throws IOException {
    flushBuffer();
    if (dirty) {
      force();
    }
    long next = state.active.number + 1;
    Segment segment = Segment.install(takeSpare(next), settings.dir(), next);
    state.segments.put(segment.number, segment);
    state.active = segment;
    state.writePosition = JournalFormat.SEGMENT_HEADER_SIZE;
    stats.segmentCreated();
    rolledSinceReclaim = true;
  }

  private void prepareSpare() {
    long number = state.active.number + 1;
    spareNumber = number;
    spare =
        preparer.submit(
            () ->
                Segment.prepare(
                    settings.dir(), number, settings.segmentSize(), settings.preallocate()));
  }

  private Path takeSpare(long number) throws IOException {
    Future<Path> prepared = spare;
    spare = null;
    if (prepared != null && spareNumber == number) {
      try {
        return prepared.get();
      } catch (ExecutionException e) {
        log.warn("Preparing journal segment {} in the background failed; retrying", number,
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for segment " + number, e);
      }
    }
    return Segment.prepare(settings.dir(), number, settings.segmentSize(), settings.preallocate());
  }

  /**
   * Deletes the oldest segments whose events are all deleted. Deletion markers whose only copy
   * lives in those segments are re-appended (and forced) first, so the deleted-to and highest
   * sequence numbers survive the reclaim. Files go oldest first and stop at the first failure,
   * so the remaining segment numbers stay contiguous.
   */
  private void reclaim() throws IOException {
    rolledSinceReclaim = false;
    if (!deleteFiles(undeleted)) {
      return;
    }
    Deque<Segment> victims = new ArrayDeque<>();
    for (Segment s : state.segments.values()) {
      if (s == state.active || !s.allEventsDeleted(state::deletedTo)) {
        break;
      }
      victims.add(s);
    }
    if (victims.isEmpty()) {
      return;
    }
    long firstKept = victims.getLast().number + 1;
    boolean carried = false;
    for (Map.Entry<String, LogState.PidState> e : state.pids.entrySet()) {
      LogState.PidState pid = e.getValue();
      boolean markerLost = pid.deletedTo > 0 && pid.markerSegment < firstKept;
      boolean highestLost = pid.highest > 0 && pid.highestSegment < firstKept;
      if (markerLost || highestLost) {
        long location = appendMarker(e.getKey(), pid.deletedTo, pid.highest);
        pid.onMarker(pid.deletedTo, pid.highest, JournalIndex.segmentOf(location));
        carried = true;
      }
    }
    if (carried) {
      flushBuffer();
      force();
    }
    for (Segment s : victims) {
      state.segments.remove(s.number);
      s.close();
    }
    undeleted.addAll(victims);
    int count = victims.size();
    if (deleteFiles(undeleted)) {
      log.info("Deleted {} journal segment(s) up to {} whose events were all deleted", count,
          victims.getLast().path.getFileName());
    }
  }

  private boolean deleteFiles(Deque<Segment> segments) {
    int deleted = 0;
    try {
      while (!segments.isEmpty()) {
        Segment s = segments.peekFirst();
        try {
          Files.deleteIfExists(s.path);
        } catch (IOException e) {
          log.warn("Could not delete journal segment {}; will retry on the next reclaim", s, e);
          return false;
        }
        segments.removeFirst();
        stats.segmentDeleted();
        deleted++;
      }
      return true;
    } finally {
      if (deleted > 0) {
        FileIo.fsyncDirectory(settings.dir());
      }
    }
  }

  private void fail(Throwable t) {
    if (failure == null) {
      failure = t;
      stats.writeFailed(t);
      log.error("Journal writer failed; rejecting writes until the journal restarts", t);
      onFailure.accept(t);
    }
  }

  private IOException unavailable() {
    return new IOException("journal is unavailable after an earlier write failure", failure);
  }

  private static CompletableFuture<Void> done(Request r) {
    if (r instanceof WriteRequest w) {
      return w.done();
    }
    return ((DeleteRequest) r).done();
  }

  private static void failAll(List<Request> requests, Throwable cause) {
    for (Request r : requests) {
      if (!(r instanceof StopRequest)) {
        done(r).completeExceptionally(cause);
      }
    }
  }
}
