package dev.paddock.sim.check;

import static dev.paddock.sim.check.Znodes.BAD_VERSION;
import static dev.paddock.sim.check.Znodes.NODE_EXISTS;
import static dev.paddock.sim.check.Znodes.NO_NODE;
import static dev.paddock.sim.check.Znodes.absent;
import static dev.paddock.sim.check.Znodes.call;
import static dev.paddock.sim.check.Znodes.cas;
import static dev.paddock.sim.check.Znodes.check;
import static dev.paddock.sim.check.Znodes.closed;
import static dev.paddock.sim.check.Znodes.create;
import static dev.paddock.sim.check.Znodes.delete;
import static dev.paddock.sim.check.Znodes.ephemeral;
import static dev.paddock.sim.check.Znodes.exists;
import static dev.paddock.sim.check.Znodes.get;
import static dev.paddock.sim.check.Znodes.lost;
import static dev.paddock.sim.check.Znodes.multi;
import static dev.paddock.sim.check.Znodes.ok;
import static dev.paddock.sim.check.Znodes.results;
import static dev.paddock.sim.check.Znodes.set;
import static dev.paddock.sim.check.Znodes.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.paddock.sim.check.ZnodeModel.Input;
import dev.paddock.sim.check.ZnodeModel.Output;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Small znode histories whose verdict is known by reasoning. */
class ZnodeHistoryTest {
  private static void assertOk(List<Operation<Input, Output>> h) {
    Verdict v = check(h);
    assertEquals(Verdict.Kind.OK, v.kind(), v::toString);
  }

  private static Verdict assertViolation(List<Operation<Input, Output>> h) {
    Verdict v = check(h);
    assertEquals(Verdict.Kind.VIOLATION, v.kind(), v::toString);
    return v;
  }

  @Test
  void emptyHistoryIsLinearizable() {
    assertOk(List.of());
  }

