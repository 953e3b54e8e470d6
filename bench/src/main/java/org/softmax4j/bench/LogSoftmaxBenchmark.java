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
 * Log-softmax of one vocabulary row (the loss and sampling path). The parameter is {@code logN}, not {@code n},
 * so {@code -p n=...} on the command line narrows the softmax rows without touching this benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class LogSoftmaxBenchmark {
    @Param({"softmax4j", "softmax4j-scalar", "jdk-exp", "java-scalar", "onnxruntime"})
    public String contender;

    @Param("32000")
    public int logN;

    /** Recorded with the results; every benchmark is single-threaded for now. */
    @Param("1")
    public int threads;

    private Workload workload;
    private SoftmaxRun run;
    private float[] src;
    private float[] dst;

    @Setup(Level.Trial)
    public void setUp() {
        workload = new Workload(contender, Op.LOG_SOFTMAX, 1, logN);
        run = workload.run;
        src = workload.src;
        dst = workload.dst;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        workload.close();
    }

    @Benchmark
    public float[] logSoftmax() {
        run.run(src, dst);
        return dst;
    }
}
