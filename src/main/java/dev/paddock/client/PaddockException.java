package dev.paddock.client;

import dev.paddock.api.Code;
import dev.paddock.request.Result;
import java.util.List;

/**
 * A ZooKeeper error surfaced by the facade. Unchecked because it mostly travels inside a failed
 * CompletionStage, where checked exceptions only add wrapping.
 */
public final class PaddockException extends RuntimeException {
  private final Code code;
  private final List<Result> results;

  public PaddockException(Code code, String message) {
    this(code, message, List.of());
  }

  public PaddockException(Code code, String message, List<Result> results) {
    super(message);
    this.code = code;
    this.results = results == null ? List.of() : List.copyOf(results);
  }

  public Code code() {
    return code;
  }

  /** For a failed multi: every op's result (the first error, OK before it, and the rest). */
  public List<Result> results() {
    return results;
  }
}
