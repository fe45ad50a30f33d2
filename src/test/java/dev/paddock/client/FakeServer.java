package dev.paddock.client;

import dev.paddock.codec.ClientProtocolConfig;
import dev.paddock.node.PekkoConfig;
import dev.paddock.session.SessionTrackerActor;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A remote "server" whose typed-client entry is a test probe, so a test can play the server's part
 * of the protocol message by message (over real remoting and the real serializer).
 */
final class FakeServer {
  final ActorTestKit kit;
  final TestProbe<SessionTrackerActor.Command> tracker;
  final String address;

  FakeServer() {
    kit = ActorTestKit.create(ClientPekkoConfig.CLIENT_SYSTEM,
        ClientProtocolConfig.withSerialization(PekkoConfig.forClient("127.0.0.1")));
    tracker = kit.createTestProbe();
    kit.spawn(Behaviors.<SessionTrackerActor.Command>receiveMessage(m -> {
      tracker.ref().tell(m);
      return Behaviors.same();
    }), ClientPekkoConfig.ENTRY_NAME);
    int port = Adapter.toClassic(kit.system()).provider().getDefaultAddress().getPort()
        .orElseThrow();
    address = "127.0.0.1:" + port;
  }

  void stop() {
    kit.shutdownTestKit();
  }
}
