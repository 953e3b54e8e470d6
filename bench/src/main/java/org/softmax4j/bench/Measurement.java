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

/**
 * One benchmark × parameter combination as the report reads it, taken from JMH's {@link RunResult} objects.
 * {@code median} is the median ns/op over every measurement iteration of every fork: these machines are shared,
 * and one disturbed iteration should not move a published number; JMH's mean and 99.9% error are kept for the CSV.
 * {@code contender} is the method ("read", "copy") for the memory family.
 */
record Measurement(Family family, String benchmark, String contender, String shape, long elements, int threads,
                   String vectorBits, int warmupIterations, int samples, double median, double mean, double error,
                   double allocBytesPerOp) {
    private static final String VECTOR_BITS = "-Dsoftmax4j.vectorBits=";

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
                samples.length, median, primary.getScore(), primary.getScoreError(), allocation(run));
    }

    /** JMH's gc profiler result, bytes allocated per call; NaN without -prof gc. */
    private static double allocation(RunResult run) {
        for (Map.Entry<String, Result> e : run.getSecondaryResults().entrySet()) {
            // JMH 1.37 names it "·gc.alloc.rate.norm"; some versions drop the middle dot.
            if (e.getKey().replace("\u00b7", "").equals("gc.alloc.rate.norm")) {
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
