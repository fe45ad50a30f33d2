package dev.paddock.zab;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Named places in the sync and commit paths where a test can make a server crash: when an armed
 * point is reached, the server stops at once (the hook ends its actor system), so scenarios
 * such as "crash after the snapshot is durable but before the epoch is recorded" run at exactly
 * that step. Production servers use {@link #NONE}.
 */
public final class CrashPoints {
  public static final CrashPoints NONE = new CrashPoints(name -> { });

  /** Part of a SNAP arrived, not all of it. */
  public static final String LEARNER_SNAP_PARTIAL = "learner.snap-partial";
  public static final String LEARNER_SNAP_RECEIVED = "learner.snap-received";
  public static final String LEARNER_SNAP_DURABLE = "learner.snap-durable";
  public static final String LEARNER_BEFORE_NEWLEADER_ACK = "learner.before-newleader-ack";
  public static final String LEARNER_AFTER_NEWLEADER_ACK = "learner.after-newleader-ack";
  public static final String LEARNER_BEFORE_UPTODATE = "learner.before-uptodate";
  public static final String LEARNER_IN_TRUNC = "learner.in-trunc";
  public static final String LEADER_BEFORE_COMMIT = "leader.before-commit";

  private final Set<String> armed = ConcurrentHashMap.newKeySet();
  private final Consumer<String> crash;
  private volatile boolean crashed;

  public CrashPoints(Consumer<String> crash) {
    this.crash = crash;
  }

  public void arm(String point) {
    armed.add(point);
  }

  /** Returns true when the server must stop now; the caller then does nothing more. */
  public boolean reached(String point) {
    if (armed.remove(point)) {
      crashed = true;
      crash.accept(point);
      return true;
    }
    return false;
  }

  /**
   * True once a point fired. Ending an actor system takes a while (coordinated shutdown), and
   * in that time the server must not look for a leader and sync again, or the crash would not
   * leave the disk as it was at the point.
   */
  public boolean crashed() {
    return crashed;
  }
}
