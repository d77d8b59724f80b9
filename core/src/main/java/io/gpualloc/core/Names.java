package io.gpualloc.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** Spelling-tolerant matching of GPU model and MIG profile names, and close-match suggestions. */
final class Names {
  private Names() {}

  /**
   * The key a GPU model name is matched by: lower case, a leading {@code NVIDIA } or {@code Tesla }
   * (as {@code nvidia-smi --query-gpu=name} prints it) dropped, spaces and underscores as dashes.
   * So {@code NVIDIA H100 80GB HBM3} and {@code h100-80gb-hbm3} match.
   */
  static String modelKey(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT);
    for (String prefix : new String[] {"nvidia ", "nvidia-", "tesla ", "tesla-"}) {
      if (s.startsWith(prefix)) {
        s = s.substring(prefix.length()).trim();
        break;
      }
    }
    return s.replaceAll("[\\s_]+", "-");
  }

  /**
   * The key a MIG profile name is matched by: lower case, without the {@code MIG } prefix that
   * {@code nvidia-smi -L} prints or the {@code nvidia.com/mig-} resource prefix of the device
   * plugin's mixed strategy, and with {@code .me} written {@code +me} (the GPU Operator's config
   * names spell {@code 1g.10gb+me} as {@code 1g.10gb.me}).
   */
  static String profileKey(String name) {
    String s = name.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("nvidia.com/mig-")) {
      s = s.substring("nvidia.com/mig-".length());
    } else if (s.startsWith("mig-")) {
      s = s.substring(4);
    } else if (s.startsWith("mig ")) {
      s = s.substring(4).trim();
    }
    if (s.endsWith(".me")) {
      s = s.substring(0, s.length() - 3) + "+me";
    }
    return s;
  }

  /**
   * Up to three of {@code known} closest to {@code query} by edit distance of their keys, best
   * first, ties in {@code known}'s order; only names within a quarter of the longer key's length
   * (at least 1 edit), or whose key contains the query's or is contained in it (3 characters or
   * more).
   */
  static List<String> closeMatches(String query, Collection<String> known, boolean model) {
    String q = model ? modelKey(query) : profileKey(query);
    List<String> out = new ArrayList<>();
    List<Integer> dist = new ArrayList<>();
    for (String k : known) {
      String key = model ? modelKey(k) : profileKey(k);
      int d = distance(q, key);
      boolean contains = Math.min(q.length(), key.length()) >= 3
          && (key.contains(q) || q.contains(key));
      if (contains || d <= Math.max(1, Math.max(q.length(), key.length()) / 4)) {
        out.add(k);
        dist.add(d);
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < out.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(dist::get));
    List<String> best = new ArrayList<>();
    for (int i = 0; i < Math.min(3, order.size()); i++) {
      best.add(out.get(order.get(i)));
    }
    return best;
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  /** The {@code Maybe} line of an unknown-name message, or "" without close matches. */
  static String maybe(List<String> close) {
    return close.isEmpty() ? "" : " Maybe you meant " + String.join(" or ", close) + ".";
  }
}
