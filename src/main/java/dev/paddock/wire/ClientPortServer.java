package dev.paddock.wire;

import dev.paddock.session.ClientLoad;
import dev.paddock.session.DataTreeActor;
import dev.paddock.session.SessionTrackerActor;
import dev.paddock.storage.JournalStats;
import dev.paddock.zab.ZabStats;
import dev.paddock.tree.TreeView;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import javax.net.ssl.SSLSession;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;

/**
 * The client port: listens with Pekko Streams TCP and gives every accepted connection its own
 * {@link ConnectionActor}, fed by a {@link FrameDecoder} and writing through a bounded queue.
 * Connections per client address are capped like ZooKeeper's maxClientCnxns. With
 * paddock.secure-client-port set it also listens for TLS clients: their connections take the same
 * path behind a TLS stage, and a client certificate becomes the session's x509 identity. Streams
 * run on a materializer owned by this actor, so they end with it (and with the actor system).
 */
public final class ClientPortServer extends AbstractBehavior<ClientPortServer.Command> {

  public sealed interface Command {}

  /**
   * Answered with the plaintext port's bound address once every port listens (port 0 in
   * configuration picks one).
   */
  public record GetBoundAddress(ActorRef<InetSocketAddress> replyTo) implements Command {}

  private record Bound(Tcp.ServerBinding binding, boolean secure) implements Command {}

  private record BindFailed(Throwable cause, boolean secure) implements Command {}

  private record Accepted(Tcp.IncomingConnection connection, boolean secure) implements Command {}

  private record ConnectionEnded(InetAddress address) implements Command {}

  /**
   * Packets a connection may have queued for a client that does not read them; the bytes they
   * hold are bounded by client-output-limit long before.
   */
  static final int OUT_BUFFER = 100_000;

  private final ClientPortSettings settings;
  /** Null without a TLS port. */
  private final ClientTls tls;
  private final ActorRef<SessionTrackerActor.Command> sessions;
  private final ActorRef<DataTreeActor.Command> tree;
  private final TreeView view;
  private final Supplier<String> mode;
  private final Materializer mat;
  private final WireStats stats;
  private final ClientLoad load;
  private final Map<InetAddress, Integer> perAddress = new HashMap<>();
  private final List<ActorRef<InetSocketAddress>> waiting = new ArrayList<>();
  private Tcp.ServerBinding binding;
  private Tcp.ServerBinding secureBinding;
  private ClientPortEnv env;
  private long children;

  /**
   * @param mode the server's current role as srvr and mntr print it (standalone, leader,
   *     follower, observer), or null while it is not serving; called from connection actors
   */
  public static Behavior<Command> create(ClientPortSettings settings,
      ActorRef<SessionTrackerActor.Command> sessions, ActorRef<DataTreeActor.Command> tree,
      TreeView view, Supplier<String> mode) {
    return Behaviors.setup(ctx -> {
      ClientTls tls;
      try {
        ClientTlsSettings s = ClientTlsSettings.from(ctx.getSystem().settings().config());
        tls = s.enabled() ? ClientTls.load(s) : null;
      } catch (ClientTlsSettings.Invalid e) {
        ctx.getLog().error("cannot serve TLS clients: {}: {}", e.key(), e.getMessage());
        return Behaviors.stopped();
      }
      return new ClientPortServer(ctx, settings, tls, sessions, tree, view, mode);
    });
  }

  private ClientPortServer(ActorContext<Command> ctx, ClientPortSettings settings, ClientTls tls,
      ActorRef<SessionTrackerActor.Command> sessions, ActorRef<DataTreeActor.Command> tree,
      TreeView view, Supplier<String> mode) {
    super(ctx);
    this.settings = settings;
    this.tls = tls;
    this.sessions = sessions;
    this.tree = tree;
    this.view = view;
    this.mode = mode;
    this.mat = Materializer.createMaterializer(ctx);
    this.stats = ClientPortStats.get(ctx.getSystem()).wire();
    this.load = ClientLoad.get(ctx.getSystem());
    stats.countOutstanding(load.gate());
    listen(settings.port(), false);
    if (tls != null) {
      listen(tls.settings().port(), true);
    }
  }

