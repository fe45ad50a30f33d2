package dev.paddock.request;

import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.Id;
import dev.paddock.api.Stat;
import java.util.List;

/** The outcome of one op: a value, or a ZooKeeper error code. */
public sealed interface Result {
  default Code code() {
    return Code.OK;
  }

  default boolean isOk() {
    return code() == Code.OK;
  }

  record Failed(Code code) implements Result {}

  /** Delete, check, sync, addWatch, removeWatches, setWatches, session open/close. */
  record Done() implements Result {}

  record Created(String path, Stat stat) implements Result {}

  /** setData, setACL and exists. */
  record StatOf(Stat stat) implements Result {}

  record Data(byte[] data, Stat stat) implements Result {}

  record Children(List<String> children, Stat stat) implements Result {}

  record AclOf(List<Acl> acl, Stat stat) implements Result {}

  record Count(int count) implements Result {}

  record PathList(List<String> paths) implements Result {}

  record Identities(List<Id> ids) implements Result {}

  /** Per-op results of a multi or multiRead; for a failed multi, {@link #code} is the first error. */
  record Multi(Code code, List<Result> results) implements Result {}

  Done DONE = new Done();

  static Result fail(Code code) {
    return new Failed(code);
  }
}
