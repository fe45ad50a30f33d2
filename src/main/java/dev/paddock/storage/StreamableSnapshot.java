package dev.paddock.storage;

import java.io.DataInput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A snapshot that {@link FileSnapshotStore} streams straight to and from its file, instead of
 * first serializing it into one byte array. Use it for large state, such as a tree of a million
 * znodes (~150 MB), where the array and its copies would dominate the heap.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #snapshotTypeKey()} names the format, e.g. {@code "paddock.tree.v1"}; it is stored
 *       in the file and selects the {@link Reader} at load time. Change the key when the format
 *       changes incompatibly and keep a reader registered for every key still on disk.
 *   <li>{@link #writeTo} writes the whole state to {@code out}; it may write any number of bytes
 *       and must not close the stream. It runs on the snapshot store's I/O thread while the
 *       persistent actor goes on processing, so the object must be immutable, or safe to read
 *       concurrently with the actor's later changes (for example a copy-on-write structure).
 *   <li>The reader registered for the key must consume exactly the bytes {@code writeTo}
 *       produced and return the restored state. The store checks the file's checksum before it
 *       calls the reader, so the reader never sees torn or corrupted bytes.
 * </ul>
 *
 * <p>Register readers once at startup, before recovery can load a snapshot:
 *
 * <pre>{@code
 * StreamableSnapshot.register("paddock.tree.v1", DataTreeSnapshot::readFrom);
 * }</pre>
 *
 * The registry is JVM-wide because readers are pure functions of the bytes. A snapshot whose key
 * has no reader counts as unreadable, so loading falls back to an older snapshot (and logs it).
 */
public interface StreamableSnapshot {

  /** Key stored with the snapshot that selects the {@link Reader} to restore it. */
  String snapshotTypeKey();

  /** Writes the state; the stream is buffered, checksummed and closed by the store. */
  void writeTo(DataOutputStream out) throws IOException;

  /** Restores a snapshot from the bytes its {@link StreamableSnapshot#writeTo} produced. */
  @FunctionalInterface
  interface Reader {
    Object readFrom(DataInput in) throws IOException;
  }

  /** Registers (or replaces) the reader for {@code typeKey}. */
  static void register(String typeKey, Reader reader) {
    Readers.BY_KEY.put(typeKey, reader);
  }

  /** Removes the reader for {@code typeKey}, if any. */
  static void unregister(String typeKey) {
    Readers.BY_KEY.remove(typeKey);
  }

  static Optional<Reader> readerFor(String typeKey) {
    return Optional.ofNullable(Readers.BY_KEY.get(typeKey));
  }

  /** Holder of the registry; interfaces cannot have private static fields. */
  final class Readers {
    private static final Map<String, Reader> BY_KEY = new ConcurrentHashMap<>();

    private Readers() {}
  }
}
