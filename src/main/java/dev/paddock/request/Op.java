package dev.paddock.request;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import java.util.List;

/**
 * Every client operation, as both front doors (typed actors and the ZooKeeper wire protocol)
 * hand it to a session. Writes go through the leader and the log; reads run on the local tree.
 */
public sealed interface Op {
  /** The path the op addresses, or null. */
  String path();

  /** Ops that change state: decided by the leader and logged. */
  sealed interface Write extends Op {}

  /** Ops served by the local tree without the log. */
  sealed interface Read extends Op {}

  /** {@code ttl} is -1 unless the mode is a TTL mode. */
  record Create(String path, byte[] data, List<Acl> acl, CreateMode mode, long ttl)
      implements Write {
    public Create {
      acl = acl == null ? null : List.copyOf(acl);
    }

    public Create(String path, byte[] data, List<Acl> acl, CreateMode mode) {
      this(path, data, acl, mode, -1);
    }
  }

  record Delete(String path, int version) implements Write {}

  record SetData(String path, byte[] data, int version) implements Write {}

  record SetAcl(String path, List<Acl> acl, int version) implements Write {
    public SetAcl {
      acl = acl == null ? null : List.copyOf(acl);
    }
  }

  /** A version check; only meaningful inside a multi, but ZooKeeper also accepts it alone. */
  record Check(String path, int version) implements Write {}

  /** All-or-nothing group of creates, deletes, setData and checks. */
  record Multi(List<Write> ops) implements Write {
    public Multi {
      ops = List.copyOf(ops);
    }

    @Override
    public String path() {
      return null;
    }
  }

  /** Removes an empty container or expired TTL node; issued by the server itself. */
  record DeleteContainer(String path) implements Write {}

  /** Opens the session on the replicated tree. */
  record CreateSession(int timeoutMs) implements Write {
    @Override
    public String path() {
      return null;
    }
  }

  record CloseSession() implements Write {
    @Override
    public String path() {
      return null;
    }
  }

  /** Waits until this server has seen every write the leader committed before the sync. */
  record Sync(String path) implements Op {}

  record GetData(String path, boolean watch) implements Read {}

  record Exists(String path, boolean watch) implements Read {}

  record GetChildren(String path, boolean watch) implements Read {}

  record GetAcl(String path) implements Read {}

  record GetAllChildrenNumber(String path) implements Read {}

  /** Ephemerals of the calling session whose path starts with {@code path} ("/" for all). */
  record GetEphemerals(String path) implements Read {}

  /** A group of getData / getChildren reads; each fails or succeeds on its own. */
  record MultiRead(List<Read> ops) implements Read {
    public MultiRead {
      ops = List.copyOf(ops);
    }

    @Override
    public String path() {
      return null;
    }
  }

  record AddWatch(String path, WatchMode mode) implements Read {}

  record RemoveWatches(String path, WatcherType type) implements Read {}

  record CheckWatches(String path, WatcherType type) implements Read {}

  /** Re-registers a reconnecting client's watches; fires those whose change it missed. */
  record SetWatches(
      long relativeZxid,
      List<String> data,
      List<String> exist,
      List<String> child,
      List<String> persistent,
      List<String> persistentRecursive) implements Read {
    @Override
    public String path() {
      return null;
    }
  }

  record WhoAmI() implements Read {
    @Override
    public String path() {
      return null;
    }
  }
}