  private void listen(int port, boolean secure) {
    ActorRef<Command> self = getContext().getSelf();
    var bound = Tcp.get(getContext().getSystem())
        .bind(settings.address(), port)
        .to(Sink.foreach(c -> self.tell(new Accepted(c, secure))))
        .run(mat);
    getContext().pipeToSelf(bound, (b, failure) -> failure == null ? new Bound(b, secure)
        : new BindFailed(failure, secure));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Bound.class, this::onBound)
        .onMessage(BindFailed.class, f -> {
          getContext().getLog().error("cannot listen for {} on {}:{}: {}",
              f.secure() ? "TLS clients" : "clients", settings.address(),
              f.secure() ? tls.settings().port() : settings.port(), f.cause().toString());
          return Behaviors.stopped();
        })
        .onMessage(GetBoundAddress.class, g -> {
          if (env == null) {
            waiting.add(g.replyTo());
          } else {
            g.replyTo().tell(binding.localAddress());
          }
          return this;
        })
        .onMessage(Accepted.class, this::onAccepted)
        .onMessage(ConnectionEnded.class, e -> {
          perAddress.computeIfPresent(e.address(), (k, n) -> n <= 1 ? null : n - 1);
          return this;
        })
        .onSignal(PostStop.class, s -> {
          if (binding != null) {
            binding.unbind();
          }
          if (secureBinding != null) {
            secureBinding.unbind();
            ClientPortStats.get(getContext().getSystem()).secureClientPort(-1);
          }
          return this;
        })
        .build();
  }

  private Behavior<Command> onBound(Bound b) {
    getContext().getLog().info("listening for ZooKeeper clients{} on {}",
        b.secure() ? " over TLS" : "", b.binding().localAddress());
    if (b.secure()) {
      secureBinding = b.binding();
    } else {
      binding = b.binding();
    }
    if (binding == null || tls != null && secureBinding == null) {
      return this;
    }
    InetSocketAddress local = binding.localAddress();
    int securePort = secureBinding == null ? -1 : secureBinding.localAddress().getPort();
    env = new ClientPortEnv(settings, sessions, tree, view, mode, stats,
        FourLetterWords.whitelist(settings.fourLetterWords()), local.getPort(), securePort,
        JournalStats.forPlugin(getContext().getSystem(), settings.journalPluginId()),
        ZabStats.get(getContext().getSystem()), load.limits(), load.gate());
    ClientPortStats.get(getContext().getSystem()).secureClientPort(securePort);
    waiting.forEach(w -> w.tell(local));
    waiting.clear();
    return this;
  }

  private Behavior<Command> onAccepted(Accepted a) {
    Tcp.IncomingConnection conn = a.connection();
    InetSocketAddress remote = conn.remoteAddress();
    InetAddress address = remote.getAddress();
    int current = perAddress.getOrDefault(address, 0);
    int max = settings.maxClientCnxns();
    if (env == null) {
      // The plaintext port is bound but the TLS one not yet: the connection is refused until
      // both serve, and the client retries.
      getContext().getLog().info("refusing connection from {}: the client ports are still "
          + "opening", address);
      conn.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), mat);
      return this;
    }
    if (max > 0 && current >= max) {
      getContext().getLog().warn("Error accepting new connection: Too many connections from {}"
          + " - max is {}", address, max);
      conn.handleWith(Flow.fromSinkAndSource(Sink.cancelled(), Source.empty()), mat);
      return this;
    }
    perAddress.put(address, current + 1);
    Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> out =
        Source.<ByteString>queue(OUT_BUFFER).preMaterialize(mat);
    OutputMeter meter = new OutputMeter(load.limits().outputThrottleBytes());
    // Pulled as the socket takes each packet, so the meter counts what still waits.
    Source<ByteString, NotUsed> toSocket = out.second().map(bytes -> {
      meter.sent(bytes.size());
      return bytes;
    });
    AtomicReference<SSLSession> session = new AtomicReference<>();
    String superUser = tls == null ? "" : tls.settings().x509SuperUser();
    ActorRef<ConnectionActor.Command> actor = getContext().spawn(
        ConnectionActor.create(env, out.first(), meter, remote,
            () -> X509Identity.of(session.get(), superUser)), "cnxn-" + (++children));
    meter.onDrained(() -> actor.tell(new ConnectionActor.OutputDrained()));
    getContext().watchWith(actor, new ConnectionEnded(address));
    Sink<FrameDecoder.Inbound, NotUsed> toActor = ActorSink.actorRefWithBackpressure(actor,
        (ActorRef<ConnectionActor.Ack> ackTo, FrameDecoder.Inbound el) ->
            new ConnectionActor.StreamElement(ackTo, el),
        ConnectionActor.StreamInit::new,
        new ConnectionActor.StreamEnded(null),
        ConnectionActor.StreamEnded::new);
    Sink<ByteString, NotUsed> in = Flow.fromGraph(new FrameDecoder(settings.maxBuffer()))
        .to(toActor);
    Flow<ByteString, ByteString, NotUsed> plain = Flow.fromSinkAndSource(in, toSocket);
    conn.handleWith(a.secure() ? tls.wrap(plain, session) : plain, mat);
    return this;
  }
}
