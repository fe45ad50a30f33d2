package dev.paddock.session;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;

/**
 * How much client traffic one server holds at most (paddock.max-outstanding-requests and the
 * keys beside it in reference.conf).
 *
 * @param maxRequests requests in flight across all client connections and typed sessions
 * @param maxRequestBytes bytes of those requests as they arrived
 * @param outputThrottleBytes replies queued for one connection past which the server stops
 *     reading that client's requests
 * @param outputLimitBytes replies queued for one connection past which it is dropped
 */
public record ClientLimits(int maxRequests, long maxRequestBytes, long outputThrottleBytes,
    long outputLimitBytes) {

  public static final ClientLimits DEFAULT =
      new ClientLimits(1000, 64L << 20, 2L << 20, 32L << 20);

  /** A setting out of range, named by its key. */
  public static final class Invalid extends RuntimeException {
    private final String key;

    Invalid(String key, String problem) {
      super(problem);
      this.key = key;
    }

    public String key() {
      return key;
    }
  }

  /** Reads and checks the limits; throws {@link Invalid} naming the first bad key. */
  public static ClientLimits from(Config root) {
    int requests = (int) number(root, "max-outstanding-requests", false, 1, 1_000_000,
        DEFAULT.maxRequests());
    long requestBytes = number(root, "max-outstanding-request-bytes", true, 1 << 16,
        Long.MAX_VALUE, DEFAULT.maxRequestBytes());
    long throttle = number(root, "client-output-throttle", true, 1 << 16, Long.MAX_VALUE,
        DEFAULT.outputThrottleBytes());
    long limit = number(root, "client-output-limit", true, 1 << 16, Long.MAX_VALUE,
        DEFAULT.outputLimitBytes());
    if (limit <= throttle) {
      throw new Invalid("paddock.client-output-limit", limit + " bytes is not above "
          + "client-output-throttle (" + throttle + " bytes)");
    }
    return new ClientLimits(requests, requestBytes, throttle, limit);
  }

  private static long number(Config root, String name, boolean bytes, long min, long max,
      long fallback) {
    String key = "paddock." + name;
    if (!root.hasPath(key)) {
      return fallback;
    }
    long v;
    try {
      v = bytes ? root.getBytes(key) : root.getLong(key);
    } catch (ConfigException e) {
      throw new Invalid(key, (bytes ? "expected a size such as 32 MiB: " : "expected an "
          + "integer: ") + e.getMessage());
    }
    if (v < min || v > max) {
      throw new Invalid(key, "must be in [" + min + ", " + max + "], was " + v);
    }
    return v;
  }
}
