package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What every softmax-of-rows benchmark shares beyond {@link JmhSettings}: the trial's {@link Workload}: inputs,
 * output and the contender's runner, checked against the reference and released after the trial.
 * Subclasses declare their parameters and load the workload in a {@code @Setup} method.
 */
public abstract class SoftmaxBenchmark extends JmhSettings {
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
        workload.close();
    }
}
