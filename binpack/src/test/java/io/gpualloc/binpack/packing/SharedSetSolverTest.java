package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The exact solver on a sample of each standard set: lb <= opt <= ub, feasible answers. */
class SharedSetSolverTest {

  static {
    // OR-Tools' native library is loaded outside every budget: these tests check answers, and
    // the first call's load would otherwise eat a short budget on a loaded machine
    // (BudgetCheck in benchmarks measures the first call).
    CpSatPacker.preload();
  }
  private static final SolverOptions QUICK =
      SolverOptions.defaults().withTimeLimit(Duration.ofMillis(1500)).withWorkers(1);

  @Test
  void boundsBracketTheKnownOptimumOnASampleOfEverySet() {
    Path root = SharedSets.root();
    String[] sets = {"bpplib/falkenauer_u", "bpplib/falkenauer_t", "bpplib/scholl1_subset",
        "bpplib/hard28", "bpplib/schwerin1_subset", "vbp/ct01_caprara_toth_2d",
        "vbp/mommessin_panigrahy_subset", "vbp/mommessin_triplet_subset"};
    int checked = 0;
    for (String s : sets) {
      Path set = root.resolve(s);
      List<Map<String, String>> rows = SharedSets.optima(set);
      rows.removeIf(r -> r.getOrDefault("opt", "").isEmpty());
      // two instances per set: the first and the middle one of optima.csv
      for (Map<String, String> row : List.of(rows.get(0), rows.get(rows.size() / 2))) {
        PackingInstance in = SharedSets.read(set, row);
        int opt = Integer.parseInt(row.get("opt"));
        PackingResult r = CpSatPacker.solve(in, QUICK);
        String id = s + "/" + in.name() + " " + r;
        assertEquals(List.of(), r.packing().violations(in), id);
        assertTrue(r.lowerBound() <= opt, id);
        assertTrue(opt <= r.upperBound(), id);
        if (r.isOptimal()) {
          assertEquals(opt, r.upperBound(), id);
        }
        checked++;
      }
    }
    assertEquals(16, checked);
  }
}
