package org.softmax4j.bench;

import java.util.concurrent.ForkJoinPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.softmax4j.Softmax;

/**
 * {@code softmaxRows} on a batch of vocabulary rows (64 x 32000) split across an executor: "softmax4j-1-thread" is
 * the single-threaded call, "softmax4j-N-threads" the Executor overload on a ForkJoinPool of N - 1 workers plus the
 * caller. On 2 cores the 2-thread call should reach 1.8x the single-threaded one (issue 7).
 */
public class ParallelRowsBenchmark extends SoftmaxBenchmark {
    @Param({"softmax4j-1-thread", "softmax4j-2-threads"})
    public String contender;

    /**
     * rows x cols: a batch of vocabulary rows, and 16 x 32768, twice ParallelRows.MIN_ELEMENTS_PER_TASK, the smallest
     * work the Executor overload splits (it checks that the hand-off pays there).
     */
    @Param({"64x32000", "16x32768"})
    public String shape;

    /** Recorded with the results; the thread count is in the contender's name. */
    @Param("1")
    public int threads;

    private int rows;
    private int cols;
    private ForkJoinPool pool;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        load(new Workload("softmax4j", Op.SOFTMAX, rows, cols));
        java.util.regex.Matcher threadCount = java.util.regex.Pattern.compile("-(\\d+)-threads?$").matcher(contender);
        if (!threadCount.find()) {
            throw new IllegalArgumentException("contender must end in -N-thread(s), got " + contender);
        }
        int workers = Integer.parseInt(threadCount.group(1)) - 1;
        pool = workers == 0 ? null : new ForkJoinPool(workers);
    }

    @TearDown(Level.Trial)
    public void shutDown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Benchmark
    public float[] softmaxRows() {
        if (pool == null) {
            Softmax.softmaxRows(src, dst, rows, cols);
        } else {
            Softmax.softmaxRows(src, dst, rows, cols, pool);
        }
        return dst;
    }
}
