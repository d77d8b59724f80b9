package io.gpualloc.binpack.extender.internal;

import io.gpualloc.core.io.k8s.KubePod;
import java.time.Clock;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The pods the extender filtered or prioritized and has not bound yet, keyed by UID (or {@code
 * namespace/name} for a pod without one), because kube-scheduler's bind request names the pod
 * only. Bounded and deterministic for a given clock:
 *
 * <ul>
 *   <li>an entry lives {@code ttlMillis} after it was last remembered, then it is gone;
 *   <li>remembering a pod again replaces its entry and makes it the newest;
 *   <li>when {@code capacity} entries are held, remembering a new pod first drops expired entries,
 *       then the oldest ones.
 * </ul>
 *
 * Thread-safe: every method holds the cache's lock.
 */
public final class PendingPods {
  private final int capacity;
  private final long ttlMillis;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  private record Entry(KubePod pod, long rememberedAt) {}

  /**
   * An empty cache.
   *
   * @param capacity the most entries held, at least 1
   * @param ttlMillis how long an entry lives, at least 1
   * @param clock the time source
   */
  public PendingPods(int capacity, long ttlMillis, Clock clock) {
    this.capacity = capacity;
    this.ttlMillis = ttlMillis;
    this.clock = clock;
  }

  /**
   * The key a pod is remembered under.
   *
   * @param uid the pod's UID, or empty
   * @param namespace the namespace
   * @param name the name
   * @return the UID, or {@code namespace/name} when the UID is empty
   */
  public static String keyOf(String uid, String namespace, String name) {
    return uid.isEmpty() ? namespace + "/" + name : uid;
  }

  /**
   * Remembers the pod (replacing an earlier entry for it).
   *
   * @param pod the pod
   */
  public synchronized void remember(KubePod pod) {
    long now = clock.millis();
    String key = keyOf(pod.uid(), pod.namespace(), pod.name());
    entries.remove(key);
    if (entries.size() >= capacity) {
      expire(now);
    }
    Iterator<String> oldest = entries.keySet().iterator();
    while (entries.size() >= capacity && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    entries.put(key, new Entry(pod, now));
  }

  /**
   * The pod remembered under {@code key}, unless it expired.
   *
   * @param key the key ({@link #keyOf})
   * @return the pod, or null
   */
  public synchronized @Nullable KubePod get(String key) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (clock.millis() - e.rememberedAt() >= ttlMillis) {
      entries.remove(key);
      return null;
    }
    return e.pod();
  }

  /**
   * Forgets the pod remembered under {@code key}.
   *
   * @param key the key
   */
  public synchronized void forget(String key) {
    entries.remove(key);
  }

  /**
   * How many entries are held (expired ones included until they are dropped).
   *
   * @return the count
   */
  public synchronized int size() {
    return entries.size();
  }

  private void expire(long now) {
    Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator();
    while (it.hasNext()) {
      if (now - it.next().getValue().rememberedAt() >= ttlMillis) {
        it.remove();
      }
    }
  }
}
