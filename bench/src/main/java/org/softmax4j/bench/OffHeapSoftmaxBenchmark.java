package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.softmax4j.ForcedSegmentSoftmax;
import org.softmax4j.Softmax;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Softmax of rows in memory segments beside the {@code float[]} facade on the same floats: one row of 1024 (attention)
 * and 32000 (vocabulary), and a batch of 32 rows of 1024 ({@code softmaxRows} with stride = cols). Contenders:
 * <ul>
 *   <li>"softmax4j": the {@code float[]} facade, the yardstick;</li>
 *   <li>"softmax4j-native-segment": the segment facade on a native segment (64-byte aligned, shared arena);</li>
 *   <li>"softmax4j-segment-kernel-on-array": the {@code float[]} wrapped by {@code MemorySegment.ofArray} per call
 *       and run through the segment twins (see {@link ForcedSegmentSoftmax}): what arrays would cost if one segment
 *       kernel served both.</li>
 * </ul>
 * The setup checks that the segment outputs are bitwise the {@code float[]} facade's.
 */
public class OffHeapSoftmaxBenchmark extends JmhSettings {
    /** Boxes its vectors, as it exists to show (see {@link Measurement#allocationByDesign()}). */
    static final String SEGMENT_KERNEL_ON_ARRAY = "softmax4j-segment-kernel-on-array";

    @Param({"softmax4j", "softmax4j-native-segment", SEGMENT_KERNEL_ON_ARRAY})
    public String contender;

    /** n, or rows x cols. Not "n" or "shape": the other benchmarks' -p lists must leave this one alone. */
    @Param({"1024", "32000", "32x1024"})
    public String size;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private int rows;
    private int cols;
    private float[] srcArray;
    private float[] dstArray;
    private Arena arena;
    private MemorySegment src;
    private MemorySegment dst;
    private Runnable run;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = size.split("x", -1);
        rows = parts.length == 2 ? Integer.parseInt(parts[0]) : 1;
        cols = Integer.parseInt(parts[parts.length - 1]);
        int n = Math.multiplyExact(rows, cols);
        srcArray = Inputs.benchmarkRow(n);
        dstArray = new float[n];
        arena = Arena.ofShared();  // JMH may run @Setup on another thread than the benchmark's
        src = arena.allocate((long) n * Float.BYTES, 64);
        dst = arena.allocate((long) n * Float.BYTES, 64);
        MemorySegment.copy(srcArray, 0, src, ValueLayout.JAVA_FLOAT, 0, n);
        run = switch (contender) {
            case "softmax4j" -> rows == 1
                    ? () -> Softmax.softmax(srcArray, 0, dstArray, 0, cols)
                    : () -> Softmax.softmaxRows(srcArray, dstArray, rows, cols);
            case "softmax4j-native-segment" -> rows == 1
                    ? () -> Softmax.softmax(src, 0, dst, 0, cols)
                    : () -> Softmax.softmaxRows(src, 0, cols, dst, 0, cols, rows, cols);
            case SEGMENT_KERNEL_ON_ARRAY -> () -> {
                for (int r = 0, o = 0; r < rows; r++, o += cols) {
                    ForcedSegmentSoftmax.softmax(srcArray, o, dstArray, o, cols);
                }
            };
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        run.run();
        float[] expected = new float[n];
        Softmax.softmaxRows(srcArray, expected, rows, cols);
        float[] actual = contender.equals("softmax4j-native-segment")
                ? dst.toArray(ValueLayout.JAVA_FLOAT) : dstArray;
        if (!Arrays.equals(expected, actual)) {
            throw new IllegalStateException(contender + " " + size + " is not bitwise the float[] facade's softmax");
        }
    }

    @Benchmark
    public Object softmax() {
        run.run();
        return contender.equals("softmax4j-native-segment") ? dst : dstArray;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }
}
