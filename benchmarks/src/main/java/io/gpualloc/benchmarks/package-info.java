/**
 * JMH microbenchmarks (one subpackage per measured area) and the trace-replay simulator. Build the
 * runnable jar with {@code mvn -B -pl benchmarks -am package -DskipTests} and run {@code java -jar
 * benchmarks/target/gpualloc-benchmarks.jar -h}.
 */
package io.gpualloc.benchmarks;
