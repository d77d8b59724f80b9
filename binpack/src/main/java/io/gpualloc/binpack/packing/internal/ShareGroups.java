package io.gpualloc.binpack.packing.internal;

import io.gpualloc.binpack.packing.BinType;
import io.gpualloc.binpack.packing.Packing;
import io.gpualloc.binpack.packing.PackingInstance;
import io.gpualloc.core.Cluster;
import io.gpualloc.core.ClusterState;
import io.gpualloc.core.Gpu;
import io.gpualloc.core.GpuDemand;
import io.gpualloc.core.GpuModel;
import io.gpualloc.core.Node;
import io.gpualloc.core.Placement;
import io.gpualloc.core.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The two-stage decomposition of a GPU repack whose realisation is exact: (1) the single-GPU
 * shares are packed into GPUs (bins of 1000 milli compute and the largest GPU memory; a share
 * count dimension when GPUs cap their shares); (2) each GPU's group of shares becomes one item
 * needing one GPU (with the group's CPU and memory, and one unit in each "GPU memory above M"
 * dimension its memory needs), whole-GPU requests items of their GPU count, and these are packed
 * onto node types. A stage-2 bin is a node: its whole-GPU requests take free GPUs and each group
 * takes one more free GPU of its own, so every bin is placed on the ledger as it is, GPU by GPU.
 *
 * <p>It applies when every node's GPUs are of one model, no request filters GPUs by model or
 * UUID, some request is a single-GPU share, and no share spans several GPUs.
 */
public final class ShareGroups {
  private ShareGroups() {}

  /** Whether the decomposition applies to these requests on this cluster. */
  public static boolean applies(Cluster c, List<Request> reqs) {
    boolean share = false;
    for (Request r : reqs) {
      if (!r.modelInclude().isEmpty() || !r.modelExclude().isEmpty()
          || !r.uuidInclude().isEmpty() || !r.uuidExclude().isEmpty()) {
        return false;
      }
      if (r.gpu() instanceof GpuDemand.Shared s) {
        if (s.count() != 1) {
          return false;
        }
        share = true;
      } else if (r.gpu() instanceof GpuDemand.Mig) {
        return false;
      }
    }
    if (!share) {
      return false;
    }
    for (Node n : c.nodes()) {
      GpuModel m = null;
      for (Gpu g : n.gpus()) {
        if (m != null && !m.equals(g.model())) {
          return false;
        }
        m = g.model();
      }
    }
    return true;
  }

  /** Stage 1: the shares' instance, and the request position of each of its items. */
  public record Stage1(PackingInstance instance, int[] itemRequest) {}

