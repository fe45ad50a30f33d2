package dev.paddock.node;

import dev.paddock.zab.FollowerActor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.CompletionHandler;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps an idle TCP connection open to the leader's peer port while this server follows it,
 * and tells the follower when the leader's process is gone. Remoting does not surface a closed
 * connection, but the kernel does: when a process dies its sockets close, the connection ends,
 * and a new connect is refused at once. Only a refused connect counts as evidence; a paused or
 * cut-off leader still accepts connects or lets them time out, and there the heartbeats remain
 * the bound. Nothing is ever sent, so this works the same whether the port speaks plain TCP or
 * TLS. The socket work is asynchronous NIO: no actor thread ever blocks on it.
 */
public final class LeaderPortProbe extends AbstractBehavior<LeaderPortProbe.Command> {

  public sealed interface Command {}

  private record Connected(AsynchronousSocketChannel channel) implements Command {}

  private record ConnectFailed(AsynchronousSocketChannel channel, Throwable cause)
      implements Command {}

  private record Readable(AsynchronousSocketChannel channel) implements Command {}

  private record Closed(AsynchronousSocketChannel channel) implements Command {}

  private record Connect() implements Command {}

  private record ConnectTimedOut(AsynchronousSocketChannel channel) implements Command {}

  /** Two refusals a few ms apart, so one refused connect during a restart of the port is not enough. */
  static final int REFUSALS = 2;
  static final Duration REFUSAL_RECHECK = Duration.ofMillis(5);
  /** Connects that neither succeed nor are refused say nothing; retry now and then. */
  static final Duration OTHER_FAILURE_RETRY = Duration.ofSeconds(1);
  /** A port that keeps closing fresh connections is not hammered. */
  static final Duration SHORT_LIVED = Duration.ofSeconds(1);
  static final int SHORT_LIVED_IN_A_ROW = 3;
  /**
   * A connect that reaches a port while its dying process tears the listener down can be reset
   * or its SYN dropped (the kernel resends it only after a second): such a connect is tried
   * afresh at once, a few times, before the probe settles for slow connects and retries.
   */
  static final Duration QUICK_CONNECT = Duration.ofMillis(100);
  static final int QUICK_CONNECTS = 10;

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final int leaderId;
  private final InetSocketAddress address;
  private final ActorRef<FollowerActor.Command> follower;
  private final ActorRef<Gone> witness;
  private final ByteBuffer sink = ByteBuffer.allocate(256);
  private AsynchronousSocketChannel channel;
  private long connectedNanos;
  private int refusals;
  private int shortLived;
  private int quickConnects;

  /** Told, before the follower, that the leader's process is gone. */
  public record Gone(int serverId) {}