  @Test
  void concurrentSetsMayTakeEffectInEitherOrder() {
    // the later-invoked set took effect first, as its version says
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 60, set("b"), ok(2)),
        call(2, 25, 50, set("c"), ok(1)),
        call(3, 70, 80, get(), value("b", 2))));
  }

  @Test
  void aReadDuringTwoWritesMaySeeEither() {
    for (String seen : List.of("x", "y")) {
      int version = seen.equals("x") ? 1 : 2;
      assertOk(List.of(
          call(0, 0, 10, create("a"), ok(0)),
          call(1, 20, 60, set("x"), ok(1)),
          call(2, 20, 60, set("y"), ok(2)),
          call(3, 30, 50, get(), value(seen, version))));
    }
  }

  @Test
  void aLostWriteMayTakeEffectLate() {
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        lost(1, 20, set("late")),
        call(2, 30, 40, get(), value("a", 0)),
        call(2, 500, 510, get(), value("late", 1))));
  }

  @Test
  void aLostWriteMayNeverTakeEffect() {
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        lost(1, 20, set("never")),
        lost(1, 30, 90, delete()),
        call(2, 100, 110, set("b"), ok(1)),
        call(2, 500, 510, get(), value("b", 1))));
  }

  @Test
  void aLostWriteWithADeadlineTakesEffectBeforeItOrNever() {
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        lost(1, 20, 100, set("x")),
        call(2, 50, 60, get(), value("a", 0)),
        call(2, 90, 200, get(), value("x", 1))));
    assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        lost(1, 20, 100, set("x")),
        call(2, 110, 120, get(), value("a", 0)),
        call(2, 130, 140, get(), value("x", 1))));
  }

  @Test
  void exactlyOneOfRacingCompareAndSetsWins() {
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 40, cas("b", 0), BAD_VERSION),
        call(2, 21, 39, cas("c", 0), ok(1)),
        call(3, 22, 38, cas("d", 0), BAD_VERSION),
        call(1, 50, 60, get(), value("c", 1))));
  }

  @Test
  void racingCreatesHaveOneWinner() {
    assertOk(List.of(
        call(1, 0, 30, create("a"), NODE_EXISTS),
        call(2, 1, 29, ephemeral("b", 7), ok(0)),
        call(3, 40, 50, get(), value("b", 0))));
  }

  @Test
  void recreatingStartsAgainAtVersionZero() {
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(0, 20, 30, set("b"), ok(1)),
        call(0, 40, 50, delete(), ok(0)),
        call(0, 60, 70, get(), NO_NODE),
        call(0, 80, 90, create("c"), ok(0)),
        call(0, 100, 110, get(), value("c", 0))));
    assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(0, 20, 30, set("b"), ok(1)),
        call(0, 40, 50, delete(1), ok(1)),
        call(0, 80, 90, create("c"), ok(0)),
        call(0, 100, 110, get(), value("c", 2))));
  }

  @Test
  void anEphemeralGoesWithItsSession() {
    assertOk(List.of(
        call(0, 0, 10, ephemeral("e", 7), ok(0)),
        call(1, 20, 60, closed(7), ok(0)),
        call(2, 30, 40, get(), value("e", 0)),
        call(2, 45, 50, get(), NO_NODE),
        call(2, 70, 80, absent(), ok(0))));
  }

  @Test
  void aMultiMayTouchTheKeyTwice() {
    assertOk(List.of(
        call(0, 0, 10, multi(create("a"), set("b")), results(ok(0), ok(1))),
        call(1, 20, 30, multi(cas("c", 1), delete(2)), results(ok(2), ok(2))),
        call(1, 40, 50, get(), NO_NODE)));
  }

  @Test
  void aFailedMultiChangesNothing() {
    List<Operation<Input, Output>> prefix = List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 30, multi(set("x"), delete(5)), results(ok(1), BAD_VERSION)),
        call(1, 35, 38, multi(exists(), absent()), results(ok(0), NODE_EXISTS)));
    List<Operation<Input, Output>> clean = new ArrayList<>(prefix);
    clean.add(call(1, 40, 50, get(), value("a", 0)));
    assertOk(clean);
    List<Operation<Input, Output>> leaked = new ArrayList<>(prefix);
    leaked.add(call(1, 40, 50, get(), value("x", 1)));
    assertViolation(leaked);
  }

  @Test
  void staleReadAfterACompletedWrite() {
    assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 30, set("b"), ok(1)),
        call(2, 40, 50, get(), value("a", 0))));
  }

  @Test
  void twoCompareAndSetsCannotBothWinFromOneVersion() {
    assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 40, cas("b", 0), ok(1)),
        call(2, 21, 39, cas("c", 0), ok(1))));
  }

  @Test
  void anAcknowledgedWriteCannotBeLost() {
    Verdict v = assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(1, 20, 30, set("b"), ok(1)),
        call(2, 40, 50, set("c"), ok(1)),
        call(3, 60, 70, get(), value("c", 1))));
    assertTrue(v.explanation().contains("Set[value=c"), v::toString);
  }

  @Test
  void aReadCannotSeeAValueNoOneWrote() {
    Verdict v = assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        lost(1, 5, set("b")),
        call(2, 20, 30, get(), value("z", 1))));
    assertTrue(v.explanation().contains("Value[value=z, version=1]"), v::toString);
    assertTrue(v.explanation().contains("places 2 of 3"), v::toString);
  }

  @Test
  void versionsDoNotGoBackwards() {
    assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(0, 20, 30, set("a"), ok(1)),
        call(0, 40, 50, set("a"), ok(2)),
        call(1, 35, 100, get(), value("a", 2)),
        call(2, 110, 120, get(), value("a", 1))));
  }

  @Test
  void anEphemeralCannotOutliveItsClosedSession() {
    assertViolation(List.of(
        call(0, 0, 10, ephemeral("e", 7), ok(0)),
        call(1, 20, 30, closed(7), ok(0)),
        call(2, 40, 50, get(), value("e", 0))));
    // nor can a create the session lost track of bring it back after the close
    assertViolation(List.of(
        lost(0, 0, ephemeral("e", 7)),
        call(1, 20, 30, closed(7), ok(0)),
        call(2, 40, 50, exists(), ok(0))));
  }

  @Test
  void aDeleteMayOmitTheVersionItDeleted() {
    assertOk(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(0, 20, 30, set("b"), ok(1)),
        call(0, 40, 50, delete(), ok(0))));
    assertViolation(List.of(
        call(0, 0, 10, create("a"), ok(0)),
        call(0, 20, 30, set("b"), ok(1)),
        call(0, 40, 50, delete(), ok(2))));
  }
}
