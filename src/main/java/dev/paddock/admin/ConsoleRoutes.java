package dev.paddock.admin;

import dev.paddock.api.Acl;
import dev.paddock.storage.JournalStats;
import dev.paddock.tree.DataNode;
import dev.paddock.session.DataTreeActor;
import dev.paddock.tree.PersistentColls;
import dev.paddock.tree.TreeSnapshot;
import dev.paddock.wire.ClientPortStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.directives.SecurityDirectives;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;

/**
 * The console: its page and modules from the jar, and the JSON it reads. The ensemble view
 * asks every configured server's admin port for its status, so any server's console shows all
 * of them; a server that does not answer is shown as down.
 */
final class ConsoleRoutes extends AllDirectives {
  private static final Duration PEER_TIMEOUT = Duration.ofSeconds(1);

  private final ActorSystem<?> system;
  private final NodeAccess node;
  private final ClientPortStats clients;
  private final JournalStats journal;

  private final AdminSettings settings;

  ConsoleRoutes(ActorSystem<?> system, AdminSettings settings, NodeAccess node) {
    this.system = system;
    this.settings = settings;
    this.node = node;
    this.clients = ClientPortStats.get(system);
    this.journal = JournalStats.forPlugin(system, node.facts().journalPlugin());
  }

  Route route() {
    return concat(
        pathSingleSlash(() -> get(() -> getFromResource("console/index.html",
            ContentTypes.TEXT_HTML_UTF8))),
        pathPrefix("console", () -> get(() -> getFromResourceDirectory("console"))),
        pathPrefix("api", () -> concat(get(() -> concat(
            path("status", () -> completeWithFuture(status().thenApply(s ->
                AdminRoutes.json(StatusCodes.OK, s)))),
            path("ensemble", () -> completeWithFuture(ensemble())),
            path("node", () -> parameterOptional("path", p ->
                completeWithFuture(nodeAt(p.orElse("/"))))),
            path("sessions", () -> completeWithFuture(sessions())))),
            path("node", () -> parameter("path", p -> changes(p))))));
  }

  /**
   * Create (POST, the body is the data), set data (PUT with version) and delete (DELETE with
   * version): only with the configured credentials, and with ZooKeeper's version checks.
   */
  private Route changes(String path) {
    if (!settings.writable()) {
      return complete(AdminRoutes.json(StatusCodes.FORBIDDEN, Map.of("error",
          "the console is read-only: set paddock.admin.user and paddock.admin.password")));
    }
    return authenticateBasic("paddock", this::checkCredentials, user -> concat(
        post(() -> entity(Unmarshaller
            .entityToByteString(), body -> completeWithFuture(write(node.writer()
                .thenCompose(w -> w.create(path, body.toArray())), "path")))),
        put(() -> version(v -> entity(Unmarshaller
            .entityToByteString(), body -> completeWithFuture(write(node.writer()
                .thenCompose(w -> w.setData(path, body.toArray(), v)), "version"))))),
        delete(() -> version(v -> completeWithFuture(write(node.writer()
            .thenCompose(w -> w.delete(path, v)), "deleted"))))));
  }

  private Optional<String> checkCredentials(
      Optional<SecurityDirectives
          .ProvidedCredentials> given) {
    return given.filter(c -> c.identifier().equals(settings.user())
        && c.verify(settings.password())).map(c -> c.identifier());
  }

  private Route version(Function<Integer, Route> inner) {
    return parameter("version", v -> {
      try {
        return inner.apply(Integer.parseInt(v));
      } catch (NumberFormatException e) {
        return complete(AdminRoutes.json(StatusCodes.BAD_REQUEST,
            Map.of("error", "version must be an integer, was " + v)));
      }
    });
  }

  /** The change's result, or its ZooKeeper error (bad version, no node, ...) as 409. */
  private static CompletionStage<HttpResponse> write(CompletionStage<?> change, String key) {
    return change.handle((result, failure) -> {
      if (failure == null) {
        return AdminRoutes.json(StatusCodes.OK, Collections.singletonMap(key,
            result == null ? true : result));
      }
      Throwable cause = failure instanceof CompletionException
          && failure.getCause() != null ? failure.getCause() : failure;
      return AdminRoutes.json(StatusCodes.CONFLICT, Map.of("error", String.valueOf(
          cause.getMessage() == null ? cause.toString() : cause.getMessage())));
    });
  }

  /** This server's figures for the ensemble view. */
  CompletionStage<Map<String, Object>> status() {
    return Facts.gather(node, system, Facts.Needs.ALL).handle((f, failure) -> {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", node.facts().myId());
      if (failure != null) {
        out.put("state", "stuck");
        return out;
      }
      ClientPortStats.Summary s = clients.summary();
      out.put("state", f.status().serving() ? f.status().mode() : "syncing or electing ("
          + f.status().role() + ")");
      out.put("serving", f.status().serving());
      out.put("role", f.status().role());
      out.put("leader", f.status().leaderId());
      out.put("epoch", f.log() == null ? null : f.log().currentEpoch());
      out.put("lastZxid", f.info() == null ? null : f.info().lastZxid());
      out.put("connections", s.connections());
      out.put("sessions", f.info() == null ? null : f.info().sessionCount());
      out.put("outstanding", s.outstanding());
      out.put("znodes", f.info() == null ? null : f.info().nodeCount());
      out.put("fsyncs", journal.snapshot().fsyncs());
      out.put("txnsLogged", journal.txnsLogged());
      out.put("time", System.currentTimeMillis());
      return out;
    });
  }

