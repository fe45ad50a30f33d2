package dev.paddock.sim.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Decides whether a history is linearizable with respect to a model, in the manner of Wing and
 * Gong as improved by Lowe: a depth-first search over the calls that may be linearized next (those
 * invoked before the earliest pending return), remembering every (placed calls, state)
 * configuration found to lead nowhere so that none is explored twice (see {@link Memo}).
 *
 * <p>Indeterminate calls are optional: the history is linearizable once every call with a known
 * outcome is placed. One with a deadline must be placed or dropped before anything invoked after
 * that deadline. Calls the model declares read-only are committed as soon as they fit, and an
 * indeterminate call that would leave the state as it is is never placed, since leaving it out
 * covers the same futures.
 *
 * <p>The search is exponential in the worst case, and what drives it up is indeterminate calls
 * without a deadline that never took effect: they stay candidates to the end, and every dead end
 * tries them in every combination. Deadlines keep that in check.
 *
 * <p>Each model step counts against the budget; running out yields UNKNOWN, never OK.
 */
public final class Linearizability {
  private static final int SHOWN_PREFIX = 3;
  private static final int SHOWN_STUCK = 4;

  private Linearizability() {
  }

  public static <S, I, O> Verdict check(Model<S, I, O> model, List<Operation<I, O>> history,
      long maxSteps) {
    Objects.requireNonNull(model, "model");
    return new Search<>(model, List.copyOf(history), maxSteps).run();
  }

  private static final class Frame<S> {
    S state;
    long[] knownKey;
    long[] lostKey;
    int[] moves = new int[8]; // an operation to place, or ~op to drop an indeterminate one
    int known; // moves before this place operations with known outcomes
    int moveCount;
    int cursor;
    int barrier;
    int op = -1;
    boolean dropping;
    boolean commit;
    List<S> successors = List.of();
    int successor;
  }

  private static final class Search<S, I, O> {
    private final Model<S, I, O> model;
    private final List<Operation<I, O>> ops;
    private final long maxSteps;
    private final EventList events;
    private final int[] slot; // numbering among known, or among indeterminate operations
    private final int[] twin; // the first indeterminate operation with the same input and deadline
    private final int[] offered; // per twin, the last frame that offered one, so it offers one
    private final int knownCount;
    private final LinearizedSet placed;
    private final Memo memo = new Memo();
    private final List<Frame<S>> frames = new ArrayList<>();
    private final int[] window;
    private final int[] barrier = new int[1];
    private final long[][] keys = new long[2][];
    private int framesMade;
    private long steps;
    private int deepest = -1;
    private String deepestStory = "";

    Search(Model<S, I, O> model, List<Operation<I, O>> ops, long maxSteps) {
      this.model = model;
      this.ops = ops;
      this.maxSteps = maxSteps;
      int n = ops.size();
      this.events = new EventList(ops);
      this.window = new int[n];
      this.slot = new int[n];
      this.twin = new int[n];
      this.offered = new int[n];
      Integer[] byInvoke = new Integer[n];
      Map<List<Object>, Integer> firsts = new HashMap<>();
      for (int i = 0; i < n; i++) {
        byInvoke[i] = i;
        Operation<I, O> op = ops.get(i);
        Integer first = op.isIndeterminate()
            ? firsts.putIfAbsent(List.of(op.input(), op.complete()), i) : null;
        twin[i] = first == null ? i : first;
      }
      Arrays.sort(byInvoke, (a, b) -> Long.compare(ops.get(a).invoke(),
          ops.get(b).invoke()));
      int known = 0;
      int lost = 0;
      for (int i : byInvoke) {
        slot[i] = ops.get(i).isIndeterminate() ? lost++ : known++;
      }
      this.knownCount = known;
      this.placed = new LinearizedSet(known, lost);
    }

    Verdict run() {
      int depth = 0;
      Frame<S> f = frame(0, model.init());
      f.knownKey = placed.knownKey();
      f.lostKey = placed.lostKey();
      while (true) {
        if (placed.placedKnown() == knownCount) {
          return new Verdict(Verdict.Kind.OK, "linearizable: " + knownCount
              + " operations with known outcomes placed, " + (ops.size() - knownCount)
              + " indeterminate", steps);
        }
        S next = null;
        while (next == null) {
          if (f.successor < f.successors.size()) {
            S candidate = f.successors.get(f.successor++);
            if (!f.dropping && isLost(f.op) && candidate.equals(f.state)) {
              continue;
            }
            mark(f.op, true);
            long[] knownKey = placed.knownKey();
            long[] lostKey = placed.lostKey();
            if (!memo.failed(knownKey, lostKey, candidate)) {
              next = candidate;
              keys[0] = knownKey;
              keys[1] = lostKey;
            } else {
              mark(f.op, false);
            }
          } else if (!f.commit && f.cursor < f.moveCount) {
            if (++steps > maxSteps) {
              String story = depth + 1 > deepest ? story(depth, false) : deepestStory;
              return new Verdict(Verdict.Kind.UNKNOWN, "search budget of " + maxSteps
                  + " steps exhausted; " + story, maxSteps);
            }
            choose(f, f.moves[f.cursor++]);
          } else {
            if (depth + 1 > deepest) {
              deepest = depth + 1;
              deepestStory = story(depth, true);
            }
            memo.fail(f.knownKey, f.lostKey, f.state);
            if (depth == 0) {
              return new Verdict(Verdict.Kind.VIOLATION, "not linearizable: " + deepestStory,
                  steps);
            }
            f = frames.get(--depth);
            events.unlift(f.op);
            mark(f.op, false);
          }
        }
        events.lift(f.op);
        f = frame(++depth, next);
        f.knownKey = keys[0];
        f.lostKey = keys[1];
      }
    }

