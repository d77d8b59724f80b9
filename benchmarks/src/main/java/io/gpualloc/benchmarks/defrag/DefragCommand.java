package io.gpualloc.benchmarks.defrag;

import io.gpualloc.benchmarks.replay.Inflation;
import io.gpualloc.benchmarks.replay.OpenbModels;
import io.gpualloc.benchmarks.replay.OpenbPod;
import io.gpualloc.benchmarks.replay.OpenbReader;
import io.gpualloc.benchmarks.replay.Replay;
import io.gpualloc.benchmarks.replay.SyntheticOpenb;
import io.gpualloc.binpack.Fragmentation;
import io.gpualloc.binpack.Policies;
import io.gpualloc.binpack.PolicyConfig;
import io.gpualloc.binpack.defrag.DefragGoal;
import io.gpualloc.binpack.defrag.DefragPlan;
import io.gpualloc.binpack.defrag.DefragPlanners;
import io.gpualloc.binpack.defrag.DefragProblem;
import io.gpualloc.binpack.packing.SolverOptions;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Decision;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.PlacementPolicy;
import io.gpualloc.core.Request;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The {@code defrag} command: snapshots of the openb cluster at several loads (the FGD replay of
 * the default trace, stopped when the arrived GPU request reaches the load), and for each the
 * goals "place a waiting 4-GPU pod", "place a waiting 8-GPU pod", "empty 10 nodes more than are
 * empty already" and "halve the fragmentation measure", planned by every defrag planner. Prints a table and writes {@code
 * defrag.csv} and {@code defrag.md}.
 *
 * <p>openb has no priorities: each pod gets one of 0..3 from the seed. Costs are the default
 * ({@code 1 + priority} per move, ten times that per eviction); every allocation may move and
 * evictions are allowed, so all three planners answer the same problem.
 */
public final class DefragCommand {
  private DefragCommand() {}

  /** One row of the results. */
  record Row(int load, String goal, String planner, String status, int moves, int evictions,
      long cost, long bound, double seconds, String note) {}