  private CompletionStage<HttpResponse> ensemble() {
    List<CompletableFuture<Map<String, Object>>> all = new ArrayList<>();
    if (node.facts().members().isEmpty()) {
      all.add(status().toCompletableFuture());
    }
    for (NodeAccess.Member m : node.facts().members()) {
      if (m.id() == node.facts().myId()) {
        all.add(status().toCompletableFuture());
      } else if (m.admin() == null) {
        all.add(CompletableFuture.completedFuture(down(m.id(), "no admin-port configured")));
      } else {
        all.add(peer(m.id(), m.admin()));
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(v ->
        AdminRoutes.json(StatusCodes.OK, Map.of("servers",
            all.stream().map(CompletableFuture::join).toList())));
  }

  private CompletableFuture<Map<String, Object>> peer(int id, InetSocketAddress admin) {
    String uri = "http://" + admin.getHostString() + ":" + admin.getPort() + "/api/status";
    return Http.get(system).singleRequest(HttpRequest.create(uri))
        .thenCompose(r -> r.entity().toStrict(PEER_TIMEOUT.toMillis(), system))
        .thenApply(e -> {
          try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = AdminRoutes.JSON.readValue(e.getData().toArray(), Map.class);
            return m;
          } catch (IOException x) {
            return down(id, "bad answer: " + x.getMessage());
          }
        })
        .toCompletableFuture()
        .completeOnTimeout(down(id, "no answer within 1 s"), PEER_TIMEOUT.toMillis(),
            TimeUnit.MILLISECONDS)
        .exceptionally(t -> down(id, "unreachable"));
  }

  private static Map<String, Object> down(int id, String why) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", id);
    m.put("state", "down");
    m.put("reason", why);
    return m;
  }

  /** A node as the console shows it: data, Stat, ACL and children, from the committed tree. */
  private CompletionStage<HttpResponse> nodeAt(String path) {
    return node.status().handle((s, failure) -> {
      if (failure != null || s.view() == null) {
        return AdminRoutes.json(StatusCodes.SERVICE_UNAVAILABLE,
            Map.of("error", "the tree is not available"));
      }
      TreeSnapshot t = s.view().latest();
      DataNode n = t.node(path);
      if (n == null) {
        return AdminRoutes.json(StatusCodes.NOT_FOUND, Map.of("error", "no node " + path));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("path", path);
      out.put("zxid", t.zxid());
      out.put("stat", n.stat());
      List<Map<String, Object>> acl = new ArrayList<>();
      for (Acl a : n.acl()) {
        acl.add(Commands.map("scheme", a.id().scheme(), "id", a.id().id(), "perms",
            perms(a.perms())));
      }
      out.put("acl", acl);
      TreeSet<String> children = new TreeSet<>(n.childNames());
      out.put("children", children);
      out.put("data", n.data() == null ? null : Base64.getEncoder().encodeToString(n.data()));
      return AdminRoutes.json(StatusCodes.OK, out);
    });
  }

  /** ZooKeeper's permission letters: read, write, create, delete, admin. */
  static String perms(int p) {
    String letters = "rwcda";
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < letters.length(); i++) {
      if ((p & (1 << i)) != 0) {
        sb.append(letters.charAt(i));
      }
    }
    return sb.toString();
  }

  /** Sessions with their timeouts and ephemerals, and watched paths by session. */
  private CompletionStage<HttpResponse> sessions() {
    return Facts.gather(node, system, new Facts.Needs(true, true, false)).handle((f, failure) -> {
      if (failure != null || f.info() == null) {
        return AdminRoutes.json(StatusCodes.SERVICE_UNAVAILABLE,
            Map.of("error", "the tree is not available"));
      }
      DataTreeActor.Info info = f.info();
      Map<String, Object> out = new TreeMap<>();
      info.snapshot().sessions().foreach(e -> {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timeout", e._2());
        TreeSet<String> eph = new TreeSet<>();
        var paths = PersistentColls.get(info.snapshot().ephemerals(), e._1());
        if (paths != null) {
          paths.foreach(eph::add);
        }
        m.put("ephemerals", eph);
        m.put("watches", f.watches() == null ? List.of()
            : f.watches().bySession().getOrDefault(e._1(), Set.of()));
        out.put("0x" + Long.toHexString(e._1()), m);
        return null;
      });
      return AdminRoutes.json(StatusCodes.OK, Map.of("sessions", out));
    });
  }
}
