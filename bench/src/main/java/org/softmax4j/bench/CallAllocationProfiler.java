package org.softmax4j.bench;

import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Bytes allocated per call by the threads that make the calls: JMH's workers, and any thread a contender hands work
 * to (softmax4j's executor in the batch benchmark). Every live thread is counted except the one that calls this
 * profiler: JMH's runner in the forked VM, which also serializes each iteration's results to the host VM.
 *
 * <p>Why not only JMH's {@code -prof gc}: its {@code gc.alloc.rate.norm} counts every thread, so JMH's own garbage
 * of about 7 KB per iteration is divided by the calls of that iteration; at 16M floats, about 100 calls per 1 s
 * iteration, that read 71-80 B/op for a kernel that allocates nothing (VectorAllocationTest), failing the
 * allocation check. What is left here is the calls' own garbage plus the few objects JMH's worker makes per
 * iteration (its raw and task results, 512 bytes: see {@link Measurement#allocates()}), spread over the calls.
 * {@code -prof gc} still runs beside this profiler, and the CSV keeps its figure. Where the JVM cannot count
 * allocation per thread, the result is NaN ("not measured"), never 0.
 *
 * <p>A thread that starts during an iteration is counted whole (all it allocated is from that iteration; JMH's
 * workers start in the first warm-up iteration); one that ends during it is lost, as its counter goes with it.
 * Used as {@code -prof org.softmax4j.bench.CallAllocationProfiler} (bench.sh does).
 */
public final class CallAllocationProfiler implements InternalProfiler {
    /** The secondary result's name; JMH shows it with a leading middle dot. */
    static final String RESULT = "alloc.calls.norm";

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private long[] ids = new long[0];
    private long[] before = new long[0];

    @Override
    public String getDescription() {
        return "Bytes allocated per call by every thread but JMH's runner (ThreadMXBean, per thread)";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        if (!counting()) {
            return;
        }
        ids = callingThreads();
        before = threads.getThreadAllocatedBytes(ids);
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams,
                                                       IterationParams iterationParams, IterationResult result) {
        if (!counting()) {  // every thread would read -1: say "not measured", not 0
            return List.of(new ScalarResult(RESULT, Double.NaN, "B/op", AggregationPolicy.AVG));
        }
        long[] after = threads.getThreadAllocatedBytes(ids);
        long bytes = 0;
        for (int t = 0; t < ids.length; t++) {
            if (before[t] >= 0 && after[t] >= 0) {  // -1: the thread has ended
                bytes += after[t] - before[t];
            }
        }
        long[] started = Arrays.stream(callingThreads()).filter(id -> Arrays.binarySearch(ids, id) < 0).toArray();
        for (long total : threads.getThreadAllocatedBytes(started)) {
            bytes += Math.max(total, 0);
        }
        long calls = result.getMetadata().getAllOps();
        double perCall = calls > 0 ? (double) bytes / calls : Double.NaN;
        return List.of(new ScalarResult(RESULT, perCall, "B/op", AggregationPolicy.AVG));
    }

    private boolean counting() {
        return threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled();
    }

    /** Every live thread but the caller (JMH's runner), sorted for the binary search above. */
    private long[] callingThreads() {
        long runner = Thread.currentThread().threadId();
        return Arrays.stream(threads.getAllThreadIds())
                .filter(id -> id != runner)
                .sorted()
                .toArray();
    }
}
