package dev.paddock.client;

import com.typesafe.config.Config;
import dev.paddock.api.Acl;
import dev.paddock.api.Code;
import dev.paddock.api.CreateMode;
import dev.paddock.api.Stat;
import dev.paddock.api.WatchEvent;
import dev.paddock.api.WatchMode;
import dev.paddock.api.WatcherType;
import dev.paddock.request.Op;
import dev.paddock.request.Result;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A CompletionStage view of one {@link PaddockClient} for code that does not use actors. Owns its
 * own client actor system. ZooKeeper errors complete the stage exceptionally with a
 * {@link PaddockException}; {@link #exists} answers null for a missing node, as ZooKeeper does.
 */
public final class PaddockFacade {
  public static final String SYSTEM_NAME = "paddock-client";

  private final ActorSystem<PaddockClient.Command> system;
  private final Duration askTimeout;
  private final AtomicLong sessionId;

  private PaddockFacade(ActorSystem<PaddockClient.Command> system, Duration sessionTimeout,
      AtomicLong sessionId) {
    this.system = system;
    // A reply always comes within about one session timeout (queued requests give up after one,
    // sent ones fail once the connection is declared lost); the ask only guards against bugs.
    this.askTimeout = sessionTimeout.multipliedBy(2).plusSeconds(5);
    this.sessionId = sessionId;
  }

  /** Completes once a session is open, or fails if none opened within the session timeout. */
  public static CompletionStage<PaddockFacade> connect(List<String> servers,
      Duration sessionTimeout, Consumer<WatchEvent> watcher) {
    ClientSettings settings = ClientSettings.of(servers, sessionTimeout);
    return connect(settings, ClientPekkoConfig.forClient(localAddressFor(settings.servers().get(0))),
        watcher, state -> { });
  }

  /**
   * @param systemConfig configuration of the client's actor system (remote provider; e.g.
   *     {@link PekkoConfig#forClient} plus any overrides)
   * @param states every connection state change, after the facade has seen it
   */
  public static CompletionStage<PaddockFacade> connect(ClientSettings settings,
      Config systemConfig, Consumer<WatchEvent> watcher, Consumer<ConnectionState> states) {
    CompletableFuture<Long> opened = new CompletableFuture<>();
    AtomicLong id = new AtomicLong();
    Consumer<ConnectionState> track = state -> {
      if (state instanceof ConnectionState.Connected c) {
        id.set(c.sessionId());
        opened.complete(c.sessionId());
      } else if (state instanceof ConnectionState.Expired
          || state instanceof ConnectionState.Closed
          || state instanceof ConnectionState.AuthFailed) {
        opened.completeExceptionally(new PaddockException(Code.SESSION_EXPIRED,
            "session ended before it opened: " + state));
      }
      states.accept(state);
    };
    Behavior<PaddockClient.Command> guardian = Behaviors.setup(ctx -> PaddockClient.create(
        settings,
        ctx.spawn(CallbackActor.create(watcher), "watcher"),
        ctx.spawn(CallbackActor.create(track), "connection-state")));
    ActorSystem<PaddockClient.Command> system =
        ActorSystem.create(guardian, SYSTEM_NAME, systemConfig);
    PaddockFacade facade = new PaddockFacade(system, settings.sessionTimeout(), id);
    CompletableFuture<PaddockFacade> result = new CompletableFuture<>();
    opened.orTimeout(settings.sessionTimeout().toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((sid, err) -> {
          if (err == null) {
            result.complete(facade);
            return;
          }
          Throwable cause = unwrap(err);
          system.terminate();
          result.completeExceptionally(cause instanceof TimeoutException
              ? new PaddockException(Code.CONNECTION_LOSS, "no server of " + settings.servers()
                  + " opened a session within " + settings.sessionTimeout())
              : cause);
        });
    return result;
  }

  /** The client actor, for callers that want typed commands after all. */
  public ActorRef<PaddockClient.Command> client() {
    return system;
  }

  public long sessionId() {
    return sessionId.get();
  }

  /** Returns the created path (with its sequence number for sequential modes). */
  public CompletionStage<String> create(String path, byte[] data, List<Acl> acl,
      CreateMode mode) {
    return this.<Result.Created>call(r -> new PaddockClient.Create(path, data, acl, mode, r))
        .thenApply(Result.Created::path);
  }

  public CompletionStage<Result.Created> create(String path, byte[] data, List<Acl> acl,
      CreateMode mode, long ttl) {
    return call(r -> new PaddockClient.Create(path, data, acl, mode, ttl, r));
  }

  public CompletionStage<Void> delete(String path, int version) {
    return toVoid(this.<Done>call(r -> new PaddockClient.Delete(path, version, r)));
  }

  /** The node's stat, or null when it does not exist (a watch is armed either way). */
  public CompletionStage<Stat> exists(String path, boolean watch) {
    return ask(r -> new PaddockClient.Exists(path, watch, r), reply ->
        reply.isOk() || reply.code() == Code.NO_NODE ? null : failure(reply));
  }

  public CompletionStage<Result.Data> getData(String path, boolean watch) {
    return call(r -> new PaddockClient.GetData(path, watch, r));
  }

  public CompletionStage<Stat> setData(String path, byte[] data, int version) {
    return call(r -> new PaddockClient.SetData(path, data, version, r));
  }

  public CompletionStage<List<String>> getChildren(String path, boolean watch) {
    return this.<Result.Children>call(r -> new PaddockClient.GetChildren(path, watch, r))
        .thenApply(Result.Children::children);
  }

  public CompletionStage<Result.AclOf> getAcl(String path) {
    return call(r -> new PaddockClient.GetAcl(path, r));
  }

  public CompletionStage<Stat> setAcl(String path, List<Acl> acl, int version) {
    return call(r -> new PaddockClient.SetAcl(path, acl, version, r));
  }

  public CompletionStage<Void> sync(String path) {
    return toVoid(this.<Done>call(r -> new PaddockClient.Sync(path, r)));
  }

  /** A failed multi completes with a PaddockException whose results() lists every op. */
  public CompletionStage<List<Result>> multi(List<Op.Write> ops) {
    return ask(r -> new PaddockClient.Multi(ops, r), reply -> reply.isOk() ? null
        : new PaddockException(reply.code(), "multi failed: " + reply.code(), reply.value()));
  }

  public CompletionStage<Void> addWatch(String path, WatchMode mode) {
    return toVoid(this.<Done>call(r -> new PaddockClient.AddWatch(path, mode, r)));
  }

  public CompletionStage<Void> removeWatches(String path, WatcherType type) {
    return toVoid(this.<Done>call(r -> new PaddockClient.RemoveWatches(path, type, r)));
  }

  /** Any other op; the stage fails for an error code like the others. */
  public CompletionStage<Result> execute(Op op) {
    return call(r -> new PaddockClient.Execute(op, r));
  }

  /** The identities the server gave this session (digest after addAuth, super, ...). */
  public CompletionStage<List<dev.paddock.api.Id>> whoAmI() {
    return execute(new Op.WhoAmI()).thenApply(r -> ((Result.Identities) r).ids());
  }

  /**
   * Credentials the server verifies; "digest" with "user:password" bytes, as on the ZooKeeper
   * wire. The only way a typed session gets an identity: what a client puts in its connect is
   * ignored.
   */
  public CompletionStage<Void> addAuth(String scheme, byte[] auth) {
    return toVoid(this.<Done>call(r -> new PaddockClient.AddAuth(scheme, auth, r)));
  }

  /**
   * Closes the session (its ephemerals are removed) and terminates the client's actor system.
   * Completes normally once the system is down, also when the close could not reach a server:
   * the session then expires on its own.
   */
  public CompletionStage<Void> close() {
    return this.<Done>call(PaddockClient.Close::new)
        .handle((done, err) -> {
          system.terminate();
          return null;
        })
        .thenCompose(x -> system.getWhenTerminated())
        .thenApply(x -> null);
  }

  private <T> CompletionStage<T> call(Function<ActorRef<Reply<T>>, PaddockClient.Command> make) {
    return ask(make, reply -> reply.isOk() ? null : failure(reply));
  }

  /**
   * @param check null to complete with the reply's value, or the exception to fail with
   */
  private <T> CompletionStage<T> ask(Function<ActorRef<Reply<T>>, PaddockClient.Command> make,
      Function<Reply<T>, PaddockException> check) {
    CompletableFuture<T> out = new CompletableFuture<>();
    AskPattern.<PaddockClient.Command, Reply<T>>ask(system, make::apply, askTimeout,
        system.scheduler()).whenComplete((reply, err) -> {
          if (err != null) {
            Throwable cause = unwrap(err);
            out.completeExceptionally(cause instanceof TimeoutException
                ? new PaddockException(Code.OPERATION_TIMEOUT, "no reply within " + askTimeout)
                : cause);
            return;
          }
          PaddockException failed = check.apply(reply);
          if (failed == null) {
            out.complete(reply.value());
          } else {
            out.completeExceptionally(failed);
          }
        });
    return out;
  }

  private static PaddockException failure(Reply<?> reply) {
    return new PaddockException(reply.code(), "operation failed: " + reply.code());
  }

  private static <T> CompletionStage<Void> toVoid(CompletionStage<T> stage) {
    return stage.thenApply(x -> null);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * The local address a server would reach this client at: whatever interface routes to the
   * first server (a connected UDP socket sends nothing but picks that interface). Servers talk
   * back to the client's canonical address, so loopback only works for local servers.
   */
  static String localAddressFor(String server) {
    try (DatagramSocket probe = new DatagramSocket()) {
      probe.connect(new InetSocketAddress(ClientSettings.host(server),
          ClientSettings.port(server)));
      InetAddress local = probe.getLocalAddress();
      if (local != null && !local.isAnyLocalAddress()) {
        return local.getHostAddress();
      }
      return InetAddress.getLocalHost().getHostAddress();
    } catch (Exception e) {
      return "127.0.0.1";
    }
  }
}