  /**
   * Runs the command.
   *
   * @param args {@code [--data DIR] [--loads 80,90,95] [--budget SECONDS] [--workers N]
   *     [--seed N] [--out DIR]}
   * @param out the table
   * @param err errors
   * @return the exit status
   */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    Path data = null;
    String shared = System.getProperty("gpualloc.shared");
    if (shared != null) {
      data = Path.of(shared, "traces", "openb");
    }
    List<Integer> loads = List.of(80, 90, 95);
    int budget = 10;
    int workers = 2;
    long seed = 42;
    Path outDir = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      String v = i + 1 < args.length ? args[i + 1] : null;
      if (a.equals("--help") || a.equals("-h")) {
        out.println("defrag [--data DIR] [--loads 80,90,95] [--budget SECONDS] [--workers N]"
            + " [--seed N] [--out DIR]");
        return 0;
      }
      if (v == null) {
        err.println("defrag: " + a + " needs a value; run defrag --help");
        return 2;
      }
      try {
        switch (a) {
          case "--data" -> data = Path.of(v);
          case "--loads" -> {
            List<Integer> l = new ArrayList<>();
            for (String s : v.split(",")) {
              int x = Integer.parseInt(s.trim());
              if (x < 1 || x > 100) {
                throw new NumberFormatException("load " + x + " outside 1..100");
              }
              l.add(x);
            }
            loads = l;
          }
          case "--budget" -> budget = Integer.parseInt(v);
          case "--workers" -> workers = Integer.parseInt(v);
          case "--seed" -> seed = Long.parseLong(v);
          case "--out" -> outDir = Path.of(v);
          default -> {
            err.println("defrag: unknown option " + a + "; allowed: --data, --loads, --budget,"
                + " --workers, --seed, --out");
            return 2;
          }
        }
      } catch (NumberFormatException e) {
        err.println("defrag: " + a + " " + v + " is not allowed: " + e.getMessage());
        return 2;
      }
      i++;
    }
    if (budget < 1 || workers < 1) {
      err.println("defrag: --budget and --workers must be >= 1");
      return 2;
    }
    Replay.Trace trace;
    String source;
    Path nodes = data == null ? null : data.resolve("openb_node_list_gpu_node.csv");
    if (nodes != null && Files.isRegularFile(nodes)) {
      trace = Replay.Trace.of("default", OpenbModels.cluster(OpenbReader.readNodes(nodes)),
          OpenbReader.readPods(data.resolve("openb_pod_list_default.csv")));
      source = "openb trace " + data.normalize() + " (default pod list)";
    } else {
      out.println("defrag: no openb trace at " + data + "; using the built-in synthetic"
          + " workload (same statistics, not the real trace)");
      trace = Replay.Trace.of("builtin", OpenbModels.cluster(SyntheticOpenb.nodes()),
          SyntheticOpenb.pods(2023));
      source = "built-in synthetic openb workload";
    }
    SolverOptions options = SolverOptions.defaults().withTimeLimit(Duration.ofSeconds(budget))
        .withWorkers(workers).withSeed(seed);
    List<Row> rows = new ArrayList<>();
    out.printf(Locale.ROOT, "%-5s %-30s %-22s %-22s %6s %6s %8s %8s %8s%n", "load", "goal",
        "planner", "status", "moves", "evicts", "cost", "bound", "time s");
    for (int load : loads) {
      Snapshot s = snapshot(trace, seed, load);
      long frag = Fragmentation.cluster(s.ledger, trace.workload());
      int empty = 0;
      for (int n = 0; n < s.ledger.cluster().nodeIdBound(); n++) {
        empty += s.ledger.cluster().isLive(n) && s.ledger.allocationsOn(n).isEmpty() ? 1 : 0;
      }
      List<DefragGoal> goals = List.of(
          DefragGoal.Fit.of(pending("waiting-4gpu", 4)),
          DefragGoal.Fit.of(pending("waiting-8gpu", 8)),
          DefragGoal.EmptyNodes.any(empty + 10),
          new DefragGoal.ReduceFragmentation(trace.workload(), frag / 2));
      List<String> names = List.of("place 4-GPU pod", "place 8-GPU pod",
          "empty 10 more nodes (" + (empty + 10) + ")",
          "halve F (" + frag / 1000 + " GPU)");
      for (int g = 0; g < goals.size(); g++) {
        DefragProblem problem = DefragProblem.builder(s.ledger, goals.get(g))
            .requests(s.requests).allowEviction(true).build();
        for (String planner : DefragPlanners.names()) {
          DefragPlan p = DefragPlanners.named(planner, options).plan(problem);
          Row r = row(load, names.get(g), planner, p);
          rows.add(r);
          out.printf(Locale.ROOT, "%-5s %-30s %-22s %-22s %6d %6d %8d %8d %8.2f%n",
              load + "%", r.goal, r.planner, r.status, r.moves, r.evictions, r.cost, r.bound,
              r.seconds);
        }
      }
    }
    if (outDir != null) {
      write(outDir, rows, source, budget, workers, seed, loads, args);
      out.println("wrote " + outDir.resolve("defrag.csv") + " and " + outDir.resolve("defrag.md"));
    }
    return 0;
  }

  private static Request pending(String name, int gpus) {
    return Request.builder(name).cpuMilli(2000 * gpus).memoryMib(8192 * gpus)
        .gpu(GpuDemand.whole(gpus)).build();
  }

  private static Row row(int load, String goal, String planner, DefragPlan p) {
    double t = p.outcome().wallTime().toNanos() / 1e9;
    if (p instanceof DefragPlan.Planned pl) {
      return new Row(load, goal, planner, p.outcome().status().name()
          + (pl.outcome().phase().name().equals("GREEDY") && planner.equals("cp-sat")
              ? " (greedy's)" : ""), pl.moves(), pl.evictions(), pl.cost(),
          pl.outcome().bound(), t, pl.explanation());
    }
    DefragPlan.Rejected r = (DefragPlan.Rejected) p;
    return new Row(load, goal, planner, r.outcome().status().name(), 0, 0, -1,
        r.outcome().bound(), t, r.reason());
  }

  /**
   * A ledger at a load, and each allocation's request with its priority.
   *
   * @param ledger the ledger
   * @param requests each allocation's request, by allocation id
   */
  public record Snapshot(ClusterState ledger, Map<String, Request> requests) {}

  /**
   * The FGD replay of {@code trace} stopped when the arrived GPU request reaches {@code load}
   * percent of capacity.
   *
   * @param trace the trace
   * @param seed inflation, policy and priority seed
   * @param load percent of GPU capacity arrived
   * @return the snapshot
   */
  public static Snapshot snapshot(Replay.Trace trace, long seed, int load) {
    long capacity = trace.capacityMilli();
    List<OpenbPod> arrivals = Inflation.inflate(trace.pods(), seed, capacity, 1.3,
        Inflation.Mode.EXACT);
    PlacementPolicy fgd = Policies.named("fgd", new PolicyConfig(seed, trace.workload()));
    ClusterState ledger = new ClusterState(trace.cluster());
    SplittableRandom priorities = new SplittableRandom(seed);
    Map<String, Request> requests = new HashMap<>();
    long arrived = 0;
    for (OpenbPod pod : arrivals) {
      if (arrived * 100 >= capacity * load) {
        break;
      }
      Request r = OpenbModels.request(pod);
      int prio = priorities.nextInt(4);
      r = new Request(r.name(), r.cpuMilli(), r.memoryMib(), r.gpu(), r.modelInclude(),
          r.modelExclude(), r.uuidInclude(), r.uuidExclude(), r.topology(), prio);
      Decision d = fgd.place(r, ledger);
      if (d instanceof Decision.Placed placed) {
        ledger.allocate(placed.placement());
        requests.put(placed.placement().allocationId(), r);
      }
      arrived += pod.gpuRequestMilli();
    }
    return new Snapshot(ledger, requests);
  }

  private static void write(Path dir, List<Row> rows, String source, int budget, int workers,
      long seed, List<Integer> loads, String[] args) {
    try {
      Files.createDirectories(dir);
      StringBuilder csv = new StringBuilder(
          "load_percent,goal,planner,status,moves,evictions,cost,bound,seconds\n");
      for (Row r : rows) {
        csv.append(String.format(Locale.ROOT, "%d,%s,%s,%s,%d,%d,%d,%d,%.3f%n", r.load, r.goal,
            r.planner, r.status, r.moves, r.evictions, r.cost, r.bound, r.seconds));
      }
      Files.writeString(dir.resolve("defrag.csv"), csv);
      StringBuilder md = new StringBuilder("# Defragmentation plans on the openb cluster\n\n");
      md.append("Source: ").append(source).append(". Snapshots: the FGD replay (seed ")
          .append(seed).append(", inflation 1.3, EXACT) stopped when the arrived GPU request"
              + " reaches ").append(loads).append("% of capacity. Every allocation may move,"
              + " evictions are allowed; costs: a move 1 + priority, an eviction 10 x (1 +"
              + " priority), priorities 0..3 drawn from the seed (openb has none). CP-SAT: ")
          .append(budget).append(" s, ").append(workers).append(" workers.\n\n")
          .append("Command: `java -Dgpualloc.shared=../shared -cp benchmarks/target/"
              + "gpualloc-benchmarks.jar io.gpualloc.benchmarks.Main defrag ")
          .append(String.join(" ", args)).append("`\n\n")
          .append("Run on ").append(java.time.LocalDate.now(java.time.ZoneOffset.UTC))
          .append(" with ").append(Runtime.getRuntime().availableProcessors())
          .append(" processors visible, JDK ").append(System.getProperty("java.version"))
          .append(". Times are wall-clock seconds per plan and depend on what else the machine"
              + " runs.\n\n")
          .append("| load | goal | planner | status | moves | evictions | cost | bound |"
              + " time (s) |\n|---|---|---|---|---:|---:|---:|---:|---:|\n");
      for (Row r : rows) {
        md.append(String.format(Locale.ROOT, "| %d%% | %s | %s | %s | %d | %d | %s | %d |"
            + " %.2f |%n", r.load, r.goal, r.planner, r.status, r.moves, r.evictions,
            r.cost < 0 ? "no plan" : Long.toString(r.cost), r.bound, r.seconds));
      }
      md.append("\nEach plan's explanation or rejection, in the planner's words:\n\n");
      for (Row r : rows) {
        {
          md.append("- ").append(r.load).append("% ").append(r.goal).append(", ")
              .append(r.planner).append(": ").append(r.note).append('\n');
        }
      }
      Files.writeString(dir.resolve("defrag.md"), md);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
