package dev.paddock.session;

import dev.paddock.api.Code;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import dev.paddock.tree.ApplyResult;
import java.util.ArrayList;
import java.util.List;

/** Turns the tree's result of applying a write into the reply the request expects. */
final class WriteResults {
  private WriteResults() {}

  static Result of(Op op, ApplyResult r) {
    if (op instanceof Op.Multi m) {
      List<Result> results = new ArrayList<>(r.multi().size());
      for (int i = 0; i < r.multi().size(); i++) {
        ApplyResult sub = r.multi().get(i);
        Op subOp = i < m.ops().size() ? m.ops().get(i) : null;
        results.add(r.code() == Code.OK ? of(subOp, sub) : new Result.Failed(sub.code()));
      }
      return new Result.Multi(r.code(), results);
    }
    if (r.code() != Code.OK) {
      return Result.fail(r.code());
    }
    if (op instanceof Op.Create) {
      return new Result.Created(r.path(), r.stat());
    } else if (op instanceof Op.SetData || op instanceof Op.SetAcl) {
      return new Result.StatOf(r.stat());
    }
    return Result.DONE;
  }
}
