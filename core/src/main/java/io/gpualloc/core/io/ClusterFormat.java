package io.gpualloc.core.io;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.MissingDependencyException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
import io.gpualloc.core.ReadLimits;
import io.gpualloc.core.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/**
 * Reads and writes clusters, requests and placements as JSON or YAML, in the format that {@code
 * docs/formats.md} documents.
 *
 * <p>Methods taking a {@link Path} choose the format by the file extension ({@link
 * Format#of(Path)}); methods taking text take the format explicitly. Every problem with the input
 * (unreadable file, syntax error, wrong type, missing required or unknown field, unknown GPU model
 * or node, a value the core records reject) throws a {@link ParseException} naming the source, the
 * line and column where known, and the path of the offending field such as {@code
 * nodes[3].gpus.count}. Readers never throw anything else for bad input.
 *
 * <p>Writers produce text that the readers turn back into equal values; they leave out fields at
 * their default value and write a node's GPUs in the compact form ({@code model}, {@code count},
 * {@code numaNodes}) whenever that form reproduces them exactly.
 *
 * <h2>Limits</h2>
 *
 * Readers enforce {@link ReadLimits} (the defaults unless one is passed): {@code maxBytes} for the
 * file or text, {@code maxDepth} nesting levels, {@code maxScalarLength} chars per value or field
 * name (and, for YAML, per run of text without white space, which keeps SnakeYAML's scan linear),
 * {@code maxNodes} nodes, {@code maxGpusPerNode} GPUs per node (a {@code count} is checked before
 * any GPU is made), and {@code maxItems} models, requests or placements. Each violation is a
 * {@link ParseException} at the offending position. Reading takes time linear in the input.
 *
 * <h2>Jackson</h2>
 *
 * Jackson ({@code com.fasterxml.jackson.core:jackson-databind}, and {@code
 * com.fasterxml.jackson.dataformat:jackson-dataformat-yaml} for YAML) is an optional dependency of
 * gpualloc-core. Without it every method of this class throws {@link MissingDependencyException}
 * naming the artifact to add.
 *
 * <p>The class is stateless and thread-safe.
 */
public final class ClusterFormat {
  private static final String TEXT_SOURCE = "input";

  private ClusterFormat() {}

  // --- clusters --------------------------------------------------------------------------------

  /**
   * Reads a cluster file whose GPU models come from the built-in catalog or its own {@code models}
   * list.
   *
   *
   * @param file the file
   * @return the cluster read
   * @throws ParseException when the file cannot be read or is not a valid cluster
   */
  public static Cluster readCluster(Path file) {
    return readCluster(file, GpuModelCatalog.builtIn());
  }

  /**
   * Reads a cluster file whose GPU models come from {@code catalog} or its own {@code models}
   * list.
   *
   *
   * @param file the file
   * @param catalog the GPU models that nodes may name besides those of the file's {@code models}
   * @return the cluster read
   * @throws ParseException when the file cannot be read or is not a valid cluster
   */
  public static Cluster readCluster(Path file, GpuModelCatalog catalog) {
    return readCluster(file, catalog, ReadLimits.defaults());
  }

  /**
   * Reads a cluster file under the given limits.
   *
   * @param file the file; its extension chooses the format
   * @param catalog the GPU models that nodes may name besides those of the file's {@code models}
   * @param limits the limits to enforce (see the class comment)
   * @return the cluster
   * @throws ParseException when the file is missing, unreadable, not UTF-8, not a valid cluster,
   *     or exceeds {@code limits}
   * @throws MissingDependencyException when Jackson is not on the class path
   */
  public static Cluster readCluster(Path file, GpuModelCatalog catalog, ReadLimits limits) {
    require("catalog", catalog);
    require("limits", limits);
    return readFile(file, limits,
        (text, format) -> readCluster(text, format, file.toString(), catalog, limits));
  }

  /**
   * Reads a cluster from text, with the built-in GPU model catalog.
   *
   *
   * @param text the document
   * @param format its format
   * @return the cluster read
   * @throws ParseException when the text is not a valid cluster
   */
  public static Cluster readCluster(String text, Format format) {
    return readCluster(text, format, TEXT_SOURCE, GpuModelCatalog.builtIn());
  }

