package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The facade (the blocked path at every length: one exp per element, 16 bytes of traffic) against the two-pass path
 * forced (two exps, 12 bytes), on rows from L2-sized to far past any cache: whether two passes over memory would pay
 * anywhere on the machine at hand. The parameter is "length", not "n", so that the row benchmark's -p n=... list
 * leaves it alone.
 */
public class CrossoverBenchmark extends SoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-two-pass"})
    public String contender;

    @Param({"1048576", "4194304", "16777216", "67108864"})
    public int length;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        load(new Workload(contender, Op.SOFTMAX, 1, length));
    }

    @Benchmark
    public float[] softmax() {
        run.run(src, dst);
        return dst;
    }
}
