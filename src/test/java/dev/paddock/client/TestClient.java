package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paddock.api.Code;
import dev.paddock.api.WatchEvent;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/** A typed client with probes for its watch events and connection states, and a call helper. */
final class TestClient {
  static final Duration WAIT = Duration.ofSeconds(15);

  final ActorTestKit kit;
  final ActorRef<PaddockClient.Command> ref;
  final TestProbe<WatchEvent> events;
  final TestProbe<ConnectionState> states;
  final long sessionId;

  TestClient(ActorTestKit kit, List<String> servers, Duration sessionTimeout) {
    this.kit = kit;
    this.events = kit.createTestProbe();
    this.states = kit.createTestProbe();
    this.ref = kit.spawn(PaddockClient.create(ClientSettings.of(servers, sessionTimeout),
        events.ref(), states.ref()));
    this.sessionId = states.expectMessageClass(ConnectionState.Connected.class, WAIT)
        .sessionId();
  }

  <T> Reply<T> call(Function<ActorRef<Reply<T>>, PaddockClient.Command> make) {
    TestProbe<Reply<T>> probe = kit.createTestProbe();
    ref.tell(make.apply(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  /** The value of a call that must succeed. */
  <T> T ok(Function<ActorRef<Reply<T>>, PaddockClient.Command> make) {
    Reply<T> r = call(make);
    assertEquals(Code.OK, r.code(), "reply " + r);
    return r.value();
  }

  <T> Code code(Function<ActorRef<Reply<T>>, PaddockClient.Command> make) {
    return call(make).code();
  }

  void stop() {
    kit.stop(ref);
  }
}
