package org.softmax4j.bench;

import java.util.SplittableRandom;

/** Benchmark and accuracy inputs: fixed seeds, so every run and every contender sees the same numbers. */
public final class Inputs {
    /** Seed of every benchmark input; change it and results stop being comparable across runs. */
    public static final long SEED = 0x50F7_4A11_2025L;

    /** Standard deviation of the benchmark logits: N(0, 3) looks like real attention scores and vocabulary logits. */
    public static final double BENCH_SIGMA = 3.0;

    private Inputs() {
    }

    /** {@code n} samples of N(0, sigma) from {@code seed}. */
    public static float[] gaussian(int n, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (sigma * random.nextGaussian());
        }
        return x;
    }

    /** The benchmark input: N(0, 3) with the fixed seed. */
    public static float[] benchmarkRow(int n) {
        return gaussian(n, BENCH_SIGMA, SEED);
    }

    /** Distributions of the accuracy report; each stresses a different part of a softmax kernel. */
    public enum Distribution {
        N01("N(0,1)") {
            @Override
            void fill(float[] x, SplittableRandom r) {
                gaussianInto(x, r, 0, 1);
            }
        },
        N03("N(0,3)") {
            @Override
            void fill(float[] x, SplittableRandom r) {
                gaussianInto(x, r, 0, 3);
            }
        },
        N10("N(0,10)") {
            @Override
            void fill(float[] x, SplittableRandom r) {
                gaussianInto(x, r, 0, 10);
            }
        },
        /** Most exponentials underflow: tests the tiny-probability path and flush-to-zero handling. */
        UNIFORM_1000("U(-1000,1000)") {
            @Override
            void fill(float[] x, SplittableRandom r) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) r.nextDouble(-1000, 1000);
                }
            }
        },
        /** One logit 20 above an N(0,1) crowd: probability near 1 next to ~1e-9 ones (a confident model). */
        PEAKED("peaked (N(0,1), one +20)") {
            @Override
            void fill(float[] x, SplittableRandom r) {
                gaussianInto(x, r, 0, 1);
                x[x.length / 3] += 20f;
            }
        },
        /** N(0,3) shifted by 1e4: the max subtraction must be exact, and the inputs are coarsely quantized. */
        OFFSET("N(0,3) + 1e4") {
            @Override
            void fill(float[] x, SplittableRandom r) {
                gaussianInto(x, r, 1e4, 3);
            }
        };

        private final String label;

        Distribution(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        abstract void fill(float[] x, SplittableRandom r);

        public float[] sample(int n, long seed) {
            float[] x = new float[n];
            fill(x, new SplittableRandom(seed ^ ((long) ordinal() << 40) ^ n));
            return x;
        }

        private static void gaussianInto(float[] x, SplittableRandom r, double mean, double sigma) {
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (mean + sigma * r.nextGaussian());
            }
        }
    }
}
