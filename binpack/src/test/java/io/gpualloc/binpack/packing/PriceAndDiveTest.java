package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.binpack.packing.internal.PriceAndDive;
import io.gpualloc.binpack.packing.internal.Problem;
import io.gpualloc.binpack.solver.SolverInvariantException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Known answers of price and dive on instances the other steps of the exact packer missed. */
class PriceAndDiveTest {

  static {
    CpSatPacker.preload();
  }

  /**
   * Hard28 BPP195, BPP645, BPP832 and Scholl 2 N3W3B1R0, unproven at 60 s (Hard28) and 10 s
   * (Scholl 2) in the quiet run before price and dive: from the portfolio's packing (one bin
   * above the optimum on each), aimed at the optimum, which equals the LP bound, the search
   * reaches it (measured: 28 to 142 nodes, up to one discrepancy, 0.1 to 1.5 s).
   */
  @Test
  void reachesTheOptimumOnInstancesTheRestrictedSearchesMissed() {
    Path root = SharedSets.root();
    List<String[]> cases = List.of(new String[] {"bpplib/hard28", "Hard28_BPP195.txt"},
        new String[] {"bpplib/hard28", "Hard28_BPP645.txt"},
        new String[] {"bpplib/hard28", "Hard28_BPP832.txt"},
        new String[] {"bpplib/scholl2_subset", "N3W3B1R0.txt"});
    for (String[] c : cases) {
      Path set = root.resolve(c[0]);
      int opt = SharedSets.optimum(set, c[1]);
      PackingInstance in = PackingReaders.readBpplib(set.resolve(c[1]));
      Packing start = BinPackers.best(in);
      assertEquals(opt + 1, start.binCount(), c[1] + ": the portfolio's packing changed");
      PriceAndDive.Result r = PriceAndDive.search(new Problem(in), start, opt,
          System.nanoTime() + 120_000_000_000L);
      assertNotNull(r.packing(), c[1] + ": nothing found in " + r.nodes() + " nodes");
      assertEquals(List.of(), r.packing().violations(in), c[1]);
      assertEquals(opt, r.packing().binCount(), c[1]);
      assertEquals(opt, r.rootBound(), c[1] + ": root bound");
    }
  }

  @Test
  void aTargetBelowOneBinIsACallersBug() {
    PackingInstance in = PackingInstance.builder("one", BinType.of(10)).item(4).build();
    assertThrows(SolverInvariantException.class,
        () -> PriceAndDive.search(new Problem(in), null, 0, Long.MAX_VALUE));
  }
}