  /**
   * Reads a cluster from text.
   *
   *
   * @param text the document
   * @param format its format
   * @param source the name that error messages give the input (a file name, say)
   * @param catalog the GPU models that nodes may name besides those of the file's {@code models}
   * @return the cluster read
   * @throws ParseException when the text is not a valid cluster
   */
  public static Cluster readCluster(
      String text, Format format, String source, GpuModelCatalog catalog) {
    return readCluster(text, format, source, catalog, ReadLimits.defaults());
  }

  /**
   * Reads a cluster from text under the given limits.
   *
   * @param text the document
   * @param format its format
   * @param source the name that error messages give the input (a file name, say)
   * @param catalog the GPU models that nodes may name besides those of the file's {@code models}
   * @param limits the limits to enforce (see the class comment)
   * @return the cluster
   * @throws ParseException when the text is not a valid cluster or exceeds {@code limits}
   * @throws MissingDependencyException when Jackson is not on the class path
   */
  public static Cluster readCluster(
      String text, Format format, String source, GpuModelCatalog catalog, ReadLimits limits) {
    require("catalog", catalog);
    Tree root = parse(text, format, source, limits);
    return new Decoder(source, limits).cluster(root, catalog);
  }

  /**
   * Writes a cluster; models not in the built-in catalog go into the file's {@code models} list.
   *
   *
   * @param cluster the cluster
   * @param format its format
   * @return the string written
   * @throws InvalidSpecException when the cluster uses a model whose name the catalog defines
   *     differently, or two different models of one name, which no file can express
   */
  public static String writeCluster(Cluster cluster, Format format) {
    return writeCluster(cluster, format, GpuModelCatalog.builtIn());
  }

  /**
   * Writes a cluster; models not in {@code catalog} go into the file's {@code models} list, so
   * read it back with the same catalog.
   *
   *
   * @param cluster the cluster
   * @param format its format
   * @param catalog the GPU models that nodes may name besides those of the file's {@code models}
   * @return the string written
   * @throws InvalidSpecException when the cluster uses a model whose name the catalog defines
   *     differently, or two different models of one name, which no file can express
   */
  public static String writeCluster(Cluster cluster, Format format, GpuModelCatalog catalog) {
    require("cluster", cluster);
    require("format", format);
    require("catalog", catalog);
    requireJackson();
    return Encoder.clusterText(cluster, catalog, format);
  }

  /**
   * Writes a cluster to a file in the format its extension implies, with the built-in catalog.
   *
   *
   * @param cluster the cluster
   * @param file the file
   * @throws InvalidSpecException as {@link #writeCluster(Cluster, Format)} does, or for an unknown
   *     file extension
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void writeCluster(Cluster cluster, Path file) {
    writeCluster(cluster, file, GpuModelCatalog.builtIn());
  }

  /**
   * Writes a cluster to a file in the format its extension implies; models not in {@code catalog}
   * go into the file's {@code models} list.
   *
   *
   * @param cluster the cluster
   * @param file the file
   * @param catalog the GPU models that nodes may name besides those of the file's {@code models}
   * @throws InvalidSpecException as {@link #writeCluster(Cluster, Format, GpuModelCatalog)} does,
   *     or for an unknown file extension
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void writeCluster(Cluster cluster, Path file, GpuModelCatalog catalog) {
    writeFile(file, writeCluster(cluster, Format.of(file), catalog));
  }

  // --- requests --------------------------------------------------------------------------------

  /**
   * Reads a requests file.
   *
   *
   * @param file the file
   * @return the list read
   * @throws ParseException when the file cannot be read or is not a valid request list
   */
  public static List<Request> readRequests(Path file) {
    return readRequests(file, ReadLimits.defaults());
  }

  /**
   * Reads a requests file under the given limits.
   *
   * @param file the file; its extension chooses the format
   * @param limits the limits to enforce (see the class comment)
   * @return the requests, in file order
   * @throws ParseException when the file is missing, unreadable, not UTF-8, not a valid request
   *     list, or exceeds {@code limits}
   * @throws MissingDependencyException when Jackson is not on the class path
   */
  public static List<Request> readRequests(Path file, ReadLimits limits) {
    require("limits", limits);
    return readFile(file, limits,
        (text, format) -> readRequests(text, format, file.toString(), limits));
  }

