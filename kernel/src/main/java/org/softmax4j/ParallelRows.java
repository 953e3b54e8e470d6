package org.softmax4j;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Contiguous rows split across an executor's threads: one task per thread the executor offers, the caller being
 * one of them; each claims chunks of consecutive rows from a shared counter until none are left, then the caller
 * joins the others. Each row is computed by the same code as on one thread, so the result is bitwise the same
 * whichever thread computes it.
 *
 * <p>Below {@link #MIN_ELEMENTS_PER_TASK} elements per run the hand-off costs more than it saves, and the call stays
 * on the caller's thread. A split allocates a few small objects per call (the tasks); unavoidable
 * with {@link Executor}'s API, and small beside the work it splits.
 */
final class ParallelRows {
    private ParallelRows() {}

    /**
     * The smallest run worth handing to another thread: 2^18 floats, about 100 µs of softmax. Waking a parked pool
     * thread and joining it cost about 65 µs on the 2-vCPU VM this was measured on (JMH, ParallelRowsBenchmark,
     * 2026-12-02, Intel Xeon AVX-512: 8 x 4096 rows took 11.6 µs on one thread and 77 µs split in two), a VM's wake-up
     * of an idle vCPU. At this size a split in two still saves about 30% (16 x 32768: 245 -> 169 µs); below it the
     * hand-off can cost more than the work.
     */
    static final int MIN_ELEMENTS_PER_TASK = 1 << 18;

    /** Rows claimed at a time: about 32768 floats (some 12 µs of softmax), at least one row. */
    private static final int CHUNK_ELEMENTS = 1 << 15;

    /** One row: {@code (src, at, dst, at, cols)}. */
    interface RowOp {
        void row(float[] src, float[] dst, int at, int cols);
    }

    /**
     * Runs {@code op} on every row; returns when all are done. An exception from a task, or the executor's
     * {@link RejectedExecutionException}, is thrown here once every task that started has ended (the rows of
     * tasks that did not run are then left as they were, or partly written).
     */
    static void run(float[] src, float[] dst, int rows, int cols, Executor executor, RowOp op) {
        run(src, dst, rows, cols, executor, op, tasks(rows, cols, executor));
    }

    /** {@link #run(float[], float[], int, int, Executor, RowOp)} in {@code tasks} runs (tests force a count). */
    static void run(float[] src, float[] dst, int rows, int cols, Executor executor, RowOp op, int tasks) {
        if (tasks <= 1) {
            runRows(src, dst, 0, rows, cols, op);
            return;
        }
        // Rows are claimed in chunks from a shared counter rather than cut into fixed runs: a pool thread starts
        // some 65 µs late (its wake-up), and with fixed halves the caller would then wait for it; claimed chunks let
        // the caller take more rows meanwhile. Measured at 64 x 32000 on 2 cores: 1.67-1.82x with fixed halves,
        // 1.83x (1029 -> 561 µs, 2 forks) with claimed chunks; at 16 x 32768, 1.45x.
        AtomicInteger next = new AtomicInteger();
        int chunk = Math.max(1, CHUNK_ELEMENTS / Math.max(1, cols));
        Throwable[] failure = new Throwable[1];
        Runnable work = () -> {
            try {
                for (int from; (from = next.getAndAdd(chunk)) < rows; ) {
                    runRows(src, dst, from, Math.min(rows, from + chunk), cols, op);
                }
            } catch (Throwable e) {
                record(failure, e);
            }
        };
        // ForkJoinTasks even for other executors (they are RunnableFutures): join() from a ForkJoinPool worker runs
        // or helps with queued tasks instead of blocking the pool's only worker, as a latch would.
        ForkJoinTask<?>[] submitted = new ForkJoinTask<?>[tasks - 1];
        int count = 0;
        RejectedExecutionException rejected = null;
        for (int t = 1; t < tasks; t++) {
            ForkJoinTask<?> task = ForkJoinTask.adapt(work);
            try {
                if (executor instanceof ForkJoinPool pool) {
                    pool.execute(task);
                } else {
                    executor.execute((Runnable) task);
                }
            } catch (RejectedExecutionException e) {
                rejected = e;
                break;
            }
            submitted[count++] = task;
        }
        if (rejected == null) {
            work.run();  // the caller claims rows too
        }
        for (int t = 0; t < count; t++) {
            submitted[t].quietlyJoin();  // uninterruptible: the tasks write into the caller's arrays
        }
        if (rejected != null) {
            throw rejected;
        }
        Throwable e;
        synchronized (failure) {
            e = failure[0];
        }
        if (e instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (e instanceof Error error) {
            throw error;
        }
        if (e != null) {
            throw new IllegalStateException(e);  // rows cannot throw checked exceptions; kept for completeness
        }
    }

    /** Runs: one per thread the executor offers (plus the caller), capped by the cores and by the work size. */
    static int tasks(int rows, int cols, Executor executor) {
        int threads;
        if (executor instanceof ForkJoinPool pool) {
            threads = pool.getParallelism() + 1;    // the pool's workers and the caller
        } else if (executor instanceof ThreadPoolExecutor pool) {
            threads = pool.getMaximumPoolSize() + 1;
        } else {
            threads = Integer.MAX_VALUE;
        }
        long byWork = (long) rows * cols / MIN_ELEMENTS_PER_TASK;
        return (int) Math.max(1, Math.min(Math.min(threads, Runtime.getRuntime().availableProcessors()),
                Math.min(rows, byWork)));
    }

    private static void runRows(float[] src, float[] dst, int from, int to, int cols, RowOp op) {
        for (int r = from, at = from * cols; r < to; r++, at += cols) {
            op.row(src, dst, at, cols);
        }
    }

    private static void record(Throwable[] failure, Throwable e) {
        synchronized (failure) {
            if (failure[0] == null) {
                failure[0] = e;
            } else if (failure[0] != e) {
                failure[0].addSuppressed(e);
            }
        }
    }
}
