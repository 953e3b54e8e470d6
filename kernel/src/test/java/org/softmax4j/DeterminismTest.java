package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * The same input gives the same bits before and after the JIT compiles the kernel. Surefire runs this class alone
 * in a fresh JVM (execution "determinism" in kernel/pom.xml), so its first calls really run interpreted; in the
 * shared JVM other tests would have compiled everything first.
 */
class DeterminismTest {
    @Test
    void sameInputSameBitsBeforeAndAfterTheJitCompilesIt() {
        long seed = Rows.seed();
        // 3 * 4096 + 5: the blocked path, whose block factors come from Math.exp interpreted, then compiled
        for (int n : new int[] {7, 1003, 3 * BlockedSoftmax.BLOCK + 5}) {
            float[] x = Rows.NORMAL_0_10.row(seed, n);
            float[] first = Softmax.softmax(x);
            float[] firstLog = new float[n];
            Softmax.logSoftmax(x, 0, firstLog, 0, n);
            float[] y = new float[n];
            for (int call = 0; call < 40_000; call++) {  // enough calls for C2 to compile every kernel loop
                Softmax.softmax(x, 0, y, 0, n);
                assertArrayEquals(first, y, "softmax, call " + call + " n=" + n + " seed=" + seed);
                Softmax.logSoftmax(x, 0, y, 0, n);
                assertArrayEquals(firstLog, y, "log-softmax, call " + call + " n=" + n + " seed=" + seed);
            }
        }
    }
}