  /**
   * Reads requests from text.
   *
   *
   * @param text the document
   * @param format its format
   * @return the list read
   * @throws ParseException when the text is not a valid request list
   */
  public static List<Request> readRequests(String text, Format format) {
    return readRequests(text, format, TEXT_SOURCE);
  }

  /**
   * Reads requests from text, naming the input {@code source} in error messages.
   *
   *
   * @param text the document
   * @param format its format
   * @param source the name that error messages give the input (a file name, say)
   * @return the list read
   * @throws ParseException when the text is not a valid request list
   */
  public static List<Request> readRequests(String text, Format format, String source) {
    return readRequests(text, format, source, ReadLimits.defaults());
  }

  /**
   * Reads requests from text under the given limits.
   *
   * @param text the document
   * @param format its format
   * @param source the name that error messages give the input
   * @param limits the limits to enforce (see the class comment)
   * @return the requests, in document order
   * @throws ParseException when the text is not a valid request list or exceeds {@code limits}
   * @throws MissingDependencyException when Jackson is not on the class path
   */
  public static List<Request> readRequests(
      String text, Format format, String source, ReadLimits limits) {
    Tree root = parse(text, format, source, limits);
    return List.copyOf(new Decoder(source, limits).requests(root));
  }

  /**
   * Writes requests as a document with a {@code requests} list.
   *
   * @param requests the requests to write
   * @param format its format
   * @return the string written
   */
  public static String writeRequests(Collection<Request> requests, Format format) {
    requireAll("requests", requests);
    require("format", format);
    requireJackson();
    return Encoder.requestsText(requests, format);
  }

  /**
   * Writes requests to a file in the format its extension implies.
   *
   *
   * @param requests the requests to write
   * @param file the file
   * @throws InvalidSpecException for an unknown file extension
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void writeRequests(Collection<Request> requests, Path file) {
    writeFile(file, writeRequests(requests, Format.of(file)));
  }

  // --- placements ------------------------------------------------------------------------------

  /**
   * Reads a placements file; nodes are named, and resolved against {@code cluster}.
   *
   *
   * @param file the file
   * @param cluster the cluster
   * @return the list read
   * @throws ParseException when the file cannot be read, is not a valid placement list, or names a
   *     node, GPU index, MIG profile or start slot that {@code cluster} does not have
   */
  public static List<Placement> readPlacements(Path file, Cluster cluster) {
    return readPlacements(file, cluster, ReadLimits.defaults());
  }

  /**
   * Reads a placements file under the given limits; nodes are resolved against {@code cluster}.
   *
   * @param file the file; its extension chooses the format
   * @param cluster the cluster whose nodes the placements name
   * @param limits the limits to enforce (see the class comment)
   * @return the placements, in file order
   * @throws ParseException as {@link #readPlacements(Path, Cluster)} does, and when the file
   *     exceeds {@code limits}
   * @throws MissingDependencyException when Jackson is not on the class path
   */
  public static List<Placement> readPlacements(Path file, Cluster cluster, ReadLimits limits) {
    require("cluster", cluster);
    require("limits", limits);
    return readFile(file, limits,
        (text, format) -> readPlacements(text, format, file.toString(), cluster, limits));
  }

  /**
   * Reads placements from text; nodes are named, and resolved against {@code cluster}.
   *
   *
   * @param text the document
   * @param format its format
   * @param cluster the cluster
   * @return the list read
   * @throws ParseException as {@link #readPlacements(Path, Cluster)} does
   */
  public static List<Placement> readPlacements(String text, Format format, Cluster cluster) {
    return readPlacements(text, format, TEXT_SOURCE, cluster);
  }

  /**
   * Reads placements from text, naming the input {@code source} in error messages.
   *
   *
   * @param text the document
   * @param format its format
   * @param source the name that error messages give the input (a file name, say)
   * @param cluster the cluster
   * @return the list read
   * @throws ParseException as {@link #readPlacements(Path, Cluster)} does
   */
  public static List<Placement> readPlacements(
      String text, Format format, String source, Cluster cluster) {
    return readPlacements(text, format, source, cluster, ReadLimits.defaults());
  }

