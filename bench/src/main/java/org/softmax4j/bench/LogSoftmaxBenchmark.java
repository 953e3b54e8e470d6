package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Log-softmax of one vocabulary row (the loss and sampling path). The parameter is {@code logN}, not {@code n},
 * so {@code -p n=...} on the command line narrows the softmax rows without touching this benchmark.
 */
public class LogSoftmaxBenchmark extends SoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-scalar", "jdk-exp", "java-scalar", "onnxruntime"})
    public String contender;

    @Param("32000")
    public int logN;

    /** Recorded with the results; every benchmark is single-threaded for now. */
    @Param("1")
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        load(new Workload(contender, Op.LOG_SOFTMAX, 1, logN));
    }

    @Benchmark
    public float[] logSoftmax() {
        run.run(src, dst);
        return dst;
    }
}
