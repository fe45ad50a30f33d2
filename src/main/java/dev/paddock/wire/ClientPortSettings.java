package dev.paddock.wire;

import java.nio.file.Path;
import java.util.List;

/**
 * What the client port reads from the node's configuration. Its own record because the node's
 * settings live in the assembly layer above this one.
 *
 * @param fourLetterWords the words this server answers, as configured
 * @param journalPluginId the journal whose counters mntr reports
 */
public record ClientPortSettings(
    String address,
    int port,
    int maxClientCnxns,
    int maxBuffer,
    List<String> fourLetterWords,
    String journalPluginId,
    Conf conf) {

  /** The server facts that conf prints. */
  public record Conf(int myId, Path dataDir, Path dataLogDir, int tickMs,
      int minSessionTimeoutMs, int maxSessionTimeoutMs) {}
}
