package org.softmax4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The accuracy vocabulary, on hand-checked values. */
class UlpErrorTest {
    @Test
    void probabilities() {
        assertEquals(0, UlpError.ofProbability(0.5f, 0.5));
        assertEquals(1, UlpError.ofProbability(Math.nextUp(0.5f), 0.5));
        assertEquals(0.5, UlpError.ofProbability(0.5f, 0.5 + Math.ulp(0.5f) / 2.0));
        assertEquals(0, UlpError.ofProbability(Float.NaN, Double.NaN));
        assertEquals(0, UlpError.ofProbability(0f, 1e-40), "below MIN_NORMAL: flushing to 0 is allowed");
        assertEquals(0, UlpError.ofProbability(Float.MIN_NORMAL, 1e-40));
        assertEquals(2.0 * (1 << 23), UlpError.ofProbability(2 * Float.MIN_NORMAL, 0.0), 1e-9,
                "below MIN_NORMAL, an error beyond MIN_NORMAL counts in ulps of MIN_NORMAL");
        assertEquals(Double.POSITIVE_INFINITY, UlpError.ofProbability(Float.NaN, 0.5));
    }

    @Test
    void logProbabilities() {
        // scale max(|ref|, logSum): near 0 the error counts in ulps of logSum
        assertEquals(1, UlpError.ofLogProbability(-1f + Math.ulp(1f), -1.0, 0.5), 1e-12);
        assertEquals(1, UlpError.ofLogProbability(-1e-8f, -1e-8 + Math.ulp(0.25f), 0.25), 1e-6);
        assertEquals(0, UlpError.ofLogProbability(Float.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 3));
        assertEquals(0, UlpError.ofLogProbability(Float.NEGATIVE_INFINITY, -2.0 * Float.MAX_VALUE, 1),
                "a reference beyond the float range is met only by -inf");
        assertEquals(Double.POSITIVE_INFINITY, UlpError.ofLogProbability(-Float.MAX_VALUE, -2.0 * Float.MAX_VALUE, 1));
        assertEquals(0, UlpError.ofLogProbability(0f, -1e-40, 1e-40), "a scale below MIN_NORMAL: absolute error");
        assertEquals(Double.POSITIVE_INFINITY, UlpError.ofLogProbability(Float.NaN, -1, 1));
    }
}
