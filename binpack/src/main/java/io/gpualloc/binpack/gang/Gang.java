package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A group of pods placed all or nothing: one or more {@link PodSet}s (heterogeneous, for example 1
 * leader and 63 workers), an optional topology constraint on all members, and optional
 * co-locations of two pod sets. Validated on construction; the levels named in it are checked
 * against the cluster's topology when it is placed.
 *
 * @param name the gang's name; members' allocation ids start with it
 * @param priority scheduling priority, higher first (used by batch placement and reports)
 * @param podSets the pod sets, at least one, distinct names
 * @param topology a constraint on every member of the gang, or null for none
 * @param coLocations pairs of pod sets that share one domain; a pod set appears in at most one
 */
public record Gang(String name, int priority, List<PodSet> podSets,
    @Nullable TopologyConstraint topology, List<CoLocation> coLocations) {

  /**
   * Validates and copies.
   *
   * @param name the gang's name; members' allocation ids start with it
   * @param priority scheduling priority, higher first (used by batch placement and reports)
   * @param podSets the pod sets, at least one, distinct names
   * @param topology a constraint on every member of the gang, or null for none
   * @param coLocations pairs of pod sets that share one domain; a pod set appears in at most one
   * @throws InvalidSpecException for a blank name, no pod sets, two pod sets of one name, a
   *     co-location naming an unknown pod set, or a pod set in two co-locations
   */
  public Gang {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw InvalidSpecException.of("gang", "name", name, "a non-blank name without '/'");
    }
    String owner = "gang " + name;
    if (podSets == null || podSets.isEmpty()) {
      throw InvalidSpecException.of(owner, "podSets", podSets == null ? null : "[]",
          "at least one pod set");
    }
    podSets = List.copyOf(podSets);
    Set<String> names = new HashSet<>();
    for (PodSet p : podSets) {
      if (!names.add(p.name())) {
        throw InvalidSpecException.of(owner, "podSets.name", p.name(), "distinct pod set names");
      }
    }
    coLocations = coLocations == null ? List.of() : List.copyOf(coLocations);
    Set<String> used = new HashSet<>();
    for (CoLocation c : coLocations) {
      for (String s : List.of(c.first(), c.second())) {
        if (!names.contains(s)) {
          throw InvalidSpecException.of(owner, "coLocations", s,
              "a pod set of the gang: " + String.join(", ", names.stream().sorted().toList()));
        }
        if (!used.add(s)) {
          throw InvalidSpecException.of(owner, "coLocations", s,
              "each pod set in at most one co-location");
        }
      }
    }
  }

  /**
   * Starts a builder.
   *
   * @param name the gang's name
   * @return the builder
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * The pod set of that name.
   *
   * @param podSetName the name
   * @return the pod set
   * @throws InvalidSpecException when the gang has none of that name
   */
  public PodSet podSet(String podSetName) {
    for (PodSet p : podSets) {
      if (p.name().equals(podSetName)) {
        return p;
      }
    }
    throw InvalidSpecException.of("gang " + name, "pod set", podSetName,
        String.join(", ", podSets.stream().map(PodSet::name).toList()));
  }

  /**
   * GPUs of the gang at its full count, in milli-GPU (see {@link PodSet#gpuMilliPerPod()}).
   *
   * @return the total
   */
  public long gpuMilli() {
    long t = 0;
    for (PodSet p : podSets) {
      t += p.gpuMilliPerPod() * p.count();
    }
    return t;
  }

  /** Builds a {@link Gang}. */
  public static final class Builder {
    private final String name;
    private int priority;
    private final List<PodSet> podSets = new ArrayList<>();
    private @Nullable TopologyConstraint topology;
    private final List<CoLocation> coLocations = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /**
     * The priority.
     *
     * @param value the priority
     * @return this builder
     */
    public Builder priority(int value) {
      this.priority = value;
      return this;
    }

    /**
     * Adds a pod set.
     *
     * @param podSet the pod set
     * @return this builder
     */
    public Builder podSet(PodSet podSet) {
      podSets.add(podSet);
      return this;
    }

    /**
     * The constraint on every member.
     *
     * @param constraint the constraint, or null for none
     * @return this builder
     */
    public Builder topology(@Nullable TopologyConstraint constraint) {
      this.topology = constraint;
      return this;
    }

    /**
     * Co-locates two pod sets in one domain of {@code level}.
     *
     * @param first a pod set's name
     * @param second another pod set's name
     * @param level the label key of the level
     * @return this builder
     * @throws InvalidSpecException as {@link CoLocation}
     */
    public Builder coLocate(String first, String second, String level) {
      coLocations.add(new CoLocation(first, second, level));
      return this;
    }

    /**
     * Builds the gang.
     *
     * @return the gang
     * @throws InvalidSpecException as the record's constructor
     */
    public Gang build() {
      return new Gang(name, priority, podSets, topology, coLocations);
    }
  }
}
