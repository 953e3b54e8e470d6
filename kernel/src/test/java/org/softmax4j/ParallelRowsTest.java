package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Rows split across threads: bitwise the single-threaded result, and failures reach the caller after the tasks. */
class ParallelRowsTest {

    @Test
    void bitwiseEqualToTheSingleThreadedCallOnEveryExecutor() throws Exception {
        long seed = Rows.seed();
        ExecutorService fixed = Executors.newFixedThreadPool(3);
        ForkJoinPool four = new ForkJoinPool(4);
        try {
            for (int[] shape : new int[][] {{64, 32000}, {7, 5000}, {1, 100000}, {100, 3}, {0, 10}, {3, 0}}) {
                int rows = shape[0];
                int cols = shape[1];
                float[] x = Rows.NORMAL_0_10.row(seed, rows * cols);
                float[] expected = new float[x.length];
                float[] expectedLog = new float[x.length];
                Softmax.softmaxRows(x, expected, rows, cols);
                Softmax.logSoftmaxRows(x, expectedLog, rows, cols);
                for (java.util.concurrent.Executor executor
                        : new java.util.concurrent.Executor[] {ForkJoinPool.commonPool(), fixed, four, Runnable::run}) {
                    String what = rows + "x" + cols + " on " + executor + " seed=" + seed;
                    float[] y = new float[x.length];
                    Softmax.softmaxRows(x, y, rows, cols, executor);
                    assertArrayEquals(expected, y, what);
                    Softmax.logSoftmaxRows(x, y, rows, cols, executor);
                    assertArrayEquals(expectedLog, y, what);
                    float[] inPlace = x.clone();
                    Softmax.softmaxRows(inPlace, inPlace, rows, cols, executor);
                    assertArrayEquals(expected, inPlace, what + " in place");
                }
            }
        } finally {
            fixed.shutdown();
            four.shutdown();
        }
    }

    @Test
    void splitsOnlyWorkWorthSplitting() {
        ForkJoinPool four = new ForkJoinPool(4);
        try {
            assertEquals(1, ParallelRows.tasks(1, 1 << 20, four), "one row");
            assertEquals(1, ParallelRows.tasks(8, 100, four), "too little work");
            assertTrue(ParallelRows.tasks(64, 32000, four) == Math.min(5, Runtime.getRuntime().availableProcessors()));
        } finally {
            four.shutdown();
        }
    }

    @Test
    void aRejectedTaskReachesTheCallerAfterTheAcceptedOnesEnd() {
        AtomicInteger accepted = new AtomicInteger();
        java.util.concurrent.Executor acceptsOne = task -> {
            if (accepted.getAndIncrement() > 0) {
                throw new RejectedExecutionException("full");
            }
            new Thread(() -> {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            }).start();
        };
        AtomicInteger rowsDone = new AtomicInteger();
        float[] x = new float[64 * 32000];
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> ParallelRows.run(x, x, 64, 32000, acceptsOne, (s, d, at, n) -> rowsDone.incrementAndGet(), 3));
        assertEquals("full", e.getMessage());
        // the caller stops at the rejection; the accepted task, started late, claims every row and has ended
        assertEquals(64, rowsDone.get(), "the accepted task's rows, all done before the call returned");
    }

    @Test
    void anExceptionInATaskReachesTheCaller() {
        float[] x = new float[64 * 32000];
        IllegalStateException boom = new IllegalStateException("row 50");
        AtomicInteger rowsDone = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ParallelRows.run(x, x, 64, 32000, ForkJoinPool.commonPool(), (s, d, at, n) -> {
                    if (at == 50 * 32000) {
                        throw boom;
                    }
                    rowsDone.incrementAndGet();
                }, 2));
        assertSame(boom, e);
        assertEquals(63, rowsDone.get(), "every other row ran: the other thread goes on claiming rows");
        assertThrows(NullPointerException.class, () -> Softmax.softmaxRows(x, x, 64, 32000, null));
    }
}
