package dev.paddock.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The command line of {@code bench/run.sh}: options and the scenarios to run, in order. */
record BenchOptions(Load.Settings load, int failovers, String heap, Set<String> products,
    Path jfrDir, boolean keep, Driver.Factory typed, List<String> nodeArgs,
    List<String> scenarios, boolean tls, int znodes, Duration casTime, Duration pausedTime) {

  static final List<String> SCENARIOS = List.of("typed-standalone", "typed-ensemble",
      "wire-standalone", "wire-ensemble", "wire-ensemble-5", "latency", "cas", "memory");

  static final String USAGE = "usage: bench/run.sh [--seconds=10] [--warmup=5] [--clients=4] "
      + "[--outstanding=200] [--size=100] [--failovers=3] [--quiet-wait=0] [--heap=1g] "
      + "[--products=paddock,zookeeper] [--typed-api=ask|facade] "
      + "[--ops=create,setData,getData,mixed] [--node-arg=-Dkey=value]... [--jfr=DIR] [--keep] "
      + "[--tls] [--znodes=500000] [--cas-seconds=30] [--paused-seconds=65] "
      + String.join("|", SCENARIOS) + "|all ...";

  /** The same options with another load (no TLS: only the wire scenarios use it). */
  BenchOptions withLoad(Load.Settings other) {
    return new BenchOptions(other, failovers, heap, products, jfrDir, keep, typed, nodeArgs,
        scenarios, false, znodes, casTime, pausedTime);
  }

  static BenchOptions parse(String[] args) {
    int seconds = 10;
    int warmup = 5;
    int clients = 4;
    int outstanding = 200;
    int size = 100;
    int failovers = 3;
    int quietWait = 0;
    int znodes = 500_000;
    int casSeconds = 30;
    int pausedSeconds = 65;
    String heap = "1g";
    Set<String> products = new LinkedHashSet<>(List.of("paddock", "zookeeper"));
    Path jfr = null;
    boolean keep = false;
    boolean tls = false;
    Driver.Factory typed = TypedDriver.FACTORY;
    Set<Load.Op> ops = EnumSet.allOf(Load.Op.class);
    List<String> nodeArgs = new ArrayList<>();
    Set<String> scenarios = new LinkedHashSet<>();
    for (String a : args) {
      if (a.startsWith("--")) {
        int eq = a.indexOf('=');
        String key = eq < 0 ? a.substring(2) : a.substring(2, eq);
        String value = eq < 0 ? "" : a.substring(eq + 1);
        switch (key) {
          case "seconds" -> seconds = positive(key, value);
          case "warmup" -> warmup = Integer.parseInt(value);
          case "clients" -> clients = positive(key, value);
          case "outstanding" -> outstanding = positive(key, value);
          case "size" -> size = Integer.parseInt(value);
          case "failovers" -> failovers = Integer.parseInt(value);
          case "quiet-wait" -> quietWait = Integer.parseInt(value);
          case "heap" -> heap = value;
          case "products" -> products = new LinkedHashSet<>(Arrays.asList(value.split(",")));
          case "jfr" -> jfr = Path.of(value).toAbsolutePath();
          case "keep" -> keep = true;
          case "node-arg" -> {
            if (!value.startsWith("-D") || value.indexOf('=') < 3) {
              throw new IllegalArgumentException("--node-arg takes -Dkey=value");
            }
            nodeArgs.add(value);
          }
          case "ops" -> {
            ops = EnumSet.noneOf(Load.Op.class);
            for (String name : value.split(",")) {
              ops.add(Arrays.stream(Load.Op.values()).filter(x -> x.label.equals(name))
                  .findFirst().orElseThrow(() -> new IllegalArgumentException(
                      "--ops takes create,setData,getData,mixed")));
            }
          }
          case "typed-api" -> typed = switch (value) {
            case "ask" -> TypedDriver.FACTORY;
            case "facade" -> FacadeDriver.FACTORY;
            default -> throw new IllegalArgumentException("--typed-api is ask or facade");
          };
          case "tls" -> tls = true;
          case "znodes" -> znodes = positive(key, value);
          case "cas-seconds" -> casSeconds = Integer.parseInt(value);
          case "paused-seconds" -> pausedSeconds = Integer.parseInt(value);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      } else if (a.equals("all")) {
        scenarios.addAll(SCENARIOS);
      } else if (SCENARIOS.contains(a) || a.equals("transport") || a.equals("tree")) {
        scenarios.add(a);
      } else {
        throw new IllegalArgumentException("unknown scenario " + a);
      }
    }
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("no scenario given");
    }
    for (String p : products) {
      if (!p.equals("paddock") && !p.equals("zookeeper")) {
        throw new IllegalArgumentException("unknown product " + p);
      }
    }
    return new BenchOptions(new Load.Settings(clients, outstanding, size,
        Duration.ofSeconds(warmup), Duration.ofSeconds(seconds), Duration.ofSeconds(quietWait),
        ops), failovers, heap, products, jfr, keep, typed, List.copyOf(nodeArgs),
        List.copyOf(scenarios), tls, znodes, Duration.ofSeconds(casSeconds),
        Duration.ofSeconds(pausedSeconds));
  }

  private static int positive(String key, String value) {
    int v = Integer.parseInt(value);
    if (v <= 0) {
      throw new IllegalArgumentException("--" + key + " must be positive");
    }
    return v;
  }
}
