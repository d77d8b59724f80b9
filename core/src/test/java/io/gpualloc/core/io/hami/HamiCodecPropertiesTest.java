package io.gpualloc.core.io.hami;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.gpualloc.core.ParseException;
import io.gpualloc.core.ReadLimits;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** HAMi's codecs: write then read gives the same value; any string reads or fails typed. */
class HamiCodecPropertiesTest {
  private static final ReadLimits L = ReadLimits.defaults();

  @Property(tries = 300)
  void registerCsvRoundTrips(@ForAll("plainDevices") List<HamiDevice> devices) {
    assertEquals(devices, HamiCodec.readRegister("node n", HamiCodec.writeRegisterCsv(devices), L));
  }

  @Property(tries = 300)
  void registerJsonRoundTrips(@ForAll("devices") List<HamiDevice> devices) {
    String json = HamiCodec.writeRegisterJson(devices);
    assertEquals(devices, HamiCodec.readRegister("node n", json, L));
    assertEquals(json, HamiCodec.writeRegisterJson(HamiCodec.readRegisterJson("node n", json, L)));
  }

  @Property(tries = 300)
  void allocationRoundTrips(@ForAll("allocations") List<List<ContainerDevice>> a) {
    assertEquals(a, HamiCodec.readAllocation("pod p", HamiCodec.DEVICES_TO_ALLOCATE,
        HamiCodec.writeAllocation(a), L));
  }

  @Property(tries = 500)
  void anyStringReadsOrFailsTyped(@ForAll("texts") String s) {
    try {
      HamiCodec.readRegister("node n", s, L);
    } catch (ParseException expected) {
      // typed
    }
    try {
      HamiCodec.readAllocation("pod p", "k", s, L);
    } catch (ParseException expected) {
      // typed
    }
  }

  @Provide
  Arbitrary<List<HamiDevice>> plainDevices() {
    return device(false).list().ofMaxSize(6);
  }

  @Provide
  Arbitrary<List<HamiDevice>> devices() {
    return device(true).list().ofMaxSize(6);
  }

  private static Arbitrary<String> token(int min) {
    return Arbitraries.strings().withChars("abcXYZ019-_. ").ofMinLength(min).ofMaxLength(12);
  }

  private static Arbitrary<HamiDevice> device(boolean mig) {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    Arbitrary<List<HamiDevice.MigProfile>> profiles = !mig ? Arbitraries.just(List.of())
        : Combinators.combine(token(0), n, n, n,
            Combinators.combine(n, n).as(HamiDevice.Placement::new).list().ofMaxSize(3))
            .as(HamiDevice.MigProfile::new).list().ofMaxSize(3);
    return Combinators.combine(token(1), n, n, n, n, token(0),
            Arbitraries.integers().between(-1, 8), token(1))
        .as((id, index, count, mem, core, type, numa, mode) ->
            new Object[] {id, index, count, mem, core, type, numa, mode})
        .flatMap(a -> Combinators.combine(Arbitraries.of(true, false), profiles)
            .as((h, p) -> new HamiDevice((String) a[0], (Integer) a[1], (Integer) a[2],
                (Integer) a[3], (Integer) a[4], (String) a[5], (Integer) a[6], (String) a[7], h,
                p)));
  }

  @Provide
  Arbitrary<List<List<ContainerDevice>>> allocations() {
    Arbitrary<Integer> n = Arbitraries.integers().between(0, Integer.MAX_VALUE);
    return Combinators.combine(token(1), token(0), n, n).as(ContainerDevice::new)
        .list().ofMaxSize(4).list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(60),
        Arbitraries.strings().withChars("GPU-a,:;0123456789truefals[]{}\"id").ofMaxLength(80));
  }
}