  /**
   * Stage 1's instance: every share into GPUs of the largest GPU memory, with a share-count
   * dimension when some GPU caps its shares; null when no request is a share.
   *
   * @param relaxed true for a relaxation of every repack of these requests (the largest share cap;
   *     a share on several GPUs is one item per GPU), whose lower bound bounds the GPUs any
   *     repack gives to shares; false for groups that every GPU of the cluster can hold (the
   *     smallest cap; {@link #applies} rules out shares on several GPUs)
   */
  public static @Nullable Stage1 stage1(Cluster c, List<Request> reqs, boolean relaxed) {
    int maxMem = 0;
    int minShares = Integer.MAX_VALUE;
    int maxShares = 0;
    for (Node n : c.nodes()) {
      for (Gpu g : n.gpus()) {
        maxMem = Math.max(maxMem, g.model().memoryMib());
        minShares = Math.min(minShares, g.maxShares());
        maxShares = Math.max(maxShares, g.maxShares());
      }
    }
    int shareCap = relaxed ? maxShares : minShares;
    boolean capped = shareCap != Integer.MAX_VALUE && shareCap > 0;
    if (maxMem == 0) {
      return null;
    }
    List<Integer> cap = new ArrayList<>(List.of(1000, maxMem));
    if (capped) {
      cap.add(shareCap);
    }
    PackingInstance.Builder b =
        PackingInstance.builder("share-groups", new BinType("gpu", cap, 1, BinType.UNLIMITED));
    List<Integer> pos = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      if (reqs.get(i).gpu() instanceof GpuDemand.Shared s) {
        for (int k = 0; k < s.count(); k++) {
          if (capped) {
            b.item(s.computeMilli(), s.memoryMib(), 1);
          } else {
            b.item(s.computeMilli(), s.memoryMib());
          }
          pos.add(i);
        }
      }
    }
    if (pos.isEmpty()) {
      return null;
    }
    return new Stage1(b.build(), pos.stream().mapToInt(Integer::intValue).toArray());
  }

  /** Whether {@link #stage1} gives the same instance relaxed or not (one share cap, or none). */
  public static boolean uniformShareCap(Cluster c) {
    int cap = -1;
    for (Node n : c.nodes()) {
      for (Gpu g : n.gpus()) {
        if (cap >= 0 && g.maxShares() != cap) {
          return false;
        }
        cap = g.maxShares();
      }
    }
    return true;
  }

  /**
   * A lower bound on the cost of any repack: the GPUs it needs (every whole GPU requested, plus
   * {@code shareGpus}, a lower bound on the GPUs that hold the shares) covered by the cheapest
   * nodes per GPU, fractionally (the covering knapsack's LP bound), rounded up.
   *
   * @param shareGpus a lower bound on the GPUs the shares need
   * @return the bound, or 0 when the GPUs needed exceed the cluster's (another check reports it)
   */
  public static long gpuCountBound(Cluster c, List<Request> reqs, long[] cost, long shareGpus) {
    long need = shareGpus;
    for (Request r : reqs) {
      if (r.gpu() instanceof GpuDemand.Whole w) {
        need += w.count();
      }
    }
    List<Integer> nodes = new ArrayList<>();
    for (int n : c.nodeIds()) {
      if (c.node(n).gpuCount() > 0) {
        nodes.add(n);
      }
    }
    // cheapest per GPU first: cost[a]/gpus[a] < cost[b]/gpus[b], compared exactly
    nodes.sort((a, b) -> {
      int cmp = Long.compare(cost[a] * c.node(b).gpuCount(), cost[b] * c.node(a).gpuCount());
      return cmp != 0 ? cmp : Integer.compare(a, b);
    });
    long whole = 0;
    for (int n : nodes) {
      int g = c.node(n).gpuCount();
      if (need <= 0) {
        break;
      }
      if (g <= need) {
        whole += cost[n];
        need -= g;
      } else {
        // a fraction need/g of this node: cost[n] * need / g, rounded up (costs are integers)
        return whole + Math.floorDiv(cost[n] * need + g - 1, g);
      }
    }
    return need > 0 ? 0 : whole;
  }

  /**
   * Stage 2: the node-level instance, the nodes of each of its bin types, and what each item is:
   * {@code itemRequests[k]} the request positions of item {@code k} (one for a whole-GPU or
   * GPU-less request, the group for a share group); {@code itemIsGroup[k]} whether it is a group.
   * Requests of size zero in every dimension are in {@code zeroRequests}.
   */
  public record Stage2(PackingInstance instance, List<List<Integer>> typeNodes,
      List<int[]> itemRequests, boolean[] itemIsGroup, int[] zeroRequests) {}

  /** Stage 2's instance from stage 1's groups (request positions per GPU). */
  public static @Nullable Stage2 stage2(Cluster c, List<Request> reqs, long[] cost,
      List<int[]> groups) {
    TreeSet<Integer> mems = new TreeSet<>();
    for (Node n : c.nodes()) {
      if (n.gpuCount() > 0) {
        mems.add(n.gpu(0).model().memoryMib());
      }
    }
    List<Integer> thresholds = new ArrayList<>(mems);
    if (!thresholds.isEmpty()) {
      thresholds.remove(thresholds.size() - 1); // nothing needs more than the largest
    }
    int dims = 3 + thresholds.size();
    Map<List<Long>, List<Integer>> byShape = new LinkedHashMap<>();
    for (int n : c.nodeIds()) {
      Node node = c.node(n);
      int gpuMem = node.gpuCount() > 0 ? node.gpu(0).model().memoryMib() : 0;
      List<Long> key = new ArrayList<>(List.of((long) node.cpuMilli(), (long) node.memoryMib(),
          (long) node.gpuCount()));
      for (int m : thresholds) {
        key.add(gpuMem > m ? (long) node.gpuCount() : 0L);
      }
      key.add(cost[n]);
      byShape.computeIfAbsent(key, k -> new ArrayList<>()).add(n);
    }
    List<BinType> types = new ArrayList<>();
    List<List<Integer>> typeNodes = new ArrayList<>();
    long[] maxCap = new long[dims];
    for (List<Long> key : byShape.keySet()) {
      for (int d = 0; d < dims; d++) {
        maxCap[d] = Math.max(maxCap[d], key.get(d));
      }
    }
    for (int d = 0; d < dims; d++) {
      if (maxCap[d] < 1) {
        return null; // e.g. no node has GPUs: nothing to decompose
      }
    }
    int t = 0;
    for (Map.Entry<List<Long>, List<Integer>> e : byShape.entrySet()) {
      List<Integer> capList = new ArrayList<>();
      for (int d = 0; d < dims; d++) {
        capList.add((int) Math.min(Integer.MAX_VALUE, e.getKey().get(d)));
      }
      types.add(new BinType("node-type-" + t++, capList, e.getKey().get(dims),
          e.getValue().size()));
      typeNodes.add(e.getValue());
    }
    PackingInstance.Builder b = PackingInstance.builder("repack-grouped", types);
    List<int[]> itemRequests = new ArrayList<>();
    List<Boolean> isGroup = new ArrayList<>();
    List<Integer> zero = new ArrayList<>();
    for (int i = 0; i < reqs.size(); i++) {
      Request r = reqs.get(i);
      if (r.gpu() instanceof GpuDemand.Shared) {
        continue; // in a group
      }
      int[] size = new int[dims];
      size[0] = r.cpuMilli();
      size[1] = r.memoryMib();
      size[2] = r.gpu() instanceof GpuDemand.Whole w ? w.count() : 0;
      if (size[0] == 0 && size[1] == 0 && size[2] == 0) {
        zero.add(i);
        continue;
      }
      b.item(size);
      itemRequests.add(new int[] {i});
      isGroup.add(false);
    }
    for (int[] g : groups) {
      long cpu = 0;
      long mem = 0;
      long gpuMem = 0;
      for (int i : g) {
        Request r = reqs.get(i);
        cpu += r.cpuMilli();
        mem += r.memoryMib();
        gpuMem += ((GpuDemand.Shared) r.gpu()).memoryMib();
      }
      int[] size = new int[dims];
      size[0] = (int) Math.min(Integer.MAX_VALUE, cpu);
      size[1] = (int) Math.min(Integer.MAX_VALUE, mem);
      size[2] = 1;
      for (int k = 0; k < thresholds.size(); k++) {
        size[3 + k] = gpuMem > thresholds.get(k) ? 1 : 0;
      }
      b.item(size);
      itemRequests.add(g);
      isGroup.add(true);
    }
    boolean[] flags = new boolean[isGroup.size()];
    for (int k = 0; k < flags.length; k++) {
      flags[k] = isGroup.get(k);
    }
    return new Stage2(b.build(), typeNodes, itemRequests, flags,
        zero.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Places stage 2's packing on a ledger: each bin on the next node of its type; its whole-GPU
   * and GPU-less requests first (the lowest free GPUs), then each group on one free GPU of its
   * own. Requests of size zero go to the first node used.
   *
   * @return placements by request position, or null when some bin does not fit its node (which
   *     the decomposition rules out; checked all the same)
   */
  public static Placement @Nullable [] realise(Cluster c, List<Request> reqs, Stage2 s2,
      Packing packing) {
    ClusterState state = new ClusterState(c);
    Placement[] out = new Placement[reqs.size()];
    int[] next = new int[s2.typeNodes().size()];
    int first = -1;
    for (Packing.Bin bin : packing.bins()) {
      int node = s2.typeNodes().get(bin.binType()).get(next[bin.binType()]++);
      first = first < 0 ? node : first;
      List<Integer> groupItems = new ArrayList<>();
      for (int item : bin.items()) {
        if (s2.itemIsGroup()[item]) {
          groupItems.add(item);
          continue;
        }
        int i = s2.itemRequests().get(item)[0];
        Placement p = LedgerPacking.fit(state, node, reqs.get(i));
        if (p == null) {
          return null;
        }
        state.allocate(p);
        out[i] = p;
      }
      for (int item : groupItems) {
        int gpu = freeGpu(c, state, node);
        if (gpu < 0) {
          return null;
        }
        for (int i : s2.itemRequests().get(item)) {
          Request r = reqs.get(i);
          GpuDemand.Shared sh = (GpuDemand.Shared) r.gpu();
          if (state.freeCpuMilli(node) < r.cpuMilli() || state.freeMemoryMib(node) < r.memoryMib()
              || !state.canShare(c.gpuId(node, gpu), sh.computeMilli(), sh.memoryMib())) {
            return null;
          }
          Placement p = Placement.builder(r.name(), node).cpuMilli(r.cpuMilli())
              .memoryMib(r.memoryMib()).share(gpu, sh.computeMilli(), sh.memoryMib()).build();
          state.allocate(p);
          out[i] = p;
        }
      }
    }
    for (int i : s2.zeroRequests()) {
      Placement p = LedgerPacking.fit(state, first < 0 ? c.nodeIds()[0] : first, reqs.get(i));
      if (p == null) {
        return null;
      }
      state.allocate(p);
      out[i] = p;
    }
    return out;
  }

  private static int freeGpu(Cluster c, ClusterState state, int node) {
    for (int g = 0; g < c.node(node).gpuCount(); g++) {
      if (state.canTakeWhole(c.gpuId(node, g))) {
        return g;
      }
    }
    return -1;
  }
}
