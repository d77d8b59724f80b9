package io.gpualloc.binpack.mig;

import io.gpualloc.core.MigInstance;
import io.gpualloc.core.MigLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * One GPU's reconfiguration: destroy some free instances, create others. Instances in use are
 * never among the destroyed ones.
 *
 * @param gpu the GPU's position in the fleet
 * @param name the GPU's name
 * @param from the layout now
 * @param to the target layout
 * @param destroy instances of {@code from} not in {@code to}, by start slot
 * @param create instances of {@code to} not in {@code from}, by start slot
 */
public record MigReconfiguration(int gpu, String name, MigLayout from, MigLayout to,
    List<MigInstance> destroy, List<MigInstance> create) {

  /**
   * Copies the lists.
   *
   * @param gpu the GPU's position in the fleet
   * @param name the GPU's name
   * @param from the layout now
   * @param to the target layout
   * @param destroy instances of {@code from} not in {@code to}, by start slot
   * @param create instances of {@code to} not in {@code from}, by start slot
   */
  public MigReconfiguration {
    destroy = List.copyOf(destroy);
    create = List.copyOf(create);
  }

  /**
   * The reconfiguration from one layout to another.
   *
   * @param gpu the GPU's position
   * @param name the GPU's name
   * @param from the layout now
   * @param to the target layout
   * @return the step
   */
  public static MigReconfiguration between(int gpu, String name, MigLayout from, MigLayout to) {
    List<MigInstance> destroy = new ArrayList<>(from.instances());
    destroy.removeAll(to.instances());
    List<MigInstance> create = new ArrayList<>(to.instances());
    create.removeAll(from.instances());
    return new MigReconfiguration(gpu, name, from, to, destroy, create);
  }

  /**
   * The step as one line, for example {@code gpu-3: destroy [1g.10gb@0]; create [3g.40gb@0]}.
   *
   * @return the text
   */
  @Override
  public String toString() {
    return name + ": destroy " + destroy + "; create " + create + " (" + from + " -> " + to + ")";
  }
}
