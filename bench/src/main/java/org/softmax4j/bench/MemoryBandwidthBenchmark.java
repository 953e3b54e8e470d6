package org.softmax4j.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
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
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The memory roofline, measured in the same run as the contenders: a read-only pass (vector sum with four
 * independent accumulators, so the adds never limit it) and a copy pass ({@code System.arraycopy}) over
 * {@code elements} floats, 16M = 64 MiB per array by default, far past any last-level cache. The report turns them
 * into the two-pass softmax floor: read x once, then read x and write y, i.e. 4 bytes at read speed plus 8 bytes at
 * copy speed per element.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(value = 3, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MemoryBandwidthBenchmark {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    /** Enough calls for C2 (tier 4 compiles after ~15000 invocations with loops); short enough to run in ~0.2 s. */
    private static final int WARM_UP_CALLS = 30_000;
    private static final int WARM_UP_LENGTH = 256;

    @Param("16777216")
    public int elements;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private float[] a;
    private float[] b;

    @Setup(Level.Trial)
    public void setUp() {
        a = Inputs.benchmarkRow(elements);
        b = new float[elements];
        // Until C2 compiles it, the Vector API loop runs interpreted and boxes every vector: one call over 1M floats
        // then takes ~50 ms, so a short warm-up (--smoke's 100 ms) sees two calls and the "floor" came out at
        // 0.1 GB/s. Many calls on a short prefix get it compiled in a fraction of a second, whatever the size.
        for (int i = 0; i < WARM_UP_CALLS; i++) {
            sum(a, Math.min(a.length, WARM_UP_LENGTH));
        }
    }

    /** Reads every float once: 4 bytes per element. */
    @Benchmark
    public float read() {
        return sum(a, a.length);
    }

    private static float sum(float[] x, int length) {
        int step = SPECIES.length();
        int bound4 = length - length % (4 * step);
        FloatVector s0 = FloatVector.zero(SPECIES);
        FloatVector s1 = FloatVector.zero(SPECIES);
        FloatVector s2 = FloatVector.zero(SPECIES);
        FloatVector s3 = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound4; i += 4 * step) {
            s0 = s0.add(FloatVector.fromArray(SPECIES, x, i));
            s1 = s1.add(FloatVector.fromArray(SPECIES, x, i + step));
            s2 = s2.add(FloatVector.fromArray(SPECIES, x, i + 2 * step));
            s3 = s3.add(FloatVector.fromArray(SPECIES, x, i + 3 * step));
        }
        float sum = s0.add(s1).add(s2.add(s3)).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += x[i];
        }
        return sum;
    }

    /** Reads and writes every float once: 8 bytes per element (write-allocate traffic not counted). */
    @Benchmark
    public float[] copy() {
        System.arraycopy(a, 0, b, 0, a.length);
        return b;
    }
}
