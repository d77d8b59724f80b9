package io.gpualloc.core;

/**
 * An optional dependency that a feature needs is not on the class or module path, for example
 * Jackson for {@link io.gpualloc.core.io.ClusterFormat} or OR-Tools for binpack's exact packing
 * solvers. The message names the feature, the missing class and the artifact to add; the check runs
 * before any work, so nothing was changed.
 */
public class MissingDependencyException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /** What needs the dependency. */
  private final String feature;

  /** The Maven coordinates of the missing artifact. */
  private final String artifact;

  /**
   * Creates the exception.
   *
   * @param feature what needs the dependency, for example {@code ClusterFormat}
   * @param missingClass the class that could not be loaded
   * @param artifact the Maven coordinates to add, {@code groupId:artifactId}
   * @param cause the linkage or class loading error, or null
   */
  public MissingDependencyException(
      String feature, String missingClass, String artifact, Throwable cause) {
    super(feature + " needs " + missingClass + ", which is not on the class or module path;"
        + " allowed: with " + artifact + " present. Maybe add the dependency " + artifact
        + " (gpualloc declares it optional)", cause);
    this.feature = feature;
    this.artifact = artifact;
  }

  /**
   * What needs the dependency.
   *
   * @return the feature named in the message, for example {@code CpSatPacker.solve}
   */
  public String feature() {
    return feature;
  }

  /**
   * The Maven coordinates of the missing artifact.
   *
   * @return {@code groupId:artifactId}
   */
  public String artifact() {
    return artifact;
  }
}
