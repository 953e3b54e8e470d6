package org.softmax4j.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One benchmark × parameter combination as the report reads it, taken from JMH's {@link RunResult} objects.
 * {@code median} is the median ns/op over every measurement iteration of every fork: these machines are shared,
 * and one disturbed iteration should not move a published number; JMH's mean and 99.9% error are kept for the CSV.
 * {@code contender} is the method ("read", "copy") for the memory family. {@code allocBytesPerOp} is
 * {@link CallAllocationProfiler}'s bytes per call (NaN when that profiler did not run: JMH's {@code gc.alloc.rate.norm}
 * holds ~7 KB of JMH's own per iteration, which the allocation rule does not forgive), {@code gcAllocBytesPerOp}
 * JMH's, for the CSV; {@code iterationNanos} the length of one measurement iteration.
 */
record Measurement(Family family, String benchmark, String contender, String shape, long elements, int threads,
                   String vectorBits, int warmupIterations, int samples, double median, double mean, double error,
                   double allocBytesPerOp, double gcAllocBytesPerOp, double iterationNanos) {
    private static final String VECTOR_BITS = "-Dsoftmax4j.vectorBits=";
    private static final String GC_ALLOC = "gc.alloc.rate.norm";

    /**
     * More than "0 B/op": one boxed vector is 48 bytes or more (a 128-bit one: a 16-byte object and its 32-byte
     * array; 64 at 256 bits, 96 at 512), and the segment entry point's {@code Optional} of a float[] stays below.
     */
    static final int ZERO_ALLOC_BYTES = 32;
    /**
     * JMH's worker thread makes a few objects of its own per iteration (its raw and task results), which
     * {@link CallAllocationProfiler} cannot tell from the calls': 512 bytes, measured (java-scalar at 16M floats, 10
     * calls per 1 s iteration: 51.2 B/op). Twice that is forgiven per iteration, so a contender slow enough to make
     * only a few calls per iteration is not called allocating for JMH's bytes.
     */
    private static final double JMH_WORKER_BYTES_PER_ITERATION = 1024;

    /**
     * Whether the calls allocate: more than {@link #ZERO_ALLOC_BYTES} per call once JMH's worker bytes are taken out
     * (false when not measured). Some allocate by design: see {@link #allocationByDesign()}.
     */
    boolean allocates() {
        double calls = iterationNanos / median;
        return allocBytesPerOp - JMH_WORKER_BYTES_PER_ITERATION / Math.max(calls, 1) > ZERO_ALLOC_BYTES;
    }

    /**
     * Why this contender allocates per call by design, or null: the Executor overload (the batch benchmark's
     * softmax4j when bench.sh's --threads is above 1, the parallel rows benchmark's "-N-threads" contenders) makes
     * its tasks, and the rejected one-source design boxes its vectors, which is what it is kept to show. The headline
     * does not hold these to "0 B/op", and the allocation check lists them apart.
     */
    String allocationByDesign() {
        if (contender.endsWith("-threads")
                || family == Family.ROWS && threads > 1 && contender.equals(Contenders.SOFTMAX4J)) {
            return "its executor's tasks";
        }
        return contender.equals(OffHeapSoftmaxBenchmark.SEGMENT_KERNEL_ON_ARRAY)
                ? "boxed vectors: the rejected one-source design, kept to show this" : null;
    }

    double nsPerElement() {
        return median / elements;
    }

    double elementsPerNs() {
        return elements / median;
    }

    /**
     * Results with the same key were measured by the same benchmark method on the same shape, width and thread
     * count: they compare. (Each class has one method except the training family's, whose methods are ops.)
     */
    String key() {
        return family + "|" + benchmark + "|" + shape + "|" + threads + "|" + vectorBits;
    }

    /** The results the report knows how to read, in table order; benchmarks of other classes are skipped. */
    static List<Measurement> of(Collection<RunResult> runs) {
        List<Measurement> all = new ArrayList<>();
        for (RunResult run : runs) {
            Measurement m = of(run);
            if (m != null) {
                all.add(m);
            }
        }
        all.sort(Comparator.comparing(Measurement::family)
                .thenComparing(Measurement::vectorBits)
                .thenComparing(Measurement::benchmark)
                .thenComparingInt(Measurement::threads)
                .thenComparingLong(Measurement::elements)
                .thenComparing(Measurement::shape)
                .thenComparing(Measurement::contender, Contenders.ORDER));
        return all;
    }

    private static Measurement of(RunResult run) {
        BenchmarkParams params = run.getParams();
        String[] parts = params.getBenchmark().split("\\.");
        Family family = parts.length < 2 ? null : Family.of(parts[parts.length - 2]);
        if (family == null) {
            return null;
        }
        String method = parts[parts.length - 1];
        String contender = family == Family.MEMORY ? method
                : family == Family.PASSES ? params.getParam("pass") : params.getParam("contender");
        String shape = switch (family) {
            case SOFTMAX -> params.getParam("n");
            case LOG_SOFTMAX -> params.getParam("logN");
            case CROSSOVER -> params.getParam("length");
            case PASSES -> params.getParam("rowLength");
            case ROWS, FUSED, TRAINING -> params.getParam("shape");
            case OFF_HEAP -> params.getParam("size");
            case MEMORY -> params.getParam("elements");
            case SAMPLING -> params.getParam("vocab");
            case ONLINE -> params.getParam("seq");
        };
        long elements = Arrays.stream(shape.split("x")).mapToLong(Long::parseLong).reduce(1, Math::multiplyExact);
        String threads = params.getParam("threads");

        Result<?> primary = run.getPrimaryResult();
        if (!"ns/op".equals(primary.getScoreUnit())) {
            throw new IllegalStateException(params.getBenchmark() + " reports " + primary.getScoreUnit()
                    + ", expected ns/op (run with -bm avgt -tu ns)");
        }
        double[] samples = run.getBenchmarkResults().stream()
                .map(BenchmarkResult::getIterationResults)
                .flatMap(Collection::stream)
                .map(IterationResult::getPrimaryResult)
                .mapToDouble(Result::getScore)
                .filter(Double::isFinite)
                .sorted()
                .toArray();
        double median = samples.length == 0 ? primary.getScore() : median(samples);
        return new Measurement(family, method, contender, shape, elements,
                threads == null ? 1 : Integer.parseInt(threads), vectorBits(params), params.getWarmup().getCount(),
                samples.length, median, primary.getScore(), primary.getScoreError(),
                secondary(run, CallAllocationProfiler.RESULT), secondary(run, GC_ALLOC),
                params.getMeasurement().getTime().convertTo(TimeUnit.NANOSECONDS));
    }

    /** A profiler's result by name, or NaN when that profiler did not run. */
    private static double secondary(RunResult run, String name) {
        for (Map.Entry<String, Result> e : run.getSecondaryResults().entrySet()) {
            // JMH 1.37 names them "·gc.alloc.rate.norm"; some versions drop the middle dot.
            if (e.getKey().replace("\u00b7", "").equals(name)) {
                return e.getValue().getScore();
            }
        }
        return Double.NaN;
    }

    private static String vectorBits(BenchmarkParams params) {
        for (String arg : params.getJvmArgs()) {
            if (arg.startsWith(VECTOR_BITS)) {
                return arg.substring(VECTOR_BITS.length());
            }
        }
        return "auto";
    }

    private static double median(double[] sorted) {
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
