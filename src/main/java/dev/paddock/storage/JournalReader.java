package dev.paddock.storage;

import dev.paddock.storage.JournalFormat.EventsRecord;
import dev.paddock.storage.JournalFormat.LogRecord;
import dev.paddock.storage.JournalFormat.StoredEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.PersistentRepr$;

/**
 * Serves replays: looks events up in the {@link JournalIndex} in chunks and reads their frames
 * with positional reads through a read-ahead buffer, so the events of one persistenceId that lie
 * next to each other on disk cost one read per buffer rather than one per event. Every frame's
 * checksum is verified again on the way out; a mismatch fails the replay instead of returning
 * damaged data.
 */
final class JournalReader {
  private static final int CHUNK = 4096;
  private static final int READ_AHEAD = 256 * 1024;

  private final ConcurrentNavigableMap<Long, Segment> segments;
  private final JournalIndex index;
  private final PayloadSerialization serialization;
  private final Executor executor;

  JournalReader(
      ConcurrentNavigableMap<Long, Segment> segments,
      JournalIndex index,
      PayloadSerialization serialization,
      Executor executor) {
    this.segments = segments;
    this.index = index;
    this.serialization = serialization;
    this.executor = executor;
  }

  CompletableFuture<Void> replay(
      String pid, long from, long to, long max, Consumer<PersistentRepr> consumer) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            replayBlocking(pid, from, to, max, consumer);
          } catch (IOException e) {
            throw new CompletionException(e);
          }
        },
        executor);
  }

  private void replayBlocking(
      String pid, long from, long to, long max, Consumer<PersistentRepr> consumer)
      throws IOException {
    Cursor cursor = new Cursor();
    long emitted = 0;
    long next = from;
    while (emitted < max) {
      JournalIndex.Chunk chunk = index.select(pid, next, to, max - emitted, CHUNK);
      for (int i = 0; i < chunk.size(); i++) {
        StoredEvent event = cursor.event(chunk.locations()[i], chunk.seqNrs()[i]);
        if (event != null) {
          consumer.accept(toRepr(pid, event));
        }
        emitted++;
      }
      if (!chunk.mayHaveMore()) {
        break;
      }
      next = chunk.seqNrs()[chunk.size() - 1] + 1;
    }
  }

  private PersistentRepr toRepr(String pid, StoredEvent e) {
    PersistentRepr repr =
        PersistentRepr$.MODULE$
            .apply(
                serialization.deserialize(e.payload()),
                e.seqNr(),
                pid,
                e.manifest(),
                false,
                ActorRef.noSender(),
                e.writerUuid())
            .withTimestamp(e.timestamp());
    if (e.metadata() != null) {
      repr = repr.withMetadata(serialization.deserialize(e.metadata()));
    }
    return repr;
  }

  /** Per-replay read state; frames of one AtomicWrite are decoded once for all its events. */
  private final class Cursor {
    private final ByteBuffer buffer = ByteBuffer.allocate(READ_AHEAD);
    private Segment bufferSegment;
    private long bufferStart = -1;
    private long decodedLocation = -1;
    private EventsRecord decoded;

    /** Returns null when the segment was reclaimed meanwhile, i.e. the event was deleted. */
    StoredEvent event(long location, long seqNr) throws IOException {
      if (location != decodedLocation) {
        Segment segment = segments.get(JournalIndex.segmentOf(location));
        if (segment == null) {
          return null;
        }
        try {
          decoded = readFrame(segment, JournalIndex.offsetOf(location));
        } catch (ClosedChannelException e) {
          if (!segments.containsKey(segment.number)) {
            return null;
          }
          throw e;
        }
        decodedLocation = location;
      }
      for (StoredEvent e : decoded.events()) {
        if (e.seqNr() == seqNr) {
          return e;
        }
      }
      throw new StorageCorruptedException(
          "Journal index points at a record without seqNr " + seqNr + " (segment "
              + JournalIndex.segmentOf(location) + ", offset " + JournalIndex.offsetOf(location)
              + ")");
    }

    private EventsRecord readFrame(Segment segment, long offset) throws IOException {
      ByteBuffer header = read(segment, offset, JournalFormat.FRAME_HEADER_SIZE);
      int length = header.getInt();
      int crc = header.getInt();
      if (length <= 0) {
        throw corrupt(segment, offset, "invalid record length " + length);
      }
      ByteBuffer body = read(segment, offset + JournalFormat.FRAME_HEADER_SIZE, length);
      if (JournalFormat.checksum(body) != crc) {
        throw corrupt(segment, offset, "record checksum mismatch");
      }
      LogRecord record = JournalFormat.decode(body, true);
      if (!(record instanceof EventsRecord events)) {
        throw corrupt(segment, offset, "index points at a non-event record");
      }
      return events;
    }

    private ByteBuffer read(Segment segment, long pos, int length) throws IOException {
      if (segment == bufferSegment
          && pos >= bufferStart
          && pos + length <= bufferStart + buffer.limit()) {
        return buffer.slice((int) (pos - bufferStart), length);
      }
      if (length > buffer.capacity()) {
        ByteBuffer big = ByteBuffer.allocate(length);
        FileIo.readFully(segment.channel, big, pos);
        return big.flip();
      }
      buffer.clear();
      // Read as much as the file holds, but at least the requested bytes.
      long available = Math.max(length, Math.min(buffer.capacity(), segment.channel.size() - pos));
      buffer.limit((int) available);
      FileIo.readFully(segment.channel, buffer, pos);
      buffer.flip();
      bufferSegment = segment;
      bufferStart = pos;
      return buffer.slice(0, length);
    }
  }

  private static StorageCorruptedException corrupt(Segment segment, long offset, String reason) {
    return new StorageCorruptedException(
        "Journal segment " + segment.path + " is corrupt at offset " + offset + ": " + reason);
  }
}
