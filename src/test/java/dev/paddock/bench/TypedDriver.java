package dev.paddock.bench;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.api.WatchEvent;
import dev.paddock.client.ClientSettings;
import dev.paddock.client.ConnectionState;
import dev.paddock.client.PaddockClient;
import dev.paddock.client.Reply;
import dev.paddock.node.PekkoConfig;
import dev.paddock.request.Result;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * One {@link PaddockClient} session over Pekko remoting to servers' typed-client ports, asked with
 * {@code AskPattern} like {@code PaddockFacade} does, but completing on the replying thread (see
 * {@link #ask}); {@link FacadeDriver} goes through the facade itself. Each driver owns a client
 * actor system, as each {@code PaddockFacade} does, so four clients are four remoting
 * connections like four ZooKeeper handles.
 */
final class TypedDriver implements Driver {
  private static final AtomicInteger COUNTER = new AtomicInteger();
  static final Duration SESSION_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ASK_TIMEOUT = SESSION_TIMEOUT.multipliedBy(2).plusSeconds(5);

  private final ActorSystem<Void> system;
  private final ActorRef<PaddockClient.Command> client;

  private TypedDriver(ActorSystem<Void> system, ActorRef<PaddockClient.Command> client) {
    this.system = system;
    this.client = client;
  }

  static final Factory FACTORY = new Factory(TypedDriver::connect, true,
      "typed client (PaddockClient actor + AskPattern, over Pekko remoting to the typed-client port)");

  static TypedDriver connect(List<String> servers) throws Exception {
    Config config = PekkoConfig.forClient("127.0.0.1");
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(),
        "bench-typed-" + COUNTER.incrementAndGet(), config);
    CompletableFuture<Long> opened = new CompletableFuture<>();
    ActorRef<ConnectionState> states = system.systemActorOf(callback(s -> {
      if (s instanceof ConnectionState.Connected c) {
        opened.complete(c.sessionId());
      } else if (s instanceof ConnectionState.Expired || s instanceof ConnectionState.Closed
          || s instanceof ConnectionState.AuthFailed) {
        opened.completeExceptionally(new IllegalStateException("session ended: " + s));
      }
    }), "states", Props.empty());
    ActorRef<WatchEvent> watcher = system.systemActorOf(callback(e -> { }), "watcher",
        Props.empty());
    ActorRef<PaddockClient.Command> client = system.systemActorOf(PaddockClient.create(
        ClientSettings.of(servers, SESSION_TIMEOUT), watcher, states), "paddock", Props.empty());
    try {
      opened.get(SESSION_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      system.terminate();
      throw new IllegalStateException("typed client: no session with " + servers, e);
    }
    return new TypedDriver(system, client);
  }

  private static <T> Behavior<T> callback(Consumer<T> f) {
    return Behaviors.receiveMessage(m -> {
      f.accept(m);
      return Behaviors.same();
    });
  }

  @Override
  public void create(String path, byte[] data, Done done) {
    this.<Result.Created>ask(r -> new PaddockClient.Create(path, data, Acl.OPEN_ACL_UNSAFE,
        CreateMode.PERSISTENT, r), done);
  }

  @Override
  public void setData(String path, byte[] data, Done done) {
    this.<dev.paddock.api.Stat>ask(r -> new PaddockClient.SetData(path, data, -1, r), done);
  }

  @Override
  public void getData(String path, Done done) {
    this.<Result.Data>ask(r -> new PaddockClient.GetData(path, false, r), done);
  }

  private <T> void ask(Function<ActorRef<Reply<T>>, PaddockClient.Command> make, Done done) {
    CompletionStage<Reply<T>> stage = AskPattern.ask(client, make::apply, ASK_TIMEOUT,
        system.scheduler());
    // Not whenComplete: the stage is Scala's FutureConverters CF, whose whenComplete is
    // whenCompleteAsync on the common pool, and with a common-pool parallelism of 1 (2 cores)
    // CompletableFuture runs each such task on a new thread. See FacadeDriver.
    stage.whenCompleteAsync((reply, err) -> {
      if (err != null) {
        done.done("ask failed: " + err.getClass().getSimpleName());
      } else {
        done.done(reply.isOk() ? null : reply.code().name());
      }
    }, Runnable::run);
  }

  @Override
  public void close() {
    try {
      AskPattern.<PaddockClient.Command, Reply<org.apache.pekko.Done>>ask(client,
          PaddockClient.Close::new, Duration.ofSeconds(10), system.scheduler())
          .toCompletableFuture().get(12, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the session expires on its own
    }
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (Exception e) {
      // leave it
    }
  }
}
