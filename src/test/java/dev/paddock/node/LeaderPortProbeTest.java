package dev.paddock.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.zab.FollowerActor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The probe against a real listening socket: a port that goes away (as when a process is killed)
 * is reported, a port whose connection ends but that still accepts connects is not.
 */
class LeaderPortProbeTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Duration WAIT = Duration.ofSeconds(20);

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  private static ServerSocket listen() throws IOException {
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    server.setSoTimeout((int) WAIT.toMillis());
    return server;
  }

  private static InetSocketAddress addressOf(ServerSocket server) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  @Test
  void aPortThatGoesAwayIsReportedAsTheLeaderGone() throws Exception {
    TestProbe<FollowerActor.Command> follower = KIT.createTestProbe();
    TestProbe<LeaderPortProbe.Gone> witness = KIT.createTestProbe();
    ServerSocket server = listen();
    KIT.spawn(LeaderPortProbe.create(7, addressOf(server), follower.getRef(), witness.getRef()));
    Socket accepted = server.accept();
    // A killed process: its listening socket and its connections close together.
    server.close();
    accepted.close();
    assertEquals(new FollowerActor.LeaderGone(7),
        follower.expectMessageClass(FollowerActor.LeaderGone.class, WAIT));
    assertEquals(new LeaderPortProbe.Gone(7), witness.receiveMessage(WAIT));
  }

  @Test
  void aConnectionThatEndsWhileThePortStillAcceptsIsNotReported() throws Exception {
    TestProbe<FollowerActor.Command> follower = KIT.createTestProbe();
    TestProbe<LeaderPortProbe.Gone> witness = KIT.createTestProbe();
    try (ServerSocket server = listen()) {
      var probe = KIT.spawn(LeaderPortProbe.create(7, addressOf(server), follower.getRef(),
          witness.getRef()));
      server.accept().close();
      try (Socket again = server.accept()) {
        assertTrue(again.isConnected(), "the probe did not reconnect");
        follower.expectNoMessage(Duration.ofMillis(300));
        witness.expectNoMessage(Duration.ZERO);
      } finally {
        KIT.stop(probe, WAIT);
      }
    }
  }

  @Test
  void theProbeEndsWithItsFollowerAndClosesItsConnection() throws Exception {
    TestProbe<FollowerActor.Command> follower = KIT.createTestProbe();
    try (ServerSocket server = listen(); Socket accepted = acceptFrom(server, follower)) {
      follower.stop();
      accepted.setSoTimeout((int) WAIT.toMillis());
      try {
        assertEquals(-1, accepted.getInputStream().read(), "the probe sent bytes");
      } catch (SocketTimeoutException e) {
        throw new AssertionError("the probe kept its connection after the follower ended", e);
      }
    }
  }

  private static Socket acceptFrom(ServerSocket server, TestProbe<FollowerActor.Command> follower)
      throws IOException {
    KIT.spawn(LeaderPortProbe.create(7, addressOf(server), follower.getRef(),
        KIT.<LeaderPortProbe.Gone>createTestProbe().getRef()));
    return server.accept();
  }

  @Test
  void onlyARefusedConnectIsEvidence() {
    assertTrue(LeaderPortProbe.refused(new ConnectException("Connection refused")));
    assertTrue(LeaderPortProbe.refused(new IOException("connect failed",
        new ConnectException("Connection refused"))));
    assertFalse(LeaderPortProbe.refused(new ConnectException("Connection timed out")));
    assertFalse(LeaderPortProbe.refused(new java.net.NoRouteToHostException("No route to host")));
    assertFalse(LeaderPortProbe.refused(new IOException("Connection reset by peer")));
  }
}
