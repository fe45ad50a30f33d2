package dev.paddock.election;

/** What a server is doing, as it tells its peers in election notifications. */
public enum ServerState {
  LOOKING,
  FOLLOWING,
  LEADING,
  OBSERVING
}