  /**
   * Reads placements from text under the given limits; nodes are resolved against {@code
   * cluster}.
   *
   * @param text the document
   * @param format its format
   * @param source the name that error messages give the input
   * @param cluster the cluster whose nodes the placements name
   * @param limits the limits to enforce (see the class comment)
   * @return the placements, in document order
   * @throws ParseException as {@link #readPlacements(Path, Cluster)} does, and when the text
   *     exceeds {@code limits}
   * @throws MissingDependencyException when Jackson is not on the class path
   */
  public static List<Placement> readPlacements(
      String text, Format format, String source, Cluster cluster, ReadLimits limits) {
    require("cluster", cluster);
    Tree root = parse(text, format, source, limits);
    return List.copyOf(new Decoder(source, limits).placements(root, cluster));
  }

  /**
   * Writes placements, naming each node by its name in {@code cluster}.
   *
   *
   * @param placements the placements to write
   * @param cluster the cluster
   * @param format its format
   * @return the string written
   * @throws InvalidSpecException when a placement's node id is not in {@code cluster}
   */
  public static String writePlacements(
      Collection<Placement> placements, Cluster cluster, Format format) {
    requireAll("placements", placements);
    require("cluster", cluster);
    require("format", format);
    requireJackson();
    return Encoder.placementsText(placements, cluster, format);
  }

  /**
   * Writes placements to a file in the format its extension implies.
   *
   *
   * @param placements the placements to write
   * @param cluster the cluster
   * @param file the file
   * @throws InvalidSpecException for an unknown node id or file extension
   * @throws UncheckedIOException when the file cannot be written
   */
  public static void writePlacements(Collection<Placement> placements, Cluster cluster, Path file) {
    writeFile(file, writePlacements(placements, cluster, Format.of(file)));
  }

  // ---------------------------------------------------------------------------------------------

  private interface TextReader<T> {
    T read(String text, Format format);
  }

  private static <T> T readFile(Path file, ReadLimits limits, TextReader<T> reader) {
    require("file", file);
    requireJackson();
    Format format;
    try {
      format = Format.of(file);
    } catch (InvalidSpecException e) {
      throw new ParseException(file.toString(), 0, 0, "", e.getMessage(), e);
    }
    return reader.read(limits.readUtf8(file), format);
  }

  private static volatile boolean jacksonChecked;

  /** Throws MissingDependencyException unless Jackson's core, databind and YAML are loadable. */
  private static void requireJackson() {
    if (jacksonChecked) {
      return;
    }
    String[][] needed = {
        {"com.fasterxml.jackson.core.JsonFactory", "com.fasterxml.jackson.core:jackson-core"},
        {"com.fasterxml.jackson.databind.JsonNode",
            "com.fasterxml.jackson.core:jackson-databind"},
        {"com.fasterxml.jackson.dataformat.yaml.YAMLFactory",
            "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml"},
        {"org.yaml.snakeyaml.LoaderOptions",
            "com.fasterxml.jackson.dataformat:jackson-dataformat-yaml"}};
    for (String[] n : needed) {
      try {
        Class.forName(n[0], false, ClusterFormat.class.getClassLoader());
      } catch (ClassNotFoundException | LinkageError e) {
        throw new MissingDependencyException("ClusterFormat (JSON/YAML I/O)", n[0], n[1], e);
      }
    }
    jacksonChecked = true;
  }

  private static void writeFile(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Tree parse(String text, Format format, String source, ReadLimits limits) {
    require("text", text);
    require("format", format);
    require("source", source);
    require("limits", limits);
    requireJackson();
    limits.checkText(source, text);
    if (format == Format.YAML) {
      Tree.checkYamlRuns(text, source, limits);
    }
    return Tree.read(text, format, source, limits);
  }

  private static void require(String field, Object value) {
    if (value == null) {
      throw InvalidSpecException.of("ClusterFormat call", field, null, "a value (not null)");
    }
  }

  private static void requireAll(String field, Collection<?> values) {
    require(field, values);
    int i = 0;
    for (Object v : values) {
      if (v == null) {
        throw InvalidSpecException.of(
            "ClusterFormat call", field + "[" + i + "]", null, "a value (not null)");
      }
      i++;
    }
  }
}
