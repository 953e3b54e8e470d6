package org.softmax4j;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;

/**
 * Contiguous rows split across an executor's threads: the rows are cut into one run of consecutive rows per
 * thread; all but the first run go to the executor and the caller computes the first itself, then joins the
 * others. Each row is computed by the same code as on one thread, so the result is bitwise the same.
 *
 * <p>Below {@link #MIN_ELEMENTS_PER_TASK} elements per run the hand-off costs more than it saves, and the call stays
 * on the caller's thread. A split allocates a few small objects per call (the tasks); unavoidable
 * with {@link Executor}'s API, and small beside the work it splits.
 */
final class ParallelRows {
    private ParallelRows() {}

    /**
     * The smallest run worth handing to another thread: 16384 floats, about 5 µs of softmax at 0.3 ns/element,
     * several times a hand-off to an idle pool thread and back (its wake-up and the join). ParallelRowsBenchmark
     * measures the split at twice this size (8 x 4096) beside the single-threaded call (docs/PERFORMANCE.md).
     */
    static final int MIN_ELEMENTS_PER_TASK = 1 << 14;

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
        // ForkJoinTasks even for other executors (they are RunnableFutures): join() from a ForkJoinPool worker runs
        // or helps with queued tasks instead of blocking the pool's only worker, as a latch would.
        ForkJoinTask<?>[] submitted = new ForkJoinTask<?>[tasks - 1];
        Throwable[] failure = new Throwable[1];
        int count = 0;
        RejectedExecutionException rejected = null;
        for (int t = 1; t < tasks; t++) {
            int from = (int) ((long) rows * t / tasks);
            int to = (int) ((long) rows * (t + 1) / tasks);
            ForkJoinTask<?> task = ForkJoinTask.adapt(() -> {
                try {
                    runRows(src, dst, from, to, cols, op);
                } catch (Throwable e) {
                    record(failure, e);
                }
            });
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
            try {
                runRows(src, dst, 0, (int) ((long) rows / tasks), cols, op);
            } catch (Throwable e) {
                record(failure, e);
            }
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
