package org.softmax4j;

/**
 * The rounding error of the float shift {@code d = fl(x - max)}, exactly (Knuth's TwoSum: six float operations,
 * no branch, valid for any magnitudes). {@code exp(x - max) = exp(d + err) ~ exp(d) * (1 + err)}: with |err| at
 * most 2^-24 * 87 where exp does not underflow, the neglected err^2/2 is below 2^-36. Internal; public only for
 * {@code org.softmax4j.vector}, which does the same lane-wise.
 */
public final class ExactShift {
    private ExactShift() {}

    /** {@code (x - max) - d} exactly, for {@code d = x - max} rounded to float. */
    public static float roundingError(float x, float max, float d) {
        float minusMax = -max;
        float xPart = d - minusMax;
        float maxPart = d - xPart;
        return (x - xPart) + (minusMax - maxPart);
    }
}
