package io.gpualloc.core;

/**
 * A feature was called whose optional library is not on the class path or module path, for
 * example an exact packing solver without OR-Tools. The message names the feature and the Maven
 * coordinates ({@code groupId:artifactId:version}) of the artifact to add. Nothing was changed: the
 * check runs before any work.
 */
public class MissingDependencyException extends GpuallocException {
  private static final long serialVersionUID = 1L;

  /** The feature that was called. */
  private final String feature;

  /** The coordinates of the missing artifact. */
  private final String artifact;

  /**
   * Creates the exception.
   *
   * @param feature the feature that was called, e.g. {@code "CpSatPacker.solve"}
   * @param library the library it needs, in words, e.g. {@code "OR-Tools"}
   * @param artifact the Maven coordinates to add, {@code groupId:artifactId:version}
   * @param cause what the class loader reported, or {@code null}
   */
  public MissingDependencyException(
      String feature, String library, String artifact, Throwable cause) {
    super(library + " of " + feature + " is not on the class path; allowed: a class path or"
        + " module path with " + artifact + ". Maybe add the dependency " + artifact
        + " (gpualloc declares it optional)", cause);
    this.feature = feature;
    this.artifact = artifact;
  }

  /**
   * The feature that was called.
   *
   * @return e.g. {@code "CpSatPacker.solve"}
   */
  public String feature() {
    return feature;
  }

  /**
   * The artifact to add.
   *
   * @return Maven coordinates, {@code groupId:artifactId:version}
   */
  public String artifact() {
    return artifact;
  }
}
