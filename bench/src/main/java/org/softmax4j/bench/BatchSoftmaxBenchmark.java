package org.softmax4j.bench;

import java.util.concurrent.ForkJoinPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.softmax4j.Softmax;

/**
 * Softmax over every row of a row-major batch: 32 attention rows of 1024 (one head's scores) and 64 vocabulary rows
 * of 32000 (a batch of next-token logits). softmax4j goes through {@code softmaxRows}, ONNX Runtime gets one
 * [rows, cols] tensor, the Java baselines loop over rows.
 */
public class BatchSoftmaxBenchmark extends SoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-scalar", "jdk-exp", "java-scalar", "onnxruntime", "onnxruntime-float-arrays"})
    public String contender;

    /** rows x cols. */
    @Param({"32x1024", "64x32000"})
    public String shape;

    /**
     * softmax4j splits the rows across this many threads (the Executor overload on a ForkJoinPool of threads - 1
     * workers plus the caller; scripts/bench.sh --threads N); the other contenders stay single-threaded.
     */
    @Param("1")
    public int threads;

    private ForkJoinPool pool;
    private int rows;
    private int cols;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be ROWSxCOLS, got " + shape);
        }
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        load(new Workload(contender, Op.SOFTMAX, rows, cols));
        if (threads > 1 && contender.equals(Contender.SOFTMAX4J.id())) {
            pool = new ForkJoinPool(threads - 1);
        }
    }

    @TearDown(Level.Trial)
    public void shutDown() {
        if (pool != null) {
            pool.shutdown();
        }
    }

    @Benchmark
    public float[] softmaxRows() {
        if (pool != null) {
            Softmax.softmaxRows(src, dst, rows, cols, pool);
        } else {
            run.run(src, dst);
        }
        return dst;
    }
}
