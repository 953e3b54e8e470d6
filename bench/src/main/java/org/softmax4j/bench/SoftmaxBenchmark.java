package org.softmax4j.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What every softmax benchmark shares: the JMH settings of a publishable run (scripts/bench.sh overrides them per
 * mode), the fork flags (every fork needs {@code --add-modules jdk.incubator.vector}; ONNX Runtime loads a native
 * library), and the trial's {@link Workload}: inputs, output and the contender's runner, released after the trial.
 * Subclasses declare their parameters and load the workload in a {@code @Setup} method.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public abstract class SoftmaxBenchmark {
    private Workload workload;
    protected SoftmaxRun run;
    protected float[] src;
    protected float[] dst;

    protected final void load(Workload loaded) {
        workload = loaded;
        run = loaded.run;
        src = loaded.src;
        dst = loaded.dst;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (workload != null) {  // benchmarks that prepare their own inputs load none
            workload.close();
        }
    }
}
