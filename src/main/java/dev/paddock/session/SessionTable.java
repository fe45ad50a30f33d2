package dev.paddock.session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Live sessions and when each expires, in buckets of one tick (ZooKeeper's ExpiryQueue): a touch
 * moves a session to the bucket of now + timeout rounded up to the next tick, and each tick
 * expires whole buckets. Pure: time is passed in.
 */
public final class SessionTable {
  private final long tickMs;
  private final Map<Long, Integer> timeouts = new HashMap<>();
  private final Map<Long, Long> bucketOf = new HashMap<>();
  private final TreeMap<Long, Set<Long>> buckets = new TreeMap<>();

  public SessionTable(long tickMs) {
    this.tickMs = tickMs;
  }

  /** Starts tracking (or re-arms) a session with a full timeout from {@code nowMs}. */
  public void track(long sessionId, int timeoutMs, long nowMs) {
    timeouts.put(sessionId, timeoutMs);
    touch(sessionId, nowMs);
  }

  /** Returns false when the session is not tracked (closed or expired). */
  public boolean touch(long sessionId, long nowMs) {
    Integer timeout = timeouts.get(sessionId);
    if (timeout == null) {
      return false;
    }
    long bucket = roundUp(nowMs + timeout);
    Long old = bucketOf.put(sessionId, bucket);
    if (old != null && old != bucket) {
      Set<Long> s = buckets.get(old);
      if (s != null) {
        s.remove(sessionId);
        if (s.isEmpty()) {
          buckets.remove(old);
        }
      }
    }
    buckets.computeIfAbsent(bucket, k -> new HashSet<>()).add(sessionId);
    return true;
  }

  public void remove(long sessionId) {
    timeouts.remove(sessionId);
    Long bucket = bucketOf.remove(sessionId);
    if (bucket != null) {
      Set<Long> s = buckets.get(bucket);
      if (s != null) {
        s.remove(sessionId);
        if (s.isEmpty()) {
          buckets.remove(bucket);
        }
      }
    }
  }

  /**
   * Sessions whose deadline is at or before {@code nowMs}. They are dropped at once, so a late
   * touch cannot bring them back while their closeSession txn is in flight.
   */
  public List<Long> expired(long nowMs) {
    List<Long> out = new ArrayList<>();
    while (!buckets.isEmpty() && buckets.firstKey() <= nowMs) {
      Map.Entry<Long, Set<Long>> e = buckets.pollFirstEntry();
      for (Long id : e.getValue()) {
        bucketOf.remove(id);
        out.add(id);
      }
    }
    for (Long id : out) {
      timeouts.remove(id);
    }
    return out;
  }

  /**
   * This server was not running for {@code ms} (a GC pause, a stopped VM): every deadline moves
   * that much later, rounded up to whole ticks. Clients whose pings waited in this server's
   * sockets meanwhile are not expired for its pause.
   */
  public void postpone(long ms) {
    long shift = roundUp(ms);
    TreeMap<Long, Set<Long>> moved = new TreeMap<>();
    buckets.forEach((deadline, ids) -> moved.put(deadline + shift, ids));
    buckets.clear();
    buckets.putAll(moved);
    bucketOf.replaceAll((id, deadline) -> deadline + shift);
  }

  public boolean contains(long sessionId) {
    return timeouts.containsKey(sessionId);
  }

  public int size() {
    return timeouts.size();
  }

  public Integer timeoutOf(long sessionId) {
    return timeouts.get(sessionId);
  }

  private long roundUp(long t) {
    return (t / tickMs + 1) * tickMs;
  }
}