    private void choose(Frame<S> f, int move) {
      f.dropping = move < 0;
      f.op = f.dropping ? ~move : move;
      f.successor = 0;
      if (f.dropping) {
        f.commit = false;
        f.successors = List.of(f.state);
        return;
      }
      Operation<I, O> op = ops.get(f.op);
      f.successors = model.step(f.state, op.input(), op.output());
      f.commit = !op.isIndeterminate() && f.successors.size() == 1
          && model.readOnly(op.input(), op.output()) && f.successors.get(0).equals(f.state);
    }

    private boolean isLost(int op) {
      return ops.get(op).isIndeterminate();
    }

    private void mark(int op, boolean on) {
      if (isLost(op)) {
        if (on) {
          placed.addLost(slot[op]);
        } else {
          placed.removeLost(slot[op]);
        }
      } else if (on) {
        placed.addKnown(slot[op]);
      } else {
        placed.removeKnown(slot[op]);
      }
    }

    /**
     * Prepares the frame at this depth: known-outcome calls first, since they decide quickly
     * whether a state is viable; then dropping an indeterminate call whose deadline has come; then
     * indeterminate calls. All in invoke order, which on random register histories with many lost
     * calls took several times fewer steps than newest-first, or than known calls by completion.
     * Of indeterminate calls alike in input and deadline only one is offered: they are
     * interchangeable.
     */
    private Frame<S> frame(int depth, S state) {
      if (depth == frames.size()) {
        frames.add(new Frame<>());
      }
      Frame<S> f = frames.get(depth);
      f.state = state;
      f.cursor = 0;
      f.op = -1;
      f.commit = false;
      f.dropping = false;
      f.successors = List.of();
      f.successor = 0;
      int count = events.window(window, barrier);
      f.barrier = barrier[0];
      if (f.moves.length < count + 1) {
        f.moves = new int[Math.max(count + 1, 2 * f.moves.length)];
      }
      int m = 0;
      for (int k = 0; k < count; k++) {
        if (!isLost(window[k])) {
          f.moves[m++] = window[k];
        }
      }
      f.known = m;
      if (f.barrier >= 0 && isLost(f.barrier)) {
        f.moves[m++] = ~f.barrier;
      }
      int frameStamp = ++framesMade;
      for (int k = 0; k < count; k++) {
        int op = window[k];
        if (isLost(op) && offered[twin[op]] != frameStamp) {
          offered[twin[op]] = frameStamp;
          f.moves[m++] = op;
        }
      }
      f.moveCount = m;
      return f;
    }

    /** The path to the frame at this depth, and what could not follow it, for one log line. */
    private String story(int depth, boolean stuck) {
      StringBuilder b = new StringBuilder();
      int placedCount = 0;
      for (int d = 0; d < depth; d++) {
        if (!frames.get(d).dropping) {
          placedCount++;
        }
      }
      b.append("the longest linearizable prefix found places ").append(placedCount).append(" of ")
          .append(ops.size()).append(" operations");
      if (depth > 0) {
        b.append(", ending ");
        for (int d = Math.max(0, depth - SHOWN_PREFIX); d < depth; d++) {
          Frame<S> p = frames.get(d);
          b.append(d > Math.max(0, depth - SHOWN_PREFIX) ? "; " : "")
              .append(p.dropping ? "(dropped) " : "").append(ops.get(p.op));
        }
      }
      Frame<S> f = frames.get(depth);
      b.append("; state then ").append(f.state);
      if (!stuck) {
        return b.toString();
      }
      b.append("; none of these could be placed next: ");
      int shown = 0;
      for (int k = 0; k < f.known && shown < SHOWN_STUCK; k++) {
        b.append(shown++ > 0 ? "; " : "").append(ops.get(f.moves[k]));
      }
      if (f.known > shown) {
        b.append(" (and ").append(f.known - shown).append(" more)");
      }
      if (f.known == 0 && f.barrier >= 0) {
        b.append(ops.get(f.barrier));
      }
      return b.toString();
    }
  }
}