  /**
   * @param follower told {@link FollowerActor.LeaderGone} when the leader's port refuses
   *     connects; the probe ends with it
   * @param witness told {@link Gone} first, so the next election need not wait for the
   *     leader's vote
   */
  public static Behavior<Command> create(int leaderId, InetSocketAddress address,
      ActorRef<FollowerActor.Command> follower, ActorRef<Gone> witness) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new LeaderPortProbe(ctx, timers, leaderId, address, follower, witness)));
  }

  /** Watches {@code follower}'s leader, if it is configured; wired beside the follower. */
  static void spawnFor(ActorContext<?> ctx, Settings settings, int leaderId,
      ActorRef<FollowerActor.Command> follower, ActorRef<Gone> witness) {
    for (ServerSpec s : settings.servers()) {
      if (s.id() == leaderId) {
        InetSocketAddress address = new InetSocketAddress(s.host(), s.peerPort());
        if (address.isUnresolved()) {
          ctx.getLog().warn("cannot resolve leader {}'s host {}: only heartbeats watch it",
              leaderId, s.host());
          return;
        }
        ctx.spawnAnonymous(create(leaderId, address, follower, witness));
      }
    }
  }

  private LeaderPortProbe(ActorContext<Command> ctx, TimerScheduler<Command> timers,
      int leaderId, InetSocketAddress address, ActorRef<FollowerActor.Command> follower,
      ActorRef<Gone> witness) {
    super(ctx);
    this.ctx = ctx;
    this.timers = timers;
    this.leaderId = leaderId;
    this.address = address;
    this.follower = follower;
    this.witness = witness;
    ctx.watch(follower);
    connect();
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Connect.class, c -> {
          connect();
          return this;
        })
        .onMessage(Connected.class, this::onConnected)
        .onMessage(ConnectTimedOut.class, this::onConnectTimedOut)
        .onMessage(ConnectFailed.class, this::onConnectFailed)
        .onMessage(Readable.class, r -> {
          if (r.channel() == channel) {
            read();
          }
          return this;
        })
        .onMessage(Closed.class, this::onClosed)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .onSignal(PostStop.class, s -> {
          closeQuietly(channel);
          return this;
        })
        .build();
  }

  private void connect() {
    closeQuietly(channel);
    ActorRef<Command> self = ctx.getSelf();
    AsynchronousSocketChannel ch;
    try {
      ch = AsynchronousSocketChannel.open();
    } catch (IOException e) {
      self.tell(new ConnectFailed(null, e));
      return;
    }
    channel = ch;
    if (quickConnects < QUICK_CONNECTS) {
      timers.startSingleTimer(ConnectTimedOut.class, new ConnectTimedOut(ch), QUICK_CONNECT);
    }
    ch.connect(address, null, new CompletionHandler<Void, Void>() {
      @Override
      public void completed(Void result, Void attachment) {
        self.tell(new Connected(ch));
      }

      @Override
      public void failed(Throwable exc, Void attachment) {
        self.tell(new ConnectFailed(ch, exc));
      }
    });
  }

  private Behavior<Command> onConnected(Connected c) {
    if (c.channel() != channel) {
      closeQuietly(c.channel());
      return this;
    }
    timers.cancel(ConnectTimedOut.class);
    refusals = 0;
    quickConnects = 0;
    connectedNanos = System.nanoTime();
    ctx.getLog().info("watching leader {}'s peer port {}", leaderId, address);
    read();
    return this;
  }

  private void read() {
    ActorRef<Command> self = ctx.getSelf();
    AsynchronousSocketChannel ch = channel;
    sink.clear();
    ch.read(sink, null, new CompletionHandler<Integer, Void>() {
      @Override
      public void completed(Integer n, Void attachment) {
        self.tell(n < 0 ? new Closed(ch) : new Readable(ch));
      }

      @Override
      public void failed(Throwable exc, Void attachment) {
        self.tell(new Closed(ch));
      }
    });
  }

  /** The connection ended: a new connect right away tells a dead process from a live one. */
  private Behavior<Command> onClosed(Closed c) {
    if (c.channel() != channel) {
      return this;
    }
    long lived = System.nanoTime() - connectedNanos;
    ctx.getLog().info("leader {}'s peer port ended a connection after {} ms; connecting again",
        leaderId, lived / 1_000_000);
    boolean wasShort = lived < SHORT_LIVED.toNanos();
    shortLived = wasShort ? shortLived + 1 : 0;
    if (shortLived >= SHORT_LIVED_IN_A_ROW) {
      closeQuietly(channel);
      channel = null;
      timers.startSingleTimer(new Connect(), SHORT_LIVED);
    } else {
      connect();
    }
    return this;
  }

  private Behavior<Command> onConnectTimedOut(ConnectTimedOut t) {
    if (t.channel() == channel) {
      quickConnects++;
      connect();
    }
    return this;
  }

  private Behavior<Command> onConnectFailed(ConnectFailed f) {
    if (f.channel() != channel) {
      return this;
    }
    timers.cancel(ConnectTimedOut.class);
    closeQuietly(channel);
    channel = null;
    if (!refused(f.cause())) {
      ctx.getLog().debug("connect to leader {}'s peer port failed: {}", leaderId, f.cause());
      refusals = 0;
      // A dying process's listener resets the connects it had queued; the next one is refused.
      timers.startSingleTimer(new Connect(), quickConnects++ < QUICK_CONNECTS
          ? REFUSAL_RECHECK : OTHER_FAILURE_RETRY);
      return this;
    }
    if (++refusals < REFUSALS) {
      timers.startSingleTimer(new Connect(), REFUSAL_RECHECK);
      return this;
    }
    ctx.getLog().warn("leader {}'s peer port {} refuses connections", leaderId, address);
    witness.tell(new Gone(leaderId));
    follower.tell(new FollowerActor.LeaderGone(leaderId));
    return Behaviors.stopped();
  }

  /** Only "connection refused" proves no process listens; timeouts and unreachable hosts do not. */
  static boolean refused(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ConnectException && c.getMessage() != null
          && c.getMessage().toLowerCase(java.util.Locale.ROOT).contains("refused")) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(AsynchronousSocketChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // Closing only releases the socket; there is nothing left to tell anyone.
      }
    }
  }
}
