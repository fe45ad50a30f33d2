package dev.paddock.tree;

import dev.paddock.api.Code;
import dev.paddock.api.Stat;
import java.util.List;

/**
 * What applying one txn produced, for the reply: the outcome, the node path (the full name for
 * sequential creates), the node's Stat after the change where the op returns one, and per-op
 * results of a multi.
 */
public record ApplyResult(Code code, String path, Stat stat, List<ApplyResult> multi) {
  public static ApplyResult of(Code code) {
    return new ApplyResult(code, null, null, List.of());
  }

  public static ApplyResult ok(String path, Stat stat) {
    return new ApplyResult(Code.OK, path, stat, List.of());
  }

  public boolean isOk() {
    return code == Code.OK;
  }
}
