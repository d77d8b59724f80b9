package io.gpualloc.core.io;

import io.gpualloc.core.Cluster;
import io.gpualloc.core.GpuModelCatalog;
import io.gpualloc.core.InvalidSpecException;
import io.gpualloc.core.ParseException;
import io.gpualloc.core.Placement;
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
    require("catalog", catalog);
    return readFile(file, (text, format) -> readCluster(text, format, file.toString(), catalog));
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
    require("catalog", catalog);
    Tree root = parse(text, format, source);
    return new Decoder(source).cluster(root, catalog);
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
    return Jackson.write(Encoder.cluster(cluster, catalog), format);
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
    return readFile(file, (text, format) -> readRequests(text, format, file.toString()));
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
    Tree root = parse(text, format, source);
    return List.copyOf(new Decoder(source).requests(root));
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
    return Jackson.write(Encoder.requests(requests), format);
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
    require("cluster", cluster);
    return readFile(
        file, (text, format) -> readPlacements(text, format, file.toString(), cluster));
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
    require("cluster", cluster);
    Tree root = parse(text, format, source);
    return List.copyOf(new Decoder(source).placements(root, cluster));
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
    return Jackson.write(Encoder.placements(placements, cluster), format);
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

  private static <T> T readFile(Path file, TextReader<T> reader) {
    require("file", file);
    Format format;
    try {
      format = Format.of(file);
    } catch (InvalidSpecException e) {
      throw new ParseException(file.toString(), 0, 0, "", e.getMessage(), e);
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ParseException(file.toString(), 0, 0, "", "cannot read the file: " + e, e);
    }
    return reader.read(text, format);
  }

  private static void writeFile(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static Tree parse(String text, Format format, String source) {
    require("text", text);
    require("format", format);
    require("source", source);
    try {
      return Tree.read(Jackson.parser(text, format), source);
    } catch (IOException e) {
      throw new ParseException(source, 0, 0, "", "cannot read the input: " + e, e);
    }
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
