package dev.paddock.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import dev.paddock.node.PekkoConfig;
import dev.paddock.peers.Peers;
import dev.paddock.zab.Packet;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * What one message between two server JVMs costs at one message in flight: round trips of a
 * peer envelope (an ack packet, through the peer serializer) between two actor systems over
 * Artery with Paddock's settings, against round trips of about as many bytes over a plain TCP
 * socket where each side reads on one thread, handles the message on another (the actor's) and
 * writes on a third, which is what a data plane of its own would cost. A write through a
 * follower crosses four such links.
 */
final class TransportBench {
  private static final int ROUNDS = 20_000;
  private static final int WARMUP = 5_000;

  private TransportBench() {}

  static void run() throws Exception {
    System.out.println("\n=== transport: one message in flight between two JVMs on loopback, "
        + ROUNDS + " round trips after " + WARMUP + " ===");
    System.out.println(measure("artery") + "\n" + measure("tcp"));
  }

  /** Starts the echo side, then the pinging side, each in a JVM of its own. */
  private static String measure(String transport) throws Exception {
    int port = freePort();
    Process echo = jvm(transport + "-echo", port).start();
    try {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(echo.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null && !line.equals("ready")) {
          // The echo side's start-up output.
        }
        if (line == null) {
          throw new IllegalStateException(transport + " echo side ended before it was ready");
        }
        Process ping = jvm(transport + "-ping", port).redirectErrorStream(true).start();
        String result = null;
        try (BufferedReader p = new BufferedReader(new InputStreamReader(ping.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String l = p.readLine(); l != null; l = p.readLine()) {
            if (l.startsWith("result ")) {
              result = l.substring(7);
            }
          }
        }
        if (!ping.waitFor(3, TimeUnit.MINUTES) || ping.exitValue() != 0 || result == null) {
          ping.destroyForcibly();
          throw new IllegalStateException(transport + " pinging side failed");
        }
        return result;
      }
    } finally {
      echo.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static ProcessBuilder jvm(String mode, int port) {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xms256m", "-Xmx256m", "-cp", System.getProperty("java.class.path")));
    // Options for both sides, to compare collectors or Pekko settings on the same two links.
    String extra = System.getenv("TRANSPORT_OPTS");
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.trim().split("\\s+")));
    }
    cmd.addAll(List.of(TransportBench.class.getName(), mode, Integer.toString(port)));
    return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[1]);
    switch (args[0]) {
      case "artery-echo" -> arteryEcho(port);
      case "artery-ping" -> report("Artery (peer envelope, Paddock's settings)",
          arteryPing(port));
      case "tcp-echo" -> tcpEcho(port);
      case "tcp-ping" -> report("plain TCP, reader, actor and writer threads", tcpPing(port));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  private static Config config(int port) {
    return ConfigFactory.parseMap(Map.of(
        "pekko.remote.artery.canonical.hostname", "127.0.0.1",
        "pekko.remote.artery.canonical.port", port,
        "pekko.loglevel", "WARNING"))
        .withFallback(PekkoConfig.withPaddockDefaults(ConfigFactory.load())).resolve();
  }

  private static Peers.Envelope envelope(ActorRef<Peers.Command> self, long n) {
    return new Peers.Envelope(1, 7, n, self, new Packet.Ack(n, n));
  }

  /** Answers every envelope to the gateway it names. */
  private static void arteryEcho(int port) {
    ActorSystem<Peers.Command> system = ActorSystem.create(Behaviors.setup(ctx ->
        Behaviors.receive(Peers.Command.class)
            .onMessage(Peers.Envelope.class, e -> {
              e.sender().tell(envelope(ctx.getSelf(), e.seq()));
              return Behaviors.same();
            })
            .build()), "echo", config(port));
    System.out.println("ready");
    system.getWhenTerminated().toCompletableFuture().join();
  }

  private static Histogram arteryPing(int port) throws Exception {
    CompletableFuture<Histogram> done = new CompletableFuture<>();
    ActorSystem<Peers.Command> system = ActorSystem.create(Behaviors.setup(ctx -> {
      ActorRef<Peers.Command> echo = ActorRefResolver.get(ctx.getSystem()).resolveActorRef(
          "pekko://echo@127.0.0.1:" + port + "/user");
      Histogram h = new Histogram(3);
      long[] sent = {System.nanoTime()};
      echo.tell(envelope(ctx.getSelf(), 0));
      return Behaviors.receive(Peers.Command.class)
          .onMessage(Peers.Envelope.class, e -> {
            long n = e.seq();
            if (n > WARMUP) {
              h.recordValue((System.nanoTime() - sent[0]) / 1000);
            }
            if (n >= WARMUP + ROUNDS) {
              done.complete(h);
            } else {
              sent[0] = System.nanoTime();
              echo.tell(envelope(ctx.getSelf(), n + 1));
            }
            return Behaviors.same();
          })
          .build();
    }), "ping", config(0));
    try {
      return done.get(2, TimeUnit.MINUTES);
    } finally {
      system.terminate();
    }
  }

  /**
   * One side of a plain TCP link as a data plane of its own would run it: a reader thread hands
   * each message to the actor's thread, which hands what it sends to a writer thread.
   */
  private static final class TcpSide implements AutoCloseable {
    final ExecutorService actor = Executors.newSingleThreadExecutor();
    final ExecutorService writer = Executors.newSingleThreadExecutor();
    final DataInputStream in;
    final DataOutputStream out;

    TcpSide(Socket s) throws IOException {
      s.setTcpNoDelay(true);
      in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
      out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream()));
    }

    void send(byte[] frame) {
      writer.execute(() -> {
        try {
          out.writeInt(frame.length);
          out.write(frame);
          out.flush();
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
    }

    /** Reads until the link ends, handing each message to {@code onMessage} on the actor. */
    void readInto(java.util.function.Consumer<byte[]> onMessage) {
      try {
        while (true) {
          byte[] frame = new byte[in.readInt()];
          in.readFully(frame);
          actor.execute(() -> onMessage.accept(frame));
        }
      } catch (IOException end) {
        // The other side is done.
      }
    }

    @Override
    public void close() {
      actor.shutdownNow();
      writer.shutdownNow();
    }
  }

  private static void tcpEcho(int port) throws IOException {
    try (ServerSocket server = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      System.out.println("ready");
      try (Socket s = server.accept(); TcpSide side = new TcpSide(s)) {
        side.readInto(side::send);
      }
    }
  }

  private static Histogram tcpPing(int port) throws Exception {
    CompletableFuture<Histogram> done = new CompletableFuture<>();
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        TcpSide side = new TcpSide(s)) {
      Histogram h = new Histogram(3);
      long[] state = {0, System.nanoTime()};
      // About the size of an enveloped ack.
      byte[] frame = new byte[48];
      Thread reader = new Thread(() -> side.readInto(answer -> {
        if (++state[0] > WARMUP) {
          h.recordValue((System.nanoTime() - state[1]) / 1000);
        }
        if (state[0] >= WARMUP + ROUNDS) {
          done.complete(h);
        } else {
          state[1] = System.nanoTime();
          side.send(frame);
        }
      }), "reader");
      reader.setDaemon(true);
      reader.start();
      side.actor.execute(() -> side.send(frame));
      return done.get(2, TimeUnit.MINUTES);
    }
  }

  private static void report(String what, Histogram h) {
    System.out.printf("result %-44s round trip p50 %4d us, p90 %5d us, p99 %5d us%n", what,
        h.getValueAtPercentile(50), h.getValueAtPercentile(90), h.getValueAtPercentile(99));
    System.exit(0);
  }
}
