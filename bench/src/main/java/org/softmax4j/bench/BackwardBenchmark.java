package org.softmax4j.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.softmax4j.Softmax;

/**
 * Softmax and log-softmax backward over a batch of rows (32 x 1024: attention scores; 64 x 32000: vocabulary logits):
 * softmax4j's {@code softmaxBackwardRows} / {@code logSoftmaxBackwardRows} beside the plain Java loops a user would
 * write ("java-scalar": a float dot product or sum per row, then the element-wise step, with {@link Math#exp} for
 * log-softmax). Out of place, into a buffer allocated once.
 */
public class BackwardBenchmark extends JmhSettings {
    @Param({"softmax4j", "java-scalar"})
    public String contender;

    @Param({"32x1024", "64x32000"})
    public String shape;

    /** Recorded with the results; single-threaded. */
    @Param("1")
    public int threads;

    private int rows;
    private int cols;
    private float[] y;
    private float[] logp;
    private float[] upstream;
    private float[] dx;
    private boolean library;

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = shape.split("x", -1);
        rows = Integer.parseInt(parts[0]);
        cols = Integer.parseInt(parts[1]);
        float[] x = Inputs.benchmarkRow(rows * cols);
        y = new float[rows * cols];
        logp = new float[rows * cols];
        Softmax.softmaxRows(x, y, rows, cols);
        Softmax.logSoftmaxRows(x, logp, rows, cols);
        upstream = Inputs.gaussian(rows * cols, 1.0, Inputs.SEED + 1);
        dx = new float[rows * cols];
        library = switch (contender) {
            case "softmax4j" -> true;
            case "java-scalar" -> false;
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
        verify();
    }

    @Benchmark
    public float[] softmaxBackward() {
        if (library) {
            Softmax.softmaxBackwardRows(y, upstream, dx, rows, cols);
        } else {
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                float s = 0;
                for (int i = o; i < o + cols; i++) {
                    s += y[i] * upstream[i];
                }
                for (int i = o; i < o + cols; i++) {
                    dx[i] = y[i] * (upstream[i] - s);
                }
            }
        }
        return dx;
    }

    @Benchmark
    public float[] logSoftmaxBackward() {
        if (library) {
            Softmax.logSoftmaxBackwardRows(logp, upstream, dx, rows, cols);
        } else {
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                float s = 0;
                for (int i = o; i < o + cols; i++) {
                    s += upstream[i];
                }
                for (int i = o; i < o + cols; i++) {
                    dx[i] = upstream[i] - (float) Math.exp(logp[i]) * s;
                }
            }
        }
        return dx;
    }

    /**
     * The loops compute the same function as the library, to float accuracy: their sums are float, so each element is
     * allowed 1e-3 of its own size plus its share of the row sum's error (exp(logp_i)·Σ|g|, resp. y_i·10).
     */
    private void verify() {
        for (boolean log : new boolean[] {false, true}) {
            float[] mine = (log ? logSoftmaxBackward() : softmaxBackward()).clone();
            float[] reference = new float[rows * cols];
            if (log) {
                Softmax.logSoftmaxBackwardRows(logp, upstream, reference, rows, cols);
            } else {
                Softmax.softmaxBackwardRows(y, upstream, reference, rows, cols);
            }
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                double absSum = 0;
                for (int i = o; i < o + cols; i++) {
                    absSum += Math.abs(upstream[i]);
                }
                for (int i = o; i < o + cols; i++) {
                    double scale = Math.abs(reference[i]) + (log ? Math.exp(logp[i]) * absSum : y[i] * 10);
                    if (Math.abs(mine[i] - reference[i]) > 1e-3 * scale + 1e-6) {
                        throw new IllegalStateException(contender + (log ? " logSoftmaxBackward" : " softmaxBackward")
                                + " [" + i + "] " + mine[i] + ", softmax4j " + reference[i]);
                    }
                }
            }
        }
    }
}
