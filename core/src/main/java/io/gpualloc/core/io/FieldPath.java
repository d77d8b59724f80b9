package io.gpualloc.core.io;

import java.util.Collection;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** Field paths such as {@code nodes[3].gpus.count}, and "Maybe" suggestions for misspellings. */
final class FieldPath {
  private FieldPath() {}

  /** The path of field {@code name} under {@code parent}. */
  static String field(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** The path of item {@code index} of the list at {@code parent}. */
  static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * The candidate closest to {@code given} by edit distance (ignoring case), when it is close
   * enough to be a plausible misspelling; else null.
   */
  static @Nullable String closest(String given, Collection<String> candidates) {
    String g = given.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(g, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    int limit = Math.max(2, Math.min(3, given.length() / 3));
    return best != null && bestDistance <= limit ? best : null;
  }

  /** A sentence {@code " Maybe 'x'?"} for the closest candidate, or the empty string. */
  static String maybe(String given, Collection<String> candidates) {
    String c = closest(given, candidates);
    return c == null ? "" : " Maybe '" + c + "'?";
  }

  private static int distance(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 3) {
      return Integer.MAX_VALUE;
    }
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
