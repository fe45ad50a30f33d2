package dev.paddock.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paddock.backup.BackupFile;
import dev.paddock.metrics.NodeMetrics;
import dev.paddock.storage.JournalStats;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.wire.ClientPortStats;
import dev.paddock.zab.ZabStats;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.ContentDisposition;
import org.apache.pekko.http.javadsl.model.headers.ContentDispositionTypes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.apache.pekko.util.ByteString;

/** The admin server's HTTP routes: commands, probes and metrics. */
final class AdminRoutes extends AllDirectives {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final ContentType PROMETHEUS = ContentTypes.parse(NodeMetrics.contentType());

  private final ActorSystem<?> system;
  private final AdminSettings settings;
  private final NodeAccess node;
  private final NodeMetrics metrics;
  private final ClientPortStats clients;
  private final ZabStats zab;
  private final JournalStats journal;

  AdminRoutes(ActorSystem<?> system, AdminSettings settings, NodeAccess node,
      NodeMetrics metrics) {
    this.system = system;
    this.settings = settings;
    this.node = node;
    this.metrics = metrics;
    this.clients = ClientPortStats.get(system);
    this.zab = ZabStats.get(system);
    this.journal = JournalStats.forPlugin(system, node.facts().journalPlugin());
  }

  Route route() {
    return concat(
        pathPrefix("commands", () -> concat(
            pathEndOrSingleSlash(() -> get(() -> complete(commandList()))),
            path(PathMatchers.segment(), name -> parameterMap(args -> concat(
                get(() -> completeWithFuture(command(name, args))),
                post(() -> completeWithFuture(command(name, args)))))))),
        path("ready", () -> get(() -> completeWithFuture(ready()))),
        path("alive", () -> get(() -> completeWithFuture(alive()))),
        path("metrics", () -> get(() -> completeWithFuture(metrics()))),
        path("backup", () -> get(() -> completeWithFuture(backup()))),
        new ConsoleRoutes(system, settings, node).route());
  }

  /**
   * A backup of the committed tree as this server has it: one immutable snapshot, so it is
   * consistent at its zxid however long the download takes. Written on a blocking-I/O thread
   * straight into the response, never whole in memory.
   */
  private CompletionStage<HttpResponse> backup() {
    return node.status().handle((s, failure) -> {
      if (failure != null || !s.serving() || s.view() == null) {
        return text(StatusCodes.SERVICE_UNAVAILABLE, "not serving; no consistent backup\n");
      }
      TreeSnapshot tree = s.view().latest();
      Executor io = system.dispatchers().lookup(
          DispatcherSelector.blocking());
      Source<ByteString, ?> bytes =
          StreamConverters.asOutputStream()
              .mapMaterializedValue(os -> {
                io.execute(() -> {
                  try (OutputStream o = os) {
                    BackupFile.write(tree, o);
                  } catch (IOException e) {
                    system.log().warn("backup at zxid 0x{} was cut short: {}",
                        Long.toHexString(tree.zxid()), e.toString());
                  }
                });
                return NotUsed.getInstance();
              });
      return HttpResponse.create().withEntity(HttpEntities
          .create(ContentTypes.APPLICATION_OCTET_STREAM, bytes))
          .addHeader(ContentDisposition.create(
              ContentDispositionTypes.ATTACHMENT,
              Map.of("filename", "paddock-" + Long.toHexString(tree.zxid()) + ".backup")));
    });
  }

  /** The primary names as links, as ZooKeeper's /commands page lists them. */
  private HttpResponse commandList() {
    StringBuilder sb = new StringBuilder();
    for (String name : new TreeSet<>(Commands.ALL.stream().map(Commands.Command::name)
        .toList())) {
      sb.append("<a href=\"/commands/").append(name).append("\">").append(name)
          .append("</a>\n<br/>\n");
    }
    return HttpResponse.create().withEntity(ContentTypes.TEXT_HTML_UTF8, sb.toString());
  }

  CompletionStage<HttpResponse> command(String name, Map<String, String> args) {
    Commands.Command c = Commands.find(name);
    if (c == null) {
      // ZooKeeper answers 200 with the error in the body; scripts read the body.
      return done(json(StatusCodes.OK, error(name, "Unknown command: " + name)));
    }
    // Some commands (configuration, dirs, server_stats) add up directory sizes: a disk walk
    // that must not run on the dispatcher the actors share.
    Executor io = system.dispatchers().lookup(DispatcherSelector.blocking());
    return Facts.gather(node, system, c.needs()).handleAsync((facts, failure) -> {
      if (failure != null || c.serverRequired() && !facts.status().serving()
          || c.needs().tree() && facts.info() == null
          || c.needs().watches() && facts.watches() == null) {
        JournalStats.WriteFailure storage = journal.writeFailure();
        return json(StatusCodes.SERVICE_UNAVAILABLE, error(c.name(), storage == null
            ? Commands.NOT_SERVING : Commands.NOT_SERVING + ": cannot write the transaction "
                + "log since " + java.time.Instant.ofEpochMilli(storage.sinceMillis()) + " ("
                + storage.reason() + ")"));
      }
      Map<String, Object> out = c.run().apply(new Commands.Context(facts, node.facts(),
          clients, zab, journal, metrics, args));
      out.put("command", c.name());
      out.putIfAbsent("error", null);
      return json(StatusCodes.OK, out);
    }, io);
  }

  /** Ready while the server serves clients: not while it elects a leader or synchronises. */
  private CompletionStage<HttpResponse> ready() {
    return node.status().handle((s, failure) -> {
      if (failure == null && s.serving()) {
        return text(StatusCodes.OK, "serving as " + s.mode() + "\n");
      }
      return text(StatusCodes.SERVICE_UNAVAILABLE, failure != null
          ? "not answering: " + failure + "\n" : "not serving: " + s.role() + "\n");
    });
  }

  /**
   * Alive while the node's guardian answers within the ask timeout: a stuck or stopped node
   * fails it, an election or a storage retry does not (a restart would not help those).
   */
  private CompletionStage<HttpResponse> alive() {
    return node.status().handle((s, failure) -> failure == null
        ? text(StatusCodes.OK, "alive\n")
        : text(StatusCodes.SERVICE_UNAVAILABLE, "not answering: " + failure + "\n"));
  }

  private CompletionStage<HttpResponse> metrics() {
    return Facts.gather(node, system, Facts.Needs.ALL).handle((f, failure) -> {
      NodeMetrics.TreeFigures figures = null;
      if (failure == null && f.info() != null) {
        figures = new NodeMetrics.TreeFigures(f.status().serving(),
            f.status().serving() ? f.status().mode() : "looking", f.info().nodeCount() + 1,
            f.info().watchCount(), f.info().watchedPaths(), Commands.ephemerals(f.info()),
            f.info().snapshot().approximateDataSize(), f.info().sessionCount(),
            f.info().lastZxid(), f.log() == null ? 0 : f.log().currentEpoch());
      }
      return HttpResponse.create().withEntity(PROMETHEUS, metrics.scrape(figures));
    });
  }

  static Map<String, Object> error(String command, String message) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("command", command);
    out.put("error", message);
    return out;
  }

  static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create().withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      return text(StatusCodes.INTERNAL_SERVER_ERROR, "cannot render JSON: " + e + "\n");
    }
  }

  static HttpResponse text(StatusCode status, String body) {
    return HttpResponse.create().withStatus(status)
        .withEntity(ContentTypes.TEXT_PLAIN_UTF8, body);
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
