package org.softmax4j;

import java.util.SplittableRandom;
import java.util.function.Function;

/** Seeded random rows in the distributions the accuracy bars must hold for. */
enum Rows {
    NORMAL_0_1(r -> (float) (r.nextGaussian())),
    NORMAL_0_3(r -> (float) (3 * r.nextGaussian())),
    NORMAL_0_10(r -> (float) (10 * r.nextGaussian())),
    NORMAL_0_100(r -> (float) (100 * r.nextGaussian())),
    UNIFORM_1000(r -> (float) r.nextDouble(-1000, 1000)),
    /** Logits far from 0: x - max is then computed from large, nearly equal floats. */
    LARGE_OFFSET(r -> (float) (1e4 + 3 * r.nextGaussian())),
    HUGE_OFFSET(r -> (float) (-3e7 + 30 * r.nextGaussian())),
    /** One dominant logit (a confident model): the others' probabilities are tiny but mostly normal. */
    PEAKED(r -> r.nextInt(997) == 0 ? 40f : (float) r.nextGaussian()),
    /** Few distinct values: many exact ties, including ties for the max. */
    TIES(r -> (float) r.nextInt(4)),
    /** Attention masks: a third of the positions -inf. */
    MASKED(r -> r.nextInt(3) == 0 ? Float.NEGATIVE_INFINITY : (float) (2 * r.nextGaussian())),
    /** Cauchy: a few huge outliers in both directions. */
    HEAVY_TAILS(r -> (float) (Math.tan(Math.PI * (r.nextDouble() - 0.5)))),
    /** Values just above and below ln(MIN_NORMAL) from the max: the exp underflow edge. */
    UNDERFLOW_EDGE(r -> r.nextInt(50) == 0 ? 0f : (float) (-87.3365 + r.nextGaussian() * 0.5));

    private final Function<SplittableRandom, Float> element;

    Rows(Function<SplittableRandom, Float> element) {
        this.element = element;
    }

    float[] row(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = element.apply(random);
        }
        if (this == MASKED && length > 0) {
            x[random.nextInt(length)] = 0f;  // keep at least one live position
        }
        return x;
    }

    /**
     * The seed for a test: {@code -Dsoftmax4j.test.seed=N} to reproduce a failure, else a fresh one each run (every
     * failure message prints it).
     */
    static long seed() {
        Long fixed = Long.getLong("softmax4j.test.seed");
        return fixed != null ? fixed : new SplittableRandom().nextLong();
    }
}
