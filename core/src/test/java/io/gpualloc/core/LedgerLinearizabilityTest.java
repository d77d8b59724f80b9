package io.gpualloc.core;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Invariant 4 with a linearizability checker: Lincheck runs small concurrent scenarios of {@code
 * allocate}, {@code release} and the lock-free {@code freeCpuMilli} read on one {@link
 * ClusterState} and checks that every outcome equals some sequential execution of the same
 * operations (the sequential specification is this class run on one thread).
 *
 * <p>Opt-in, because Lincheck instruments every class it runs and takes minutes on a loaded 2-core
 * machine: {@code mvn -pl core verify -Dtest=LedgerLinearizabilityTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dgpualloc.lincheck=true}. The always-on check of
 * invariant 4 is {@link LedgerConcurrencyTest}.
 */
@Param(name = "id", gen = IntGen.class, conf = "0:3")
@Param(name = "gpu", gen = IntGen.class, conf = "0:1")
public class LedgerLinearizabilityTest {
  private static final Cluster CLUSTER = Cluster.of(Node.builder("n").cpuMilli(3000)
      .memoryMib(1024).gpus(2, GpuModelCatalog.builtIn().get("A100-80GB")).build());

  private final ClusterState state = new ClusterState(CLUSTER);

  /** A fresh, empty ledger; Lincheck creates one per scenario. */
  public LedgerLinearizabilityTest() {}

  /** Allocates GPU {@code gpu} whole with 1000 millicores under id {@code id}. */
  @Operation
  public String allocateWhole(@Param(name = "id") int id, @Param(name = "gpu") int gpu) {
    return outcome(() -> state.allocate(
        Placement.builder("a" + id, 0).cpuMilli(1000).whole(gpu).build()));
  }

  /** Allocates a 400-milli share of GPU {@code gpu} with 1000 millicores under id {@code id}. */
  @Operation
  public String allocateShare(@Param(name = "id") int id, @Param(name = "gpu") int gpu) {
    return outcome(() -> state.allocate(
        Placement.builder("a" + id, 0).cpuMilli(1000).share(gpu, 400, 0).build()));
  }

  /** Releases id {@code id}. */
  @Operation
  public String release(@Param(name = "id") int id) {
    return outcome(() -> state.release("a" + id));
  }

  /** The lock-free read. */
  @Operation
  public int freeCpu() {
    return state.freeCpuMilli(0);
  }

  /**
   * Free whole GPUs and free CPU read from one snapshot: a consistent pair. (Read lock-free one
   * after the other they are not: a reader can see an in-flight allocate's GPU but not yet its CPU,
   * which no sequential order explains. Lincheck finds that interleaving at once; the javadoc of
   * {@link ClusterState} says to take a snapshot for a consistent picture.)
   */
  @Operation
  public String snapshotWholeAndCpu() {
    ClusterSnapshot s = state.snapshot();
    return s.freeWholeGpus(0) + "/" + s.freeCpuMilli(0);
  }

  private static String outcome(Runnable r) {
    try {
      r.run();
      return "ok";
    } catch (GpuallocException e) {
      return e.getClass().getSimpleName();
    }
  }

  private static void optIn() {
    Assumptions.assumeTrue(Boolean.getBoolean("gpualloc.lincheck"),
        "Lincheck is opt-in: -Dgpualloc.lincheck=true");
  }

  @Test
  void modelChecking() {
    optIn();
    new ModelCheckingOptions().iterations(12).invocationsPerIteration(200)
        .threads(2).actorsPerThread(3).check(this.getClass());
  }

  @Test
  void stress() {
    optIn();
    new StressOptions().iterations(12).invocationsPerIteration(500)
        .threads(3).actorsPerThread(3).check(this.getClass());
  }
}
