/**
 * JSON and YAML files for clusters, requests and placements.
 *
 * <p>Start with {@link io.gpualloc.core.io.ClusterFormat}: {@code readCluster(Path)}, {@code
 * readRequests(Path)}, {@code readPlacements(Path, Cluster)} and the matching {@code write...}
 * methods. The format is documented with complete examples in {@code docs/formats.md}. Bad input
 * throws {@link io.gpualloc.core.ParseException} with the source, line, column and the path of
 * the offending field.
 *
 * <p>This is the only package of gpualloc that uses Jackson ({@code jackson-databind} and {@code
 * jackson-dataformat-yaml}), an optional dependency: hosts that never touch this package need not
 * ship it.
 */
@NullMarked
package io.gpualloc.core.io;

import org.jspecify.annotations.NullMarked;
