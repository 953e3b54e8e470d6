package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Softmax over every row of a row-major batch: 32 attention rows of 1024 (one head's scores) and 64 vocabulary rows
 * of 32000 (a batch of next-token logits). softmax4j goes through {@code softmaxRows}, ONNX Runtime gets one
 * [rows, cols] tensor, the Java baselines loop over rows.
 */
public class BatchSoftmaxBenchmark extends SoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-scalar", "jdk-exp", "java-scalar", "onnxruntime"})
    public String contender;

    /** rows x cols. */
    @Param({"32x1024", "64x32000"})
    public String shape;

    /** Recorded with the results; batches are single-threaded for now. */
    @Param("1")
    public int threads;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be ROWSxCOLS, got " + shape);
        }
        load(new Workload(contender, Op.SOFTMAX, Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
    }

    @Benchmark
    public float[] softmaxRows() {
        run.run(src, dst);
        return dst;
    }
}
