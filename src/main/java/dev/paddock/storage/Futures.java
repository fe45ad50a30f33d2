package dev.paddock.storage;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import scala.concurrent.Future;
import scala.concurrent.Promise;

/** Bridges the CompletableFutures used internally to the Scala futures of the plugin SPI. */
final class Futures {
  private Futures() {}

  static <T> Future<T> toScala(CompletableFuture<T> future) {
    Promise<T> promise = org.apache.pekko.dispatch.Futures.promise();
    future.whenComplete(
        (value, error) -> {
          if (error == null) {
            promise.success(value);
          } else {
            promise.failure(unwrap(error));
          }
        });
    return promise.future();
  }

  static <T> Future<T> successful(T value) {
    return org.apache.pekko.dispatch.Futures.successful(value);
  }

  private static Throwable unwrap(Throwable t) {
    Throwable e = t;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
