package io.gpualloc.binpack.gang;

import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.Placement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer of a {@link GangPlacer}: every member placed ({@link Placed}, commit it with {@code
 * ClusterState.allocateAll(placed.placements())}) or an explained {@link Rejected}. Never null.
 */
public sealed interface GangDecision {

  /**
   * The gang's name.
   *
   * @return the name
   */
  String gangName();

  /**
   * Whether the gang was placed.
   *
   * @return true for {@link Placed}
   */
  boolean isPlaced();

  /**
   * One line for people; no program needs to parse it.
   *
   * @return the summary
   */
  String summary();

  /**
   * One placed member.
   *
   * @param podSet its pod set's name
   * @param index its index in the pod set, from 0
   * @param placement where it goes; the allocation id is {@code <gang>/<podSet>-<index>}
   */
  record Member(String podSet, int index, Placement placement) {
    /**
     * Validates the fields.
     *
     * @param podSet its pod set's name
     * @param index its index in the pod set, from 0
     * @param placement where it goes; the allocation id is {@code <gang>/<podSet>-<index>}
     * @throws InvalidSpecException for a null field or a negative index
     */
    public Member {
      if (podSet == null || placement == null || index < 0) {
        throw InvalidSpecException.of("gang member", "podSet/index/placement",
            podSet + "/" + index + "/" + placement, "a pod set name, index >= 0 and a placement");
      }
    }
  }

  /**
   * What a constraint achieved.
   *
   * @param scope {@code gang}, a pod set's name, or {@code first+second} for a co-location
   * @param constraint the constraint as asked (co-locations appear as REQUIRED)
   * @param levelIndex the lowest level whose single domain holds every member of the scope, or
   *     the number of levels when they span several top-level domains (the whole cluster)
   * @param level that level's label key, or {@code cluster}
   * @param domain that domain's path name, or {@code cluster}
   */
  record ConstraintOutcome(String scope, TopologyConstraint constraint, int levelIndex,
      String level, String domain) {
    /**
     * Validates the fields.
     *
     * @param scope {@code gang}, a pod set's name, or {@code first+second} for a co-location
     * @param constraint the constraint as asked (co-locations appear as REQUIRED)
     * @param levelIndex the lowest level whose single domain holds every member of the scope, or
     *     the number of levels when they span several top-level domains (the whole cluster)
     * @param level that level's label key, or {@code cluster}
     * @param domain that domain's path name, or {@code cluster}
     * @throws InvalidSpecException for a null field or a negative level index
     */
    public ConstraintOutcome {
      if (scope == null || constraint == null || level == null || domain == null
          || levelIndex < 0) {
        throw InvalidSpecException.of("constraint outcome", "fields", scope,
            "non-null fields and levelIndex >= 0");
      }
    }
  }

