package io.gpualloc.binpack.gang.internal;

import io.gpualloc.core.MissingDependencyException;

/**
 * The up-front check of the CP-SAT gang placer for OR-Tools (an optional dependency of binpack
 * once the packaging work lands). Refers to no OR-Tools type, so it loads without OR-Tools.
 */
public final class OrToolsCheck {
  private static final String ARTIFACT = "com.google.ortools:ortools-java";

  private OrToolsCheck() {}

  /**
   * Checks that OR-Tools' Java classes can be loaded.
   *
   * @param feature the public entry point asking, named in the error
   * @throws MissingDependencyException when OR-Tools is not on the class path
   */
  public static void require(String feature) {
    try {
      Class.forName("com.google.ortools.Loader", false, OrToolsCheck.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingDependencyException(feature, "com.google.ortools.Loader", ARTIFACT, e);
    }
  }

  /**
   * Wraps a failure to load OR-Tools' native library.
   *
   * @param feature the public entry point asking
   * @param e the failure
   * @return the exception to throw
   */
  static MissingDependencyException nativeMissing(String feature, Throwable e) {
    return new MissingDependencyException(feature, "OR-Tools' native library for "
        + System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
        ARTIFACT + " with its runtime dependencies (the ortools-<platform> jar, JNA)", e);
  }
}
