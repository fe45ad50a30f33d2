package dev.paddock.tree;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import scala.Function0;
import scala.collection.Iterator;
import scala.collection.immutable.HashMap;
import scala.collection.immutable.HashMap$;
import scala.collection.immutable.HashSet;
import scala.collection.immutable.HashSet$;
import scala.collection.mutable.ReusableBuilder;

/**
 * Java-friendly access to Scala's CHAMP persistent collections (on the classpath through Pekko).
 * They give the tree O(1) snapshots: a snapshot is the current root reference.
 */
public final class PersistentColls {
  private static final Function0<Object> NULL = () -> null;

  private PersistentColls() {}

  @SuppressWarnings("unchecked")
  public static <K, V> HashMap<K, V> emptyMap() {
    return (HashMap<K, V>) HashMap$.MODULE$.empty();
  }

  @SuppressWarnings("unchecked")
  public static <T> HashSet<T> emptySet() {
    return (HashSet<T>) HashSet$.MODULE$.empty();
  }

  /** The value for {@code key}, or null; avoids allocating an Option per lookup. */
  @SuppressWarnings("unchecked")
  public static <K, V> V get(HashMap<K, V> map, K key) {
    return (V) map.getOrElse(key, NULL);
  }

  /** A set of {@code items}, built in place rather than by one copying insert per item. */
  @SuppressWarnings("unchecked")
  public static <T> HashSet<T> setOf(Collection<T> items) {
    ReusableBuilder<T, HashSet<T>> builder =
        (ReusableBuilder<T, HashSet<T>>) (Object) HashSet$.MODULE$.newBuilder();
    for (T item : items) {
      builder.addOne(item);
    }
    return builder.result();
  }

  public static <T> List<T> toList(HashSet<T> set) {
    List<T> out = new ArrayList<>(set.size());
    Iterator<T> it = set.iterator();
    while (it.hasNext()) {
      out.add(it.next());
    }
    return out;
  }
}
