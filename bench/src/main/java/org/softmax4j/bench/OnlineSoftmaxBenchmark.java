package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.softmax4j.OnlineSoftmax;
import org.softmax4j.Softmax;

/**
 * What flash attention's block-by-block softmax costs beside one softmax of the whole row: "softmax4j-online" copies
 * each block of {@code block} scores into the work row and {@link OnlineSoftmax#accept}s it (weights against the
 * running max, state in double; no normalize pass, the caller divides its accumulator by {@code sum()} once), and
 * "softmax4j" is {@link Softmax#softmax} of the whole row. N(0, 3) scores. Parameters "seq" and "block", not "n", so
 * the row benchmark's -p n=... list leaves them alone.
 */
public class OnlineSoftmaxBenchmark extends JmhSettings {
    @Param({"softmax4j-online", "softmax4j"})
    public String contender;

    @Param({"4096", "32768"})
    public int seq;

    @Param("256")
    public int block;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private float[] scores;
    private float[] work;
    private final OnlineSoftmax state = new OnlineSoftmax();
    private boolean online;

    @Setup(Level.Trial)
    public void setUp() {
        scores = Inputs.benchmarkRow(seq);
        work = new float[seq];
        online = switch (contender) {
            case "softmax4j-online" -> true;
            case "softmax4j" -> false;
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        float[] whole = Softmax.softmax(scores);
        run();
        if (online) {  // weights / sum(), the block's max being the row's: must be the softmax, to a few ulps
            for (int i = 0; i < seq; i++) {
                double rescaled = work[i] / state.sum();
                if (Math.abs(rescaled - whole[i]) > 1e-6 * whole[i] + 1e-30 && blockMaxIsRowMax(i)) {
                    throw new IllegalStateException("online weights disagree with the softmax at " + i);
                }
            }
        }
    }

    private boolean blockMaxIsRowMax(int i) {
        int start = i / block * block;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = start; j < Math.min(seq, start + block); j++) {
            max = Math.max(max, scores[j]);
        }
        return max == state.max();
    }

    @Benchmark
    public double run() {
        if (!online) {
            Softmax.softmax(scores, 0, work, 0, seq);
            return work[0];
        }
        state.reset();
        double factors = 0;
        for (int start = 0; start < seq; start += block) {
            int len = Math.min(block, seq - start);
            System.arraycopy(scores, start, work, start, len);
            factors += state.accept(work, start, len);
        }
        return factors + state.sum();
    }
}
