package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The training ops allocate nothing per call once compiled (as {@link VectorAllocationTest} checks for softmax):
 * a boxed vector in the new microkernels, or scratch not kept, would show here. Rows of one block and of several,
 * with and without label smoothing, backward ops in place and not; best of several rounds (see VectorAllocationTest
 * for why).
 */
class TrainingAllocationTest {
    @Test
    void backwardAndCrossEntropyAllocateNothingOnceCompiled() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().threadId();
        SplittableRandom random = new SplittableRandom(7);
        int[] targets = new int[8];
        float[] logits = CrossEntropyTest.batch(random.nextLong(), 2, 9000, targets, false);
        float[] small = CrossEntropyTest.batch(random.nextLong(), 8, 100, targets, false);
        float[] y = Softmax.softmax(Rows.NORMAL_0_3.row(random.nextLong(), 1000));
        float[] dy = Rows.NORMAL_0_1.row(random.nextLong(), 1000);
        float[] logp = new float[1000];
        Softmax.logSoftmax(Rows.NORMAL_0_3.row(random.nextLong(), 1000), 0, logp, 0, 1000);
        float[] work = new float[18000];
        CrossEntropy plain = CrossEntropy.builder().build();
        CrossEntropy smooth = CrossEntropy.builder().labelSmoothing(0.1f).reduction(CrossEntropy.Reduction.SUM).build();
        for (int c = 0; c < 3000; c++) {
            run(plain, smooth, logits, small, targets, y, logp, dy, work);
        }
        long best = Long.MAX_VALUE;
        // rounds for up to 10 s: on a loaded machine C2 may take a while to recompile a kernel another test
        // deoptimized (meanwhile C1 code boxes every vector); a steady allocation shows in every round
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (best > 0 && System.nanoTime() < deadline) {
            long before = threads.getThreadAllocatedBytes(thread);
            for (int c = 0; c < 100; c++) {
                run(plain, smooth, logits, small, targets, y, logp, dy, work);
            }
            best = Math.min(best, threads.getThreadAllocatedBytes(thread) - before);
        }
        String where = best > 0
                ? Allocations.where(() -> run(plain, smooth, logits, small, targets, y, logp, dy, work), 2000) : "";
        assertEquals(0, best, "bytes allocated by 100 rounds of training calls on " + Softmax.implementation()
                + "; allocating frames: " + where);
    }

    private static void run(CrossEntropy plain, CrossEntropy smooth, float[] logits, float[] small, int[] targets,
                            float[] y, float[] logp, float[] dy, float[] work) {
        plain.lossAndGradient(logits, 2, 9000, targets, work);
        smooth.lossAndGradient(logits, 2, 9000, targets, work);
        plain.loss(logits, 2, 9000, targets);
        smooth.lossAndGradient(small, 8, 100, targets, work);
        Softmax.softmaxBackward(y, 0, dy, 0, work, 0, 1000);
        Softmax.logSoftmaxBackward(logp, 0, dy, 0, work, 0, 1000);
        Softmax.softmaxBackwardRows(y, dy, work, 10, 100);
        Softmax.logSoftmaxBackwardRows(logp, dy, work, 10, 100);
    }
}
