package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.softmax4j.KernelPasses;

/**
 * What each pass of softmax4j's kernel costs on its own, on one row held in cache: the max (with NaN semantics, as
 * log-softmax uses it; with the min, as the softmax paths use it), exp stored and summed (without the underflow
 * test, as on a row whose min shows that nothing can underflow, and with it, as on masked rows), exp summed only
 * (the two-pass contender's first pass), the normalize multiply, and log-softmax's exact log-sum-exp. A softmax row
 * of up to 4096 floats costs max-and-min + exp-store-sum + scale plus the call's own overhead.
 */
public class PassBenchmark extends JmhSettings {
    @Param({"max", "max-and-min", "exp-store-sum", "exp-store-sum-tested", "exp-sum", "scale", "log-sum-exp"})
    public String pass;

    /** Not "n": the row benchmark's -p n=... list must leave this one alone. */
    @Param({"1024", "4096"})
    public int rowLength;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private float[] src;
    private float[] dst;
    private float max;
    private float min;

    @Setup(Level.Trial)
    public void setUp() {
        src = Inputs.benchmarkRow(rowLength);
        dst = new float[rowLength];
        max = KernelPasses.max(src, rowLength);
        min = KernelPasses.min(src, rowLength);
    }

    @Benchmark
    public double run() {
        return switch (pass) {
            case "max" -> KernelPasses.max(src, rowLength);
            case "max-and-min" -> KernelPasses.maxAndMin(src, rowLength);
            case "exp-store-sum" -> KernelPasses.storeExpMinusMaxAndSum(src, dst, rowLength, max, min);
            case "exp-store-sum-tested" ->
                    KernelPasses.storeExpMinusMaxAndSum(src, dst, rowLength, max, Float.NEGATIVE_INFINITY);
            case "exp-sum" -> KernelPasses.sumExpMinusMax(src, rowLength, max);
            case "scale" -> {
                KernelPasses.scale(dst, rowLength, 1.0);
                yield dst[0];
            }
            case "log-sum-exp" -> KernelPasses.logSumExpMinusMax(src, rowLength, max);
            default -> throw new IllegalArgumentException("unknown pass " + pass);
        };
    }
}
