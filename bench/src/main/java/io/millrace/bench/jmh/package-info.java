/**
 * JMH benchmarks of Millrace's hot paths, so that regressions show up as numbers: request decode
 * ({@link io.millrace.bench.jmh.ProduceDecodeBenchmark}, {@link io.millrace.bench.jmh.FetchDecodeBenchmark}),
 * append with offset assignment ({@link io.millrace.bench.jmh.AppendBenchmark}, with a raw file write
 * as its control), offset index lookup ({@link io.millrace.bench.jmh.IndexLookupBenchmark}) and the
 * fetch read ({@link io.millrace.bench.jmh.FetchReadBenchmark}). They use only the public API of the
 * protocol and storage modules; inputs are built with kafka-clients, as a real client would send them.
 *
 * <p>The shaded jar carries JMH's generated {@code META-INF/BenchmarkList}; its main class is the load
 * tool, so the benchmarks run through JMH's own entry point:
 *
 * <pre>
 * java -cp bench/target/millrace-bench.jar org.openjdk.jmh.Main io.millrace.bench.jmh
 * java -cp bench/target/millrace-bench.jar org.openjdk.jmh.Main io.millrace.bench.jmh -wi 1 -i 2 -f 1 -w 1s -r 1s
 * </pre>
 *
 * <p>Storage benchmarks write to temporary directories (deleted at tear-down) under the RELAXED
 * flush policy, so they measure the page cache, not the disk. Numbers from a machine that runs other
 * work at the same time are not comparable: JMH measures wall time, and on two cores any other busy
 * process shows up directly in the score.
 */
package io.millrace.bench.jmh;
