package dev.paddock.client;

import dev.paddock.api.Code;

/**
 * The answer to one typed client command: {@code code} OK with a value, or a ZooKeeper error
 * code. A failed multi is the one error that still carries a value (its per-op results).
 *
 * @param zxid the zxid the server reported with the reply; for answers the client produced
 *     itself (connection loss, an ended session) the newest zxid the client has seen
 */
public record Reply<T>(Code code, T value, long zxid) {
  public Reply {
    if (code == null) {
      throw new IllegalArgumentException("code is required");
    }
  }

  public static <T> Reply<T> ok(T value, long zxid) {
    return new Reply<>(Code.OK, value, zxid);
  }

  public static <T> Reply<T> error(Code code, long zxid) {
    return new Reply<>(code, null, zxid);
  }

  /**
   * {@code Reply.class} typed for one value type, for {@code ActorContext.ask}, which wants a
   * {@code Class<Reply<T>>}: {@code ctx.ask(Reply.<Stat>type(), client, timeout, ...)}.
   */
  @SuppressWarnings("unchecked")
  public static <T> Class<Reply<T>> type() {
    return (Class<Reply<T>>) (Class<?>) Reply.class;
  }

  public boolean isOk() {
    return code == Code.OK;
  }

  /** The value, or a {@link PaddockException} carrying the code. */
  public T get() {
    if (!isOk()) {
      throw new PaddockException(code, "operation failed: " + code);
    }
    return value;
  }
}
