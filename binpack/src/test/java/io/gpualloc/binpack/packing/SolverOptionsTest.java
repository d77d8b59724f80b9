package io.gpualloc.binpack.packing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.gpualloc.core.InvalidSpecException;
import java.time.Duration;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The deterministic-time limit: absent by default, kept by every copy, validated. */
class SolverOptionsTest {

  @Test
  void noDeterministicLimitUnlessAsked() {
    SolverOptions d = SolverOptions.defaults();
    assertEquals(OptionalDouble.empty(), d.deterministicTime());
    assertEquals(d, new SolverOptions(Duration.ofSeconds(10), 1, 0, 300_000,
        SolverOptions.Model.AUTO));
    assertEquals(OptionalDouble.empty(), d.withTimeLimit(Duration.ofSeconds(2)).withWorkers(2)
        .withSeed(5).withModel(SolverOptions.Model.ASSIGNMENT).deterministicTime());
  }

  @Test
  void everyCopyKeepsTheLimit() {
    SolverOptions o = SolverOptions.defaults().withDeterministicTime(0.5)
        .withTimeLimit(Duration.ofSeconds(2)).withWorkers(3).withSeed(9)
        .withModel(SolverOptions.Model.ARC_FLOW);
    assertEquals(OptionalDouble.of(0.5), o.deterministicTime());
    assertEquals(Duration.ofSeconds(2), o.timeLimit());
    assertEquals(3, o.workers());
    assertEquals(9, o.seed());
    assertEquals(OptionalDouble.of(2.0), o.withDeterministicTime(2).deterministicTime());
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY})
  void aLimitThatIsNotFiniteAndPositiveIsATypedError(double seconds) {
    SolverOptions before = SolverOptions.defaults();
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> before.withDeterministicTime(seconds));
    assertEquals("deterministicTime of solver options is " + seconds
        + "; allowed: a finite number > 0", e.getMessage());
    assertEquals(OptionalDouble.empty(), before.deterministicTime());
  }

  @Test
  void aNullLimitIsATypedError() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> new SolverOptions(Duration.ofSeconds(1), 1, 0, 10, SolverOptions.Model.AUTO, null));
    assertEquals("deterministicTime of solver options is null; allowed: OptionalDouble.empty()"
        + " or a finite number > 0", e.getMessage());
  }
}
