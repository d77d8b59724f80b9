/**
 * JMH microbenchmarks (one subpackage per measured area) and the trace-replay simulator. Build the
 * runnable jar with {@code mvn -B -pl benchmarks -am package -DskipTests} and run {@code java -jar
 * benchmarks/target/gpualloc-benchmarks.jar} without arguments for the usage: {@code replay}, the
 * JMH benchmarks by name and the example programs.
 */
package io.gpualloc.benchmarks;
