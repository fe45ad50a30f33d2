package dev.paddock.client;

/** What a client tells its connection listener. Expired, Closed and AuthFailed are final. */
public sealed interface ConnectionState {

  /** A session is open (new, or the same one re-attached) on {@code server}. */
  record Connected(long sessionId, String server, int timeoutMs) implements ConnectionState {}

  /**
   * The connection to {@code server} was lost; outstanding requests failed with
   * CONNECTION_LOSS and the client is re-attaching the same session elsewhere.
   */
  record Disconnected(String server, String reason) implements ConnectionState {}

  /** The server no longer knows the session; ephemerals and watches are gone. */
  record Expired(long sessionId, String detail) implements ConnectionState {}

  /** The session was closed (by this client's Close, or by the server on its behalf). */
  record Closed(long sessionId) implements ConnectionState {}

  /** The server rejected credentials and ended the connection. */
  record AuthFailed(long sessionId, String detail) implements ConnectionState {}
}