  /**
   * The gang placed.
   *
   * @param gangName the gang's name
   * @param members every member, pod set by pod set in the gang's order, index ascending
   * @param podsPlaced pods placed per pod set (between its minimum and its count)
   * @param constraints what each constraint achieved (gang first, then co-locations, then pod
   *     sets in the gang's order)
   * @param levels the topology's label keys, lowest first
   * @param domainsSpanned per level (lowest first), how many domains hold members
   * @param score higher is better: minus the objective (domains spanned, weighted from the top
   *     level down, then free GPUs left on touched nodes)
   * @param breakdown the parts of the score by name
   */
  record Placed(String gangName, List<Member> members, Map<String, Integer> podsPlaced,
      List<ConstraintOutcome> constraints, List<String> levels, List<Integer> domainsSpanned,
      double score, Map<String, Double> breakdown) implements GangDecision {
    /**
     * Validates and copies.
     *
     * @param gangName the gang's name
     * @param members every member, pod set by pod set in the gang's order, index ascending
     * @param podsPlaced pods placed per pod set (between its minimum and its count)
     * @param constraints what each constraint achieved (gang first, then co-locations, then pod
     *     sets in the gang's order)
     * @param levels the topology's label keys, lowest first
     * @param domainsSpanned per level (lowest first), how many domains hold members
     * @param score higher is better: minus the objective (domains spanned, weighted from the top
     *     level down, then free GPUs left on touched nodes)
     * @param breakdown the parts of the score by name
     * @throws InvalidSpecException for null parts or levels and spans of different sizes
     */
    public Placed {
      if (gangName == null || members == null || podsPlaced == null || constraints == null
          || levels == null || domainsSpanned == null || breakdown == null
          || levels.size() != domainsSpanned.size()) {
        throw InvalidSpecException.of("placed gang", "fields", gangName,
            "non-null parts and one span per level");
      }
      members = List.copyOf(members);
      podsPlaced = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(podsPlaced));
      constraints = List.copyOf(constraints);
      levels = List.copyOf(levels);
      domainsSpanned = List.copyOf(domainsSpanned);
      breakdown = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(breakdown));
    }

    /**
     * Every member's placement, in member order: the argument for {@code allocateAll}.
     *
     * @return the placements
     */
    public List<Placement> placements() {
      List<Placement> out = new ArrayList<>(members.size());
      for (Member m : members) {
        out.add(m.placement());
      }
      return out;
    }

    /**
     * Domains spanned at a level.
     *
     * @param level the level's label key
     * @return the count
     * @throws InvalidSpecException for an unknown level
     */
    public int domainsSpanned(String level) {
      int i = levels.indexOf(level);
      if (i < 0) {
        throw InvalidSpecException.of("placed gang " + gangName, "level", level,
            String.join(", ", levels));
      }
      return domainsSpanned.get(i);
    }

    @Override
    public boolean isPlaced() {
      return true;
    }

    @Override
    public String summary() {
      StringBuilder sb = new StringBuilder("gang ").append(gangName).append(": ")
          .append(members.size()).append(" pods placed (");
      boolean first = true;
      for (Map.Entry<String, Integer> e : podsPlaced.entrySet()) {
        sb.append(first ? "" : ", ").append(e.getKey()).append(' ').append(e.getValue());
        first = false;
      }
      sb.append("); spans");
      for (int l = levels.size() - 1; l >= 0; l--) {
        sb.append(' ').append(domainsSpanned.get(l)).append(' ').append(levels.get(l))
            .append(l > 0 ? "," : "");
      }
      for (ConstraintOutcome c : constraints) {
        sb.append("; ").append(c.scope()).append(' ').append(c.constraint().mode())
            .append(' ').append(c.constraint().level()).append(" -> ").append(c.level())
            .append(' ').append(c.domain());
      }
      return sb.toString();
    }
  }

  /**
   * Why some part of the gang did not fit, with numbers.
   *
   * @param scope a pod set's name, {@code gang}, or {@code first+second} for a co-location
   * @param level the level looked at (label key), or {@code cluster}
   * @param domain the closest domain at that level (the one that holds the most), or {@code -}
   *     when the level has no domain
   * @param fits how many units (pods or slices) fit there
   * @param needed how many units the minimum needs
   * @param unit {@code pods} or {@code slices of k}
   * @param detail the resources behind the numbers, for example free GPUs against GPUs needed
   */
  record Shortfall(String scope, String level, String domain, int fits, int needed, String unit,
      String detail) {
    /**
     * Validates the fields.
     *
     * @param scope a pod set's name, {@code gang}, or {@code first+second} for a co-location
     * @param level the level looked at (label key), or {@code cluster}
     * @param domain the closest domain at that level (the one that holds the most), or {@code -}
     *     when the level has no domain
     * @param fits how many units (pods or slices) fit there
     * @param needed how many units the minimum needs
     * @param unit {@code pods} or {@code slices of k}
     * @param detail the resources behind the numbers, for example free GPUs against GPUs needed
     * @throws InvalidSpecException for a null field
     */
    public Shortfall {
      if (scope == null || level == null || domain == null || unit == null || detail == null) {
        throw InvalidSpecException.of("gang shortfall", "fields", scope, "non-null fields");
      }
    }

    /**
     * The shortfall as one line.
     *
     * @return for example {@code workers at rack: closest b1/r3 holds 5 of 8 pods (...)}
     */
    public String line() {
      return scope + " at " + level + ": closest " + domain + " holds " + fits + " of " + needed
          + " " + unit + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }

  /**
   * The gang not placed; the ledger is unchanged.
   *
   * @param gangName the gang's name
   * @param reason the most fundamental reason
   * @param shortfalls the evidence: per pod set (and the gang or a co-location), per level, the
   *     closest domain and what it lacked
   * @param message a one-line explanation
   */
  record Rejected(String gangName, GangRejectReason reason, List<Shortfall> shortfalls,
      String message) implements GangDecision {
    /**
     * Validates and copies.
     *
     * @param gangName the gang's name
     * @param reason the most fundamental reason
     * @param shortfalls the evidence: per pod set (and the gang or a co-location), per level, the
     *     closest domain and what it lacked
     * @param message a one-line explanation
     * @throws InvalidSpecException for a null field
     */
    public Rejected {
      if (gangName == null || reason == null || shortfalls == null || message == null) {
        throw InvalidSpecException.of("rejected gang", "fields", gangName, "non-null fields");
      }
      shortfalls = List.copyOf(shortfalls);
    }

    @Override
    public boolean isPlaced() {
      return false;
    }

    @Override
    public String summary() {
      return "gang " + gangName + " not placed (" + reason + "): " + message;
    }
  }
}
