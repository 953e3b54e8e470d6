package org.softmax4j.bench;

import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.softmax4j.Softmax;

/**
 * softmax4j's fused attention variants beside the composition a Java user would write without them, on one head's
 * score rows (32 queries x 1024 or 4096 keys, scale 1/√128): "scaled" (temperature or 1/√d), "masked" (scale, then
 * an additive padding mask with a quarter of the keys at -inf, shared by every row), "causal" (scale, then a causal
 * mask as prefill of the last 32 positions of the sequence). "-fused" is one call; "-unfused" scales into a scratch
 * row (and adds the mask, or fills the future with -inf) with plain loops, then calls softmax per row. The fused
 * call must not be slower (issue 7).
 */
public class FusedSoftmaxBenchmark extends JmhSettings {
    @Param({"scaled-fused", "scaled-unfused", "masked-fused", "masked-unfused", "causal-fused", "causal-unfused"})
    public String contender;

    /** rows x cols. */
    @Param({"32x1024", "32x4096"})
    public String shape;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private static final float SCALE = (float) (1 / Math.sqrt(128));
    private int rows;
    private int cols;
    private float[] scores;
    private float[] mask;
    private float[] scratch;
    private float[] out;
    private Runnable call;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        scores = Inputs.gaussian(rows * cols, 10, Inputs.SEED);
        mask = new float[cols];
        Arrays.fill(mask, cols - cols / 4, cols, Float.NEGATIVE_INFINITY);
        scratch = new float[cols];
        out = new float[rows * cols];
        int firstPosition = cols - rows;  // the last rows of a prefill: row r sees cols - rows + r + 1 keys
        call = switch (contender) {
            case "scaled-fused" -> () -> {
                for (int r = 0; r < rows; r++) {
                    Softmax.softmax(scores, r * cols, out, r * cols, cols, SCALE);
                }
            };
            case "scaled-unfused" -> () -> {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        scratch[c] = scores[r * cols + c] * SCALE;
                    }
                    Softmax.softmax(scratch, 0, out, r * cols, cols);
                }
            };
            case "masked-fused" -> () -> Softmax.maskedSoftmaxRows(scores, 0, cols, mask, 0, 0, out, 0, cols, rows,
                    cols, SCALE);
            case "masked-unfused" -> () -> {
                for (int r = 0; r < rows; r++) {
                    for (int c = 0; c < cols; c++) {
                        scratch[c] = scores[r * cols + c] * SCALE + mask[c];
                    }
                    Softmax.softmax(scratch, 0, out, r * cols, cols);
                }
            };
            case "causal-fused" -> () -> Softmax.causalSoftmaxRows(scores, 0, cols, out, 0, cols, rows, cols, SCALE,
                    firstPosition);
            case "causal-unfused" -> () -> {
                for (int r = 0; r < rows; r++) {
                    int seen = firstPosition + r + 1;
                    for (int c = 0; c < cols; c++) {
                        scratch[c] = c < seen ? scores[r * cols + c] * SCALE : Float.NEGATIVE_INFINITY;
                    }
                    Softmax.softmax(scratch, 0, out, r * cols, cols);
                }
            };
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        call.run();
        float[] fused = out.clone();
        verify(fused);
    }

    /** Each row sums to 1 and its masked keys are 0: a broken variant fails here, not in the report. */
    private void verify(float[] y) {
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += y[r * cols + c];
            }
            if (Math.abs(sum - 1) > 1e-4 || (contender.startsWith("masked") && y[r * cols + cols - 1] != 0)) {
                throw new IllegalStateException(contender + " " + shape + " row " + r + " sums to " + sum);
            }
        }
    }

    @Benchmark
    public float[] rows() {
        call.run();
        return out;
    }
}
