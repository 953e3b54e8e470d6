package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * No allocation per call after warm-up. A Vector API loop that C2 did not fully inline boxes every vector, which
 * shows up here as bytes allocated (and in speed as about 5-10x slower), so this guards the kernel's structure
 * (see the vector package's package-info). Warm-up mixes short and long rows in the order that once made C2 inline a
 * kernel loop into the facade and give up on its helpers. The check takes the best of several rounds so that a
 * recompilation during one round does not fail it.
 */
class VectorAllocationTest {
    private static final int[] LENGTHS = {16, 100, 1024, 4099, 32000};
    /** Call kinds: plain softmax, log-softmax and rows, then the fused variants (see {@link #run(int, float[], float[], float[])}). */
    private static final int KINDS = 7;

    @Test
    void softmaxAndLogSoftmaxAllocateNothingOnceCompiled() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        SplittableRandom random = new SplittableRandom(7);
        float[][] rows = new float[LENGTHS.length][];
        for (int k = 0; k < LENGTHS.length; k++) {
            rows[k] = Rows.NORMAL_0_3.row(random.nextLong(), LENGTHS[k]);
        }
        float[] dst = new float[32000];
        float[] rowsDst = new float[16 * 64];
        for (int k = 0; k < LENGTHS.length; k++) {
            int calls = 4_000_000 / LENGTHS[k] + 2000;
            for (int c = 0; c < calls; c++) {
                run(rows[k], dst, rowsDst);
            }
        }
        long best = Long.MAX_VALUE;
        // Up to 50 rounds (about 10 ms each): when another test in the same JVM has left other profiles, C2 may
        // deoptimize a kernel once more here and run it in C1 (boxing every vector) until it recompiles. Measured
        // once in the 256-bit run; a steady allocation, the thing this test is for, shows in every round.
        for (int round = 0; round < 50 && best > 0; round++) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int c = 0; c < 200; c++) {
                for (float[] row : rows) {
                    run(row, dst, rowsDst);
                }
            }
            best = Math.min(best, threads.getThreadAllocatedBytes(thread) - before);
        }
        String culprits = best > 0 ? allocatingCalls(threads, thread, rows, dst, rowsDst) : "";
        assertEquals(0, best, "bytes allocated by 200 rounds of softmax/logSoftmax calls on " + Softmax.implementation()
                + "; per call kind and length, the least of 10 rounds of 200 calls: " + culprits);
    }

    /** Which calls allocate: each kind at each length alone, least bytes over 10 rounds of 200 calls. */
    private static String allocatingCalls(com.sun.management.ThreadMXBean threads, long thread, float[][] rows,
                                          float[] dst, float[] rowsDst) {
        StringBuilder found = new StringBuilder();
        String[] kinds = {"softmax", "logSoftmax", "softmaxRows", "scaled softmax", "scaled logSoftmax",
            "maskedSoftmaxRows", "causalSoftmaxRows"};
        for (float[] row : rows) {
            for (int kind = 0; kind < KINDS; kind++) {
                long least = Long.MAX_VALUE;
                for (int round = 0; round < 10; round++) {
                    long before = threads.getThreadAllocatedBytes(thread);
                    for (int c = 0; c < 200; c++) {
                        run(kind, row, dst, rowsDst);
                    }
                    least = Math.min(least, threads.getThreadAllocatedBytes(thread) - before);
                }
                if (least > 0) {
                    int k = kind;
                    found.append(kinds[kind]).append(" n=").append(row.length).append(": ").append(least)
                            .append(" B (").append(Allocations.where(() -> run(k, row, dst, rowsDst), 20000))
                            .append("); ");
                }
            }
        }
        return found.length() == 0 ? "none alone (only mixed)" : found.toString();
    }

    private static void run(int kind, float[] row, float[] dst, float[] rowsDst) {
        switch (kind) {
            case 0 -> Softmax.softmax(row, 0, dst, 0, row.length);
            case 1 -> Softmax.logSoftmax(row, 0, dst, 0, row.length);
            case 2 -> Softmax.softmaxRows(row, rowsDst, 16, Math.min(64, row.length / 16));
            case 3 -> Softmax.softmax(row, 0, dst, 0, row.length, 0.125f);
            case 4 -> Softmax.logSoftmax(row, 0, dst, 0, row.length, 0.125f);
            case 5 -> Softmax.maskedSoftmaxRows(row, 0, row.length, row, 0, 0, dst, 0, row.length, 1, row.length, 0.5f);
            default -> {
                int cols = Math.min(64, row.length / 16);
                Softmax.causalSoftmaxRows(row, 0, cols, rowsDst, 0, cols, 16, cols, 0.5f, 0);
            }
        }
    }

    private static void run(float[] row, float[] dst, float[] rowsDst) {
        for (int kind = 0; kind < KINDS; kind++) {
            run(kind, row, dst, rowsDst);
        }
    }
}
