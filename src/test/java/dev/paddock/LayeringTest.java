package dev.paddock;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * How the main packages may depend on each other, so that each can be read knowing only those
 * beneath it, and the pure ones can be tested without an actor system.
 */
@AnalyzeClasses(packages = "dev.paddock", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {

  /** Lowest first. A package imports only from its own layer and the layers below it. */
  private static final List<List<String>> LAYERS = List.of(
      List.of("api"),
      List.of("security"),
      List.of("txn"),
      List.of("tree"),
      List.of("request"),
      List.of("session"),
      List.of("storage"),
      List.of("txnlog"),
      List.of("peers"),
      List.of("election", "zab"),
      List.of("backup"),
      List.of("codec", "wire", "client", "door", "metrics", "cli"),
      List.of("admin"),
      List.of("node"));

  /** Their classes import no Pekko, apart from the actor shells below. */
  private static final List<String> PURE = List.of(
      "api", "security", "txn", "tree", "request", "election", "session", "zab");

  /**
   * Top-level classes (with their nested classes) that are actors or wire actors together.
   * Listed by name so that every class added to the pure packages is checked.
   */
  private static final Set<String> ACTOR_SHELLS = Set.of(
      "ElectionActor",
      "SessionActor", "SessionTrackerActor", "DataTreeActor",
      // the per-actor-system holder of the request gate every front door shares
      "ClientLoad",
      // the session's replies to its front door, which carry the session's ActorRef
      "SessionOutput",
      "LeaderActor", "FollowerActor", "ProposalQueue", "Zab",
      // the leader's handle on a learner's ProposalQueue
      "RoleShell", "ZabStats");

  @ArchTest
  static final ArchRule noCyclesBetweenTopLevelPackages = slices()
      .matching("dev.paddock.(*)..")
      .should().beFreeOfCycles();

  @ArchTest
  static final ArchRule everyPackageIsInALayer = classes()
      .should().resideInAnyPackage(packages(LAYERS.stream().flatMap(List::stream).toList()))
      .as("every package of dev.paddock is in a layer of " + LayeringTest.class.getSimpleName());

  @ArchTest
  static final ArchRule layersImportOnlyDownwards = layerRules();

  @ArchTest
  static final ArchRule pureClassesImportNoPekko = noClasses()
      .that().resideInAnyPackage(packages(PURE))
      .and(not(actorShell()))
      .should().dependOnClassesThat().resideInAPackage("org.apache.pekko..")
      .because("only the actor shells " + new TreeSet<>(ACTOR_SHELLS) + " may use Pekko there");

  @ArchTest
  static final ArchRule storageKnowsNothingOfZab = noClasses()
      .that().resideInAPackage("dev.paddock.storage..")
      .should().dependOnClassesThat()
      .resideInAnyPackage("dev.paddock.zab..", "dev.paddock.election..");

  /** A shell that no longer exists would silently exempt the next class given its name. */
  @ArchTest
  static void everyActorShellExists(JavaClasses all) {
    Set<String> found = new TreeSet<>();
    for (JavaClass c : all) {
      if (c.getPackageName().startsWith("dev.paddock.")
          && PURE.contains(c.getPackageName().split("\\.")[2])) {
        found.add(topLevelName(c));
      }
    }
    Set<String> missing = new TreeSet<>(ACTOR_SHELLS);
    missing.removeAll(found);
    assertEquals(Set.of(), missing, "actor shells listed but not found");
  }

  private static ArchRule layerRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (int i = 0; i < LAYERS.size() - 1; i++) {
      List<String> above = LAYERS.subList(i + 1, LAYERS.size()).stream()
          .flatMap(List::stream).toList();
      rules.add(noClasses()
          .that().resideInAnyPackage(packages(LAYERS.get(i)))
          .should().dependOnClassesThat().resideInAnyPackage(packages(above))
          .as(String.join(" and ", LAYERS.get(i)) + " import nothing from " + above));
    }
    return CompositeArchRule.of(rules).as("packages import only from the layers below them");
  }

  private static DescribedPredicate<JavaClass> actorShell() {
    return describe("actor shells", c -> ACTOR_SHELLS.contains(topLevelName(c)));
  }

  /** Nested, local and anonymous classes belong to the top-level class they are written in. */
  private static String topLevelName(JavaClass c) {
    String simple = c.getName().substring(c.getPackageName().length() + 1);
    int nested = simple.indexOf('$');
    return nested < 0 ? simple : simple.substring(0, nested);
  }

  private static String[] packages(List<String> names) {
    return names.stream().map(n -> "dev.paddock." + n + "..").toArray(String[]::new);
  }
}
