package dev.paddock.wire;

import dev.paddock.session.DataTreeActor;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A four-letter word's answer, produced without holding up the connection's actor (whose
 * dispatcher serves every connection): the tree's facts are asked of the tree actor, and the
 * words that add up directory sizes walk the disk on Pekko's blocking dispatcher.
 */
final class WordAnswers {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private WordAnswers() {}

  static CompletionStage<String> answer(String word, ClientPortEnv env, ActorSystem<?> system) {
    if (FourLetterWords.needsWatches(word)) {
      if (env.mode().get() == null) {
        return CompletableFuture.completedFuture(FourLetterWords.NOT_SERVING);
      }
      return AskPattern.<DataTreeActor.Command, DataTreeActor.Watches>ask(env.tree(),
              DataTreeActor.GetWatches::new, TIMEOUT, system.scheduler())
          .thenApply(ws -> FourLetterWords.renderWatches(word, ws));
    }
    if (FourLetterWords.needsTree(word)) {
      return AskPattern.<DataTreeActor.Command, DataTreeActor.Info>ask(env.tree(),
              DataTreeActor.GetInfo::new, TIMEOUT, system.scheduler())
          .thenApply(info -> FourLetterWords.render(word, env, info));
    }
    if (FourLetterWords.walksDisk(word)) {
      return CompletableFuture.supplyAsync(() -> FourLetterWords.render(word, env, null),
          system.dispatchers().lookup(DispatcherSelector.blocking()));
    }
    return CompletableFuture.completedFuture(FourLetterWords.render(word, env, null));
  }
}
