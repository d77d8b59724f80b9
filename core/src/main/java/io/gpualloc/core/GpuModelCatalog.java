package io.gpualloc.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An immutable, named set of {@link GpuModel}s. {@link #builtIn()} holds the common NVIDIA models
 * with their MIG tables; {@link #with(GpuModel)} returns a new catalog with a user model added (the
 * openb trace's anonymised {@code G2}, {@code G3}, for example). There is no global mutable
 * registry.
 *
 * <p>Lookups are exact on the name first, then by a spelling-tolerant key (any case, a leading
 * {@code NVIDIA } or {@code Tesla } dropped, spaces as dashes), then through aliases: the names the
 * openb trace uses ({@code V100M16}), the ones {@code nvidia-smi --query-gpu=name} prints ({@code
 * NVIDIA H100 80GB HBM3}, {@code NVIDIA A100-SXM4-80GB}, {@code NVIDIA A100 80GB PCIe}, {@code
 * Tesla V100-SXM2-16GB}) and the SXM4/SXM5 spellings ({@code H100-80GB-SXM5}). An unknown name is
 * an {@link UnknownGpuModelException} that lists the closest known names.
 */
public final class GpuModelCatalog {
  private static final GpuModelCatalog BUILT_IN = loadBuiltIn();

  private final Map<String, GpuModel> models;
  /** Alias key ({@link Names#modelKey}) to model name. */
  private final Map<String, String> aliases;
  /** Alias key to the alias as written, for suggestions. */
  private final Map<String, String> aliasSpellings;

  private GpuModelCatalog(Map<String, GpuModel> models, Map<String, String> aliases,
      Map<String, String> aliasSpellings) {
    this.models = models;
    this.aliases = aliases;
    this.aliasSpellings = aliasSpellings;
  }

  /**
   * The built-in catalog.
   *
   * @return the built-in catalog
   */
  public static GpuModelCatalog builtIn() {
    return BUILT_IN;
  }

  /**
   * An empty catalog, for hosts that define every model themselves.
   *
   * @return an empty catalog, for hosts that define every model themselves
   */
  public static GpuModelCatalog empty() {
    return new GpuModelCatalog(Map.of(), Map.of(), Map.of());
  }

  /**
   * A catalog with {@code model} added.
   *
   * @param model the model to add
   * @return a catalog with {@code model} added
   * @throws InvalidSpecException when a model of that name (or alias) already exists with a
   *     different definition
   */
  public GpuModelCatalog with(GpuModel model) {
    Checks.notNull("GPU model catalog", "model", model);
    GpuModel existing = find(model.name());
    if (existing != null) {
      if (existing.equals(model)) {
        return this;
      }
      throw InvalidSpecException.of(
          "GPU model catalog", "model name", model.name(),
          "a name not already defined differently (" + existing + ")");
    }
    LinkedHashMap<String, GpuModel> copy = new LinkedHashMap<>(models);
    copy.put(model.name(), model);
    return new GpuModelCatalog(java.util.Collections.unmodifiableMap(copy), aliases, aliasSpellings);
  }

  /**
   * A catalog with all of {@code more} added, in order.
   *
   * @param more the models to add
   * @return a catalog with all of {@code more} added, in order
   */
  public GpuModelCatalog withAll(Collection<GpuModel> more) {
    GpuModelCatalog c = this;
    for (GpuModel m : more) {
      c = c.with(m);
    }
    return c;
  }

  /**
   * The model with this name or alias.
   *
   * @param name the name
   * @return the model with this name or alias
   * @throws UnknownGpuModelException when there is none, naming the known models
   */
  public GpuModel get(String name) {
    GpuModel m = find(name);
    if (m == null) {
      List<String> known = new ArrayList<>(models.keySet());
      known.addAll(aliasSpellings.values());
      List<String> close = new ArrayList<>();
      for (String c : Names.closeMatches(String.valueOf(name), known, true)) {
        String canonical = find(c).name();
        if (!close.contains(canonical)) {
          close.add(canonical);
        }
      }
      throw new UnknownGpuModelException(
          "GPU model '" + name + "' is not in the catalog; known: " + String.join(", ", models.keySet())
              + "." + (close.isEmpty() ? " Maybe register it" : Names.maybe(close)
                  + " Otherwise register it") + " with GpuModelCatalog.with(GpuModel.of(\"" + name
                  + "\", memoryMib)).", close);
    }
    return m;
  }

  /**
   * Whether a model with this name or alias exists.
   *
   * @param name the name
   * @return whether a model with this name or alias exists
   */
  public boolean contains(String name) {
    return find(name) != null;
  }

  /**
   * The models, in catalog order.
   *
   * @return the models, in catalog order
   */
  public Collection<GpuModel> models() {
    return models.values();
  }

  /**
   * The model names, in catalog order.
   *
   * @return the model names, in catalog order
   */
  public Set<String> names() {
    return models.keySet();
  }

  private GpuModel find(String name) {
    if (name == null) {
      return null;
    }
    GpuModel m = models.get(name);
    if (m != null) {
      return m;
    }
    String key = Names.modelKey(name);
    for (Map.Entry<String, GpuModel> e : models.entrySet()) {
      if (Names.modelKey(e.getKey()).equals(key)) {
        return e.getValue();
      }
    }
    String target = aliases.get(key);
    return target == null ? null : models.get(target);
  }

  // ---------------------------------------------------------------------------------------------

  private static GpuModelCatalog loadBuiltIn() {
    Map<String, int[]> geometry = new LinkedHashMap<>();
    Map<String, List<MigProfile>> tables = new LinkedHashMap<>();
    readMigTable(geometry, tables);

    LinkedHashMap<String, GpuModel> m = new LinkedHashMap<>();
    LinkedHashMap<String, String> a = new LinkedHashMap<>();
    LinkedHashMap<String, String> spelled = new LinkedHashMap<>();
    // name, GiB, compute capability, MIG table key (or null)
    Object[][] rows = {
      {"P100-16GB", 16, "6.0", null, "P100,P100-PCIE-16GB,P100-SXM2-16GB"},
      {"V100-16GB", 16, "7.0", null, "V100M16,V100-SXM2-16GB,V100-PCIE-16GB"},
      {"V100-32GB", 32, "7.0", null, "V100M32,V100-SXM2-32GB,V100-PCIE-32GB"},
      {"T4", 16, "7.5", null, "Tesla-T4"},
      {"A10", 24, "8.6", null, "A10-24GB"},
      {"A30", 24, "8.0", "A30-24GB", "A30-24GB"},
      {"A100-40GB", 40, "8.0", "A100-40GB", "A100-SXM4-40GB,A100-PCIE-40GB,A100-40GB-SXM4,A100-40GB-PCIe"},
      {"A100-80GB", 80, "8.0", "A100-80GB", "A100-SXM4-80GB,A100-PCIE-80GB,A100 80GB PCIe,A100-80GB-SXM4"},
      {"L4", 24, "8.9", null, ""},
      {"L40S", 48, "8.9", null, ""},
      {"H100-80GB-SXM", 80, "9.0", "H100-80GB-SXM5", "H100-80GB-SXM5,H100-SXM5-80GB,H100 80GB HBM3,H100-SXM-80GB,H100-80GB"},
      {"H100-80GB-PCIe", 80, "9.0", "H100-80GB-PCIe", "H100-PCIE-80GB,H100 PCIe"},
      {"H100-94GB-NVL", 94, "9.0", "H100-94GB-NVL", "H100-NVL"},
      {"H200-141GB", 141, "9.0", "H200-141GB", "H200,H200-SXM5-141GB,H200-141GB-SXM5,H200 NVL"},
      {"GH200-96GB", 96, "9.0", "GH200-96GB", "GH200"},
      {"GH200-144GB", 144, "9.0", "GH200-144GB", ""},
      {"B200-180GB", 180, "10.0", "B200-180GB", "B200"},
      {"GB200-186GB", 186, "10.0", "GB200-186GB", "GB200"},
      {"B300-288GB", 288, "10.3", "B300-288GB", "B300"},
    };
    for (Object[] r : rows) {
      String name = (String) r[0];
      int mib = (Integer) r[1] * 1024;
      String cc = (String) r[2];
      String table = (String) r[3];
      GpuModel model;
      if (table == null) {
        model = GpuModel.of(name, mib, cc);
      } else {
        int[] g = geometry.get(table);
        if (g == null) {
          throw new LedgerCorruptionException("built-in MIG table lacks model " + table);
        }
        model = new GpuModel(name, mib, cc, g[0], g[1], tables.get(table));
      }
      m.put(name, model);
      for (String alias : ((String) r[4]).split(",")) {
        if (!alias.isEmpty()) {
          a.put(Names.modelKey(alias), name);
          spelled.put(Names.modelKey(alias), alias);
        }
      }
    }
    return new GpuModelCatalog(java.util.Collections.unmodifiableMap(m),
        java.util.Collections.unmodifiableMap(a), java.util.Collections.unmodifiableMap(spelled));
  }

  private static void readMigTable(Map<String, int[]> geometry, Map<String, List<MigProfile>> out) {
    String resource = "mig-profiles.txt";
    try (InputStream in = GpuModelCatalog.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new LedgerCorruptionException("resource " + resource + " is missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = r.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        if (f[0].equals("model")) {
          geometry.put(f[1], new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])});
          out.put(f[1], new ArrayList<>());
        } else {
          List<Integer> starts = new ArrayList<>();
          for (String s : f[8].split(",")) {
            starts.add(Integer.parseInt(s));
          }
          out.get(f[1]).add(new MigProfile(
              f[2],
              f[3].equals("-") ? -1 : Integer.parseInt(f[3]),
              Integer.parseInt(f[4]),
              Integer.parseInt(f[5]),
              Integer.parseInt(f[6]),
              Integer.parseInt(f[7]),
              starts,
              Integer.parseInt(f[9]),
              Boolean.parseBoolean(f[10]),
              f.length > 11 ? List.of(f[11].split(",")) : List.of()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.replaceAll((k, v) -> List.copyOf(v));
  }
}
