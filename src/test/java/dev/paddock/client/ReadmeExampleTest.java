package dev.paddock.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.api.WatchEvent;
import dev.paddock.request.Result;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keeps the actor example of docs/typed-client.md compiling and working. */
class ReadmeExampleTest {
  @TempDir Path dir;

  /** Registers a service under /services with an ephemeral sequential node. */
  static final class Registrar {
    sealed interface Msg {}

    record Register(String service, ActorRef<String> replyTo) implements Msg {}

    private record Created(Reply<Result.Created> reply, ActorRef<String> replyTo)
        implements Msg {}

    static Behavior<Msg> create(ActorRef<PaddockClient.Command> paddock) {
      return Behaviors.setup(ctx -> Behaviors.receive(Msg.class)
          .onMessage(Register.class, r -> {
            // ask: a reply ref per request (message adapters are per class, and every
            // reply is a Reply)
            ctx.ask(Reply.<Result.Created>type(), paddock, Duration.ofSeconds(30),
                replyTo -> new PaddockClient.Create("/services/" + r.service() + "-", null,
                    Acl.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL, replyTo),
                (reply, failure) -> new Created(reply, r.replyTo()));
            return Behaviors.same();
          })
          .onMessage(Created.class, c -> {
            Reply<Result.Created> reply = c.reply();
            c.replyTo().tell(reply != null && reply.isOk() ? reply.value().path()
                : "failed: " + (reply == null ? "timeout" : reply.code()));
            return Behaviors.same();
          })
          .build());
    }
  }

  @Test
  void theRegistrarRegisters() {
    TestServer server = TestServer.start(dir, 0, Map.of());
    ActorTestKit kit = TestServer.clientKit();
    try {
      TestProbe<WatchEvent> events = kit.createTestProbe();
      TestProbe<ConnectionState> states = kit.createTestProbe();
      ActorRef<PaddockClient.Command> paddock = kit.spawn(PaddockClient.create(
          ClientSettings.of(List.of(server.address()), Duration.ofSeconds(10)),
          events.ref(), states.ref()), "paddock");
      ActorRef<Registrar.Msg> registrar = kit.spawn(Registrar.create(paddock), "registrar");
      TestProbe<String> names = kit.createTestProbe();
      registrar.tell(new Registrar.Register("api", names.ref()));
      // /services does not exist yet: the error comes back as a code
      assertEquals("failed: NO_NODE", names.receiveMessage(Duration.ofSeconds(15)));
      TestProbe<Reply<Result.Created>> made = kit.createTestProbe();
      paddock.tell(new PaddockClient.Create("/services", null, Acl.OPEN_ACL_UNSAFE,
          CreateMode.PERSISTENT, made.ref()));
      assertEquals("/services", made.receiveMessage(Duration.ofSeconds(15)).get().path());
      registrar.tell(new Registrar.Register("api", names.ref()));
      assertEquals("/services/api-0000000000", names.receiveMessage(Duration.ofSeconds(15)));
    } finally {
      kit.shutdownTestKit();
      server.stop();
    }
  }
}
