package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * Softmax over every row of a row-major batch: 32 attention rows of 1024 (one head's scores) and 64 vocabulary rows
 * of 32000 (a batch of next-token logits). softmax4j goes through {@code softmaxRows}, ONNX Runtime gets one
 * [rows, cols] tensor, the Java baselines loop over rows.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class BatchSoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-scalar", "jdk-exp", "java-scalar", "onnxruntime"})
    public String contender;

    /** rows x cols. */
    @Param({"32x1024", "64x32000"})
    public String shape;

    /** Recorded with the results; batches are single-threaded for now. */
    @Param("1")
    public int threads;

    private Workload workload;
    private SoftmaxRun run;
    private float[] src;
    private float[] dst;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be ROWSxCOLS, got " + shape);
        }
        workload = new Workload(contender, Op.SOFTMAX, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        run = workload.run;
        src = workload.src;
        dst = workload.dst;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
    }

    @Benchmark
    public float[] softmaxRows() {
        run.run(src, dst);
        return dst;
    }
}
