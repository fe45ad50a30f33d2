package dev.paddock.zab;

/**
 * How a SNAP travels: chunks of {@code chunkBytes}, at most {@code window} of them sent and
 * not yet acknowledged by the learner.
 */
public record SnapPacing(int chunkBytes, int window) {
  public SnapPacing {
    if (chunkBytes < 1 || window < 1) {
      throw new IllegalArgumentException("chunk size and window must be positive");
    }
  }
}
