package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.softmax4j.Sampling;
import org.softmax4j.Softmax;

import java.util.Arrays;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;

/**
 * Choosing the next token from one vocabulary row (Llama 3's 128256 by default): softmax4j's {@link Sampling} beside
 * what a Java engine writes by hand. argmax: a scalar loop. top-k (k = 40): a full sort of boxed indices, and a
 * bounded {@link PriorityQueue}. top-p (0.9): a full sort of boxed indices by probability, then the cumulative walk.
 * The row: N(0, 3) logits ({@link Inputs#benchmarkRow}), their softmax for top-p; each top-p call draws the next of
 * 64 fixed uniforms. The parameter is "vocab", not "n", so the row benchmark's -p n=... list leaves it alone.
 */
public class SamplingBenchmark extends JmhSettings {
    static final int K = 40;
    static final float TOP_P = 0.9f;

    @Param({"softmax4j-argmax", "loop-argmax", "softmax4j-top-k", "sort-top-k", "queue-top-k", "softmax4j-top-p",
        "sort-top-p"})
    public String contender;

    @Param("128256")
    public int vocab;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private float[] logits;
    private float[] probs;
    private final int[] top = new int[K];
    private final double[] draws = new double[64];
    private int call;
    private IntSupplier op;

    @Setup(Level.Trial)
    public void setUp() {
        logits = Inputs.benchmarkRow(vocab);
        probs = Softmax.softmax(logits);
        SplittableRandom random = new SplittableRandom(Inputs.SEED);
        for (int i = 0; i < draws.length; i++) {
            draws[i] = random.nextDouble();
        }
        op = switch (contender) {
            case "softmax4j-argmax" -> () -> Sampling.argmax(logits, 0, logits.length);
            case "loop-argmax" -> () -> loopArgmax(logits);
            case "softmax4j-top-k" -> () -> Sampling.topK(logits, 0, logits.length, K, top, 0);
            case "sort-top-k" -> () -> sortTopK(logits, top);
            case "queue-top-k" -> () -> queueTopK(logits, top);
            case "softmax4j-top-p" -> () -> Sampling.sampleTopP(probs, 0, probs.length, TOP_P, draws[call++ & 63]);
            case "sort-top-p" -> () -> sortTopP(probs, TOP_P, draws[call++ & 63]);
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        verify();
    }

    @Benchmark
    public int run() {
        return op.getAsInt();
    }

    /** A contender that computes something else fails the trial instead of posting a number. */
    private void verify() {
        int expected;
        int actual;
        if (contender.endsWith("argmax")) {
            expected = loopArgmax(logits);
            actual = op.getAsInt();
        } else if (contender.endsWith("top-k")) {
            int[] reference = new int[K];
            sortTopK(logits, reference);
            op.getAsInt();
            expected = Arrays.hashCode(reference);
            actual = Arrays.hashCode(top);
        } else {
            expected = 0;
            actual = 0;
            for (int i = 0; i < draws.length; i++) {
                expected += sortTopP(probs, TOP_P, draws[i]) == Sampling.sampleTopP(probs, 0, vocab, TOP_P, draws[i])
                        ? 0 : 1;
            }
            call = 0;
        }
        if (expected != actual) {
            throw new IllegalStateException(contender + " disagrees with the plain reference on vocab " + vocab);
        }
    }

    static int loopArgmax(float[] x) {
        int best = 0;
        for (int i = 1; i < x.length; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Largest first, ties by lower index. */
    private static Comparator<Integer> descending(float[] x) {
        return (a, b) -> x[a] != x[b] ? Float.compare(x[b], x[a]) : Integer.compare(a, b);
    }

    static int sortTopK(float[] x, int[] out) {
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, descending(x));
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out.length;
    }

    static int queueTopK(float[] x, int[] out) {
        Comparator<Integer> descending = descending(x);
        PriorityQueue<Integer> worstFirst = new PriorityQueue<>(out.length + 1, descending.reversed());
        for (int i = 0; i < x.length; i++) {
            if (worstFirst.size() < out.length) {
                worstFirst.add(i);
            } else if (descending.compare(i, worstFirst.peek()) < 0) {
                worstFirst.poll();
                worstFirst.add(i);
            }
        }
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = worstFirst.poll();
        }
        return out.length;
    }

    static int sortTopP(float[] p, float topP, double u) {
        Integer[] order = new Integer[p.length];
        double total = 0;
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
            total += p[i];
        }
        Arrays.sort(order, descending(p));
        double kept = 0;
        int m = 0;
        while (m < p.length && kept < topP * total) {
            kept += p[order[m++]];
        }
        double cumulative = 0;
        for (int j = 0; j < m; j++) {
            cumulative += p[order[j]];
            if (cumulative > u * kept) {
                return order[j];
            }
        }
        return order[m - 1];
    }
}
