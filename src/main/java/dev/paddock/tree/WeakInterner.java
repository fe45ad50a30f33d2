package dev.paddock.tree;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Canonical instances of equal immutable values, held only as long as something else holds
 * them. Trees are persistent: a node the current tree dropped may live on in an older version
 * (a snapshot being written, a reader's view, a SNAP being sent), so no count kept by one tree
 * can tell when a value is no longer used; the garbage collector can. What callers see does not
 * depend on when it collects: an equal value always comes back, and while any is in use, the
 * same instance.
 */
final class WeakInterner<T> {
  private final ConcurrentHashMap<Ref<T>, Ref<T>> canonical = new ConcurrentHashMap<>();
  private final ReferenceQueue<T> cleared = new ReferenceQueue<>();

  /** The instance equal to {@code value} that is in use, or {@code value} itself. */
  T intern(T value) {
    purge();
    Ref<T> probe = new Ref<>(value, null);
    while (true) {
      Ref<T> existing = canonical.get(probe);
      if (existing != null) {
        T found = existing.get();
        if (found != null) {
          return found;
        }
        canonical.remove(existing);
        continue;
      }
      Ref<T> ref = new Ref<>(value, cleared);
      if (canonical.putIfAbsent(ref, ref) == null) {
        return value;
      }
    }
  }

  /** Values interned and not yet found unused. */
  int size() {
    purge();
    return canonical.size();
  }

  private void purge() {
    for (Reference<? extends T> r = cleared.poll(); r != null; r = cleared.poll()) {
      canonical.remove(r);
    }
  }

  /** Equal when both values are alive and equal; a cleared one equals only itself. */
  private static final class Ref<T> extends WeakReference<T> {
    private final int hash;

    Ref(T value, ReferenceQueue<T> queue) {
      super(value, queue);
      this.hash = value.hashCode();
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      if (!(o instanceof Ref<?> other) || other.hash != hash) {
        return false;
      }
      T mine = get();
      return mine != null && mine.equals(other.get());
    }
  }
}
