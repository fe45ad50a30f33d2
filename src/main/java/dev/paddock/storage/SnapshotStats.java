package dev.paddock.storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * What one {@link FileSnapshotStore} plugin has saved, for metrics and the admin commands:
 * the newest save's duration, size and time, and a hook that sees every save.
 * Like {@link JournalStats}, one instance per actor system and plugin id.
 */
public final class SnapshotStats {
  /** One completed save: wall time from the first byte to the durable rename, and file size. */
  public record Saved(long nanos, long bytes, long timestampMillis, String file) {}

  /** Receives each completed save on the store's I/O thread; must be quick and not throw. */
  public interface Observer {
    void saved(Saved saved);
  }

  private volatile Saved last;
  private volatile Observer observer = s -> {};
  private final List<Unreadable> unreadable = new CopyOnWriteArrayList<>();

  /** A snapshot a load skipped (or gave up on), and why. */
  public record Unreadable(Path file, String reason) {}

  SnapshotStats() {}

  public static SnapshotStats forPlugin(ActorSystem system, String pluginId) {
    return Registry.ID.get(system).stats.computeIfAbsent(pluginId, id -> new SnapshotStats());
  }

  public static SnapshotStats forPlugin(
      org.apache.pekko.actor.typed.ActorSystem<?> system, String pluginId) {
    return forPlugin(Adapter.toClassic(system), pluginId);
  }

  /** The newest save of this run, or null before the first. */
  public Saved last() {
    return last;
  }

  public void onSaved(Observer observer) {
    this.observer = observer;
  }

  /** Snapshots loads found unreadable in this run, in the order found (newest first). */
  public List<Unreadable> unreadable() {
    return List.copyOf(unreadable);
  }

  void unreadable(Path file, String reason) {
    unreadable.add(new Unreadable(file, reason));
  }

  void saved(Saved s) {
    last = s;
    observer.saved(s);
  }

  static final class Registry implements Extension {
    static final RegistryId ID = new RegistryId();
    final Map<String, SnapshotStats> stats = new ConcurrentHashMap<>();
  }

  static final class RegistryId extends AbstractExtensionId<Registry> {
    @Override
    public Registry createExtension(ExtendedActorSystem system) {
      return new Registry();
    }
  }
}
