package dev.paddock.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** paddock.max-client-cnxns caps connections per client address like maxClientCnxns. */
class ConnectionLimitTest {
  @TempDir Path dir;

  @Test
  void connectionsBeyondTheCapAreClosedAtOnce() throws Exception {
    try (PaddockServer server = PaddockServer.start(dir, Map.of("paddock.max-client-cnxns", 3))) {
      List<RawClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < 3; i++) {
          open.add(RawClient.connected(server.port));
        }
        try (RawClient extra = new RawClient(server.port)) {
          assertEquals(-1, extra.in.read());
        }
        assertEquals(0, open.get(0).call(-2, 11, null).header().getErr());
        open.remove(0).close();
        assertTrue(connectsWithin(server.port, 10_000), "a slot frees up when one closes");
      } finally {
        for (RawClient c : open) {
          c.close();
        }
      }
    }
  }

  /** The server counts a connection as gone once its actor stops, just after the socket. */
  private static boolean connectsWithin(int port, long ms) throws IOException {
    long deadline = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < deadline) {
      try (RawClient c = RawClient.connected(port)) {
        return true;
      } catch (java.io.EOFException | java.net.SocketException e) {
        // refused: the old connection is still being counted
      }
    }
    return false;
  }
}
