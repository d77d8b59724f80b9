package io.gpualloc.topology;

/**
 * How close a NIC must be to a GPU to serve it (for GPUDirect RDMA), in {@code nvidia-smi topo}
 * classes of the NIC-GPU cell ({@link Nic#toGpu()}).
 */
public enum NicAffinity {
  /** Under a common PCIe switch: {@code PIX} or {@code PXB} (traffic never crosses the CPU). */
  SAME_SWITCH(LinkClass.PXB),
  /** Under the same root complex: {@code PIX}, {@code PXB} or {@code PHB}. */
  SAME_ROOT_COMPLEX(LinkClass.PHB),
  /** On the same NUMA node: {@code PIX}, {@code PXB}, {@code PHB} or {@code NODE}. */
  SAME_NUMA(LinkClass.NODE);

  private final LinkClass worst;

  NicAffinity(LinkClass worst) {
    this.worst = worst;
  }

  /**
   * Whether a NIC-GPU cell of this class satisfies the affinity.
   *
   * @param c the class of the NIC-GPU cell
   * @return true for a PCIe class no worse than the affinity allows
   */
  public boolean admits(LinkClass c) {
    return !c.isNvLink() && c != LinkClass.UNKNOWN && c.compareTo(worst) <= 0;
  }
}
