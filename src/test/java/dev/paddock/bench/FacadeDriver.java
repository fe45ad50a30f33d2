package dev.paddock.bench;

import dev.paddock.api.Acl;
import dev.paddock.api.CreateMode;
import dev.paddock.client.ClientSettings;
import dev.paddock.client.PaddockException;
import dev.paddock.client.PaddockFacade;
import dev.paddock.node.PekkoConfig;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One session through {@link PaddockFacade}, the CompletionStage API for plain Java code
 * ({@code --typed-api=facade}). The facade completes its stages from {@code whenComplete} on
 * the stage {@code AskPattern.ask} returns; that stage is Scala's FutureConverters CF, which
 * turns every non-async callback into an async one on the common pool. On a machine with two
 * cores the common pool's parallelism is 1, and CompletableFuture then runs async tasks on a new
 * thread each: one thread creation per request.
 */
final class FacadeDriver implements Driver {
  private final PaddockFacade zk;

  private FacadeDriver(PaddockFacade zk) {
    this.zk = zk;
  }

  static final Factory FACTORY = new Factory(servers -> new FacadeDriver(PaddockFacade.connect(
          ClientSettings.of(servers, TypedDriver.SESSION_TIMEOUT),
          PekkoConfig.forClient("127.0.0.1"), e -> { }, s -> { })
      .toCompletableFuture()
      .get(TypedDriver.SESSION_TIMEOUT.toMillis() + 5000, TimeUnit.MILLISECONDS)), true,
      "typed client through PaddockFacade (CompletionStage API), over Pekko remoting to the "
          + "typed-client port");

  private static void finish(CompletionStage<?> stage, Done done) {
    stage.whenComplete((v, err) -> done.done(err == null ? null : name(err)));
  }

  private static String name(Throwable err) {
    Throwable t = err instanceof CompletionException && err.getCause() != null
        ? err.getCause() : err;
    return t instanceof PaddockException p ? p.code().name() : t.getClass().getSimpleName();
  }

  @Override
  public void create(String path, byte[] data, Done done) {
    finish(zk.create(path, data, Acl.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), done);
  }

  @Override
  public void setData(String path, byte[] data, Done done) {
    finish(zk.setData(path, data, -1), done);
  }

  @Override
  public void getData(String path, Done done) {
    finish(zk.getData(path, false), done);
  }

  @Override
  public void close() {
    try {
      zk.close().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      // the session expires on its own
    }
  }
}
