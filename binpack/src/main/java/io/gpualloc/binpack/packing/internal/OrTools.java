package io.gpualloc.binpack.packing.internal;

import io.gpualloc.core.MissingDependencyException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The up-front check of the exact solvers for OR-Tools, an optional dependency of binpack. This
 * class refers to no OR-Tools type, so it loads without OR-Tools; {@link CpSatModels}, {@link
 * ArcFlowLp} and {@link ArcFlowMip} do, and must only be touched after {@link #require(String)}.
 */
public final class OrTools {
  private OrTools() {}

  /** The Maven coordinates of the artifact to add, from the POM at build time. */
  public static final String ARTIFACT = readArtifact();

  private static volatile boolean present;

  /**
   * Whether OR-Tools' native library is loaded (by {@link #require(String)}).
   *
   * @return true once {@link #require(String)} succeeded in this JVM
   */
  public static boolean loaded() {
    return present;
  }

  /**
   * Checks that OR-Tools' Java classes can be loaded, without loading the native library (which
   * takes from a fraction of a second to seconds, so budgeted solvers defer it: see {@code
   * CpSatPacker}).
   *
   * @param feature the public entry point asking, named in the error
   * @throws MissingDependencyException when OR-Tools is not on the class path
   */
  public static void requireClasses(String feature) {
    if (present) {
      return;
    }
    try {
      Class.forName("com.google.ortools.Loader", false, OrTools.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingDependencyException(feature, "OR-Tools (com.google.ortools.Loader)",
          ARTIFACT, e);
    }
  }

  /**
   * Checks that OR-Tools' Java classes can be loaded and loads its native library.
   *
   * @param feature the public entry point asking, named in the error
   * @throws MissingDependencyException when OR-Tools is not on the class path or its native
   *     library for this platform cannot be loaded
   */
  public static void require(String feature) {
    if (present) {
      return;
    }
    try {
      Class.forName("com.google.ortools.Loader", false, OrTools.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new MissingDependencyException(feature, "OR-Tools (com.google.ortools.Loader)",
          ARTIFACT, e);
    }
    try {
      CpSatModels.load();
    } catch (LinkageError | RuntimeException e) {
      // ortools-java is there but not the native jar of this platform (or JNA).
      throw new MissingDependencyException(feature, "OR-Tools' native library for "
          + System.getProperty("os.name") + "/" + System.getProperty("os.arch"),
          ARTIFACT + " with its runtime dependencies (the ortools-<platform> jar, JNA)", e);
    }
    present = true;
  }

  private static String readArtifact() {
    Properties p = new Properties();
    try (InputStream in = OrTools.class.getResourceAsStream("ortools.properties")) {
      if (in == null) {
        throw new IllegalStateException("ortools.properties missing from the binpack jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p.getProperty("artifact");
  }
}
