package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.softmax4j.CrossEntropy;
import org.softmax4j.Softmax;

import java.util.SplittableRandom;

/**
 * Cross-entropy loss and its gradient over a batch of vocabulary rows (8 x 128256: a Llama 3 vocabulary; 64 x 32000:
 * a Llama 2 one), N(0,3) logits, mean reduction: softmax4j's fused {@link CrossEntropy#lossAndGradient} beside the
 * composition a Java user would write with softmax4j's own calls ("softmax4j-unfused"): {@code logSoftmaxRows} into a
 * log-probability buffer, the targets' entries gathered for the loss, {@code softmaxRows} into the gradient, one
 * subtracted at each target, and a loop that scales by 1/N. Both write the gradient out of place (so every call sees
 * the same logits) into buffers allocated once.
 */
public class CrossEntropyBenchmark extends JmhSettings {
    @Param({"softmax4j", "softmax4j-unfused"})
    public String contender;

    /** rows x cols; "shape" as in BatchSoftmaxBenchmark, so bench.sh --smoke narrows both. */
    @Param({"8x128256", "64x32000"})
    public String shape;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private int rows;
    private int cols;
    private float[] logits;
    private int[] targets;
    private float[] gradient;
    private float[] logp;
    private boolean fused;
    private final CrossEntropy crossEntropy = CrossEntropy.builder().build();

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        logits = Inputs.benchmarkRow(rows * cols);
        targets = new int[rows];
        SplittableRandom random = new SplittableRandom(Inputs.SEED);
        for (int r = 0; r < rows; r++) {
            targets[r] = random.nextInt(cols);
        }
        gradient = new float[rows * cols];
        logp = new float[rows * cols];
        fused = switch (contender) {
            case "softmax4j" -> true;
            case "softmax4j-unfused" -> false;
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        verify();
    }

    @Benchmark
    public double crossEntropy() {
        return fused ? crossEntropy.lossAndGradient(logits, rows, cols, targets, gradient) : unfused();
    }

    private double unfused() {
        Softmax.logSoftmaxRows(logits, logp, rows, cols);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            loss -= logp[r * cols + targets[r]];
        }
        Softmax.softmaxRows(logits, gradient, rows, cols);
        for (int r = 0; r < rows; r++) {
            gradient[r * cols + targets[r]] -= 1f;
        }
        float inverse = 1f / rows;
        for (int i = 0; i < rows * cols; i++) {
            gradient[i] *= inverse;
        }
        return loss / rows;
    }

    /** Both contenders compute the same loss and gradient (to float accuracy; the unfused p_t − 1 is coarse). */
    private void verify() {
        double loss = crossEntropy();
        float[] reference = new float[rows * cols];
        double referenceLoss = crossEntropy.lossAndGradient(logits, rows, cols, targets, reference);
        if (Math.abs(loss - referenceLoss) > 1e-5 * referenceLoss) {
            throw new IllegalStateException(contender + " loss " + loss + ", fused " + referenceLoss);
        }
        for (int i = 0; i < reference.length; i++) {
            if (Math.abs(gradient[i] - reference[i]) > 1e-6f / rows + 1e-4f * Math.abs(reference[i])) {
                throw new IllegalStateException(contender + " gradient[" + i + "] " + gradient[i] + ", fused "
                        + reference[i]);
            }
        }
    }
}
