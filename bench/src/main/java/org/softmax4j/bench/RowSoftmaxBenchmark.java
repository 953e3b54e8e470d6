package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Softmax of one row of n floats, from attention-sized rows (16–4096) through vocabularies (32000 Llama 2,
 * 128256 Llama 3) to rows far past the last-level cache (1M, 16M), where memory bandwidth decides. The n = 16
 * row is mostly per-call overhead, which is what it is there to show.
 */
public class RowSoftmaxBenchmark extends SoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-scalar", "jdk-exp", "java-scalar", "onnxruntime", "onnxruntime-float-arrays"})
    public String contender;

    @Param({"16", "64", "256", "1024", "4096", "32000", "128256", "1048576", "16777216"})
    public int n;

    /** Recorded with the results; every benchmark is single-threaded for now. */
    @Param("1")
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        load(new Workload(contender, Op.SOFTMAX, 1, n));
    }

    @Benchmark
    public float[] softmax() {
        run.run(src, dst);
        return dst;
    }
}
