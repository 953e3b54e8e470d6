package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The training ops give the same bits before and after the JIT compiles them (as {@link DeterminismTest} for
 * softmax): surefire runs this class alone in a fresh JVM (execution "determinism-training" in kernel/pom.xml), so
 * its first calls run interpreted, Vector API and StrictMath block factors included.
 */
class TrainingDeterminismTest {
    @Test
    void sameInputSameBitsBeforeAndAfterTheJitCompilesThem() {
        long seed = Rows.seed();
        int rows = 2;
        int cols = CrossEntropy.BLOCK + 5;   // two blocks per row: the block combination runs too
        int[] targets = {3, cols - 1};
        float[] logits = Rows.NORMAL_0_10.row(seed, rows * cols);
        CrossEntropy ce = CrossEntropy.builder().labelSmoothing(0.1f).build();
        float[] firstGradient = new float[rows * cols];
        double firstLoss = ce.lossAndGradient(logits, rows, cols, targets, firstGradient);
        int n = 1003;
        float[] y = Softmax.softmax(Rows.NORMAL_0_3.row(seed + 1, n));
        float[] logp = new float[n];
        Softmax.logSoftmax(Rows.NORMAL_0_3.row(seed + 2, n), 0, logp, 0, n);
        float[] g = Rows.NORMAL_0_1.row(seed + 3, n);
        float[] firstDx = new float[n];
        float[] firstLogDx = new float[n];
        Softmax.softmaxBackward(y, 0, g, 0, firstDx, 0, n);
        Softmax.logSoftmaxBackward(logp, 0, g, 0, firstLogDx, 0, n);

        float[] gradient = new float[rows * cols];
        float[] dx = new float[n];
        String where = " seed=" + seed;
        for (int call = 0; call < 6_000; call++) {  // enough for C2 to compile the loops (OSR first)
            assertEquals(firstLoss, ce.lossAndGradient(logits, rows, cols, targets, gradient), 0.0, "loss " + call + where);
            assertArrayEquals(firstGradient, gradient, "gradient, call " + call + where);
            for (int k = 0; k < 10; k++) {
                Softmax.softmaxBackward(y, 0, g, 0, dx, 0, n);
                assertArrayEquals(firstDx, dx, "softmaxBackward, call " + call + where);
                Softmax.logSoftmaxBackward(logp, 0, g, 0, dx, 0, n);
                assertArrayEquals(firstLogDx, dx, "logSoftmaxBackward, call " + call + where);
            }
        }
    }
}
