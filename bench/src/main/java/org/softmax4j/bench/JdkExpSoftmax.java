package org.softmax4j.bench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The "jdk-exp" contender: the softmax a careful Java developer writes with the Vector API today. Three passes
 * (max; exp, store and sum; multiply by the reciprocal), the species in a static final, lanes reduced once per
 * row, {@code lanewise(EXP)} for the exponential (the JDK's out-of-line SVML stub on x86, about 1 ulp), and a
 * scalar tail. It is the honest baseline for "what does hand-written Vector API code get you", so it is written
 * to be good, not to lose: no per-iteration reductions, no boxing helpers.
 */
public final class JdkExpSoftmax {
    /**
     * The preferred species, or the width {@code -Dsoftmax4j.vectorBits} forces on softmax4j (scripts/bench.sh
     * --bits), so that a forced-width run compares both at the same width.
     */
    private static final VectorSpecies<Float> SPECIES = Integer.getInteger("softmax4j.vectorBits") == null
            ? FloatVector.SPECIES_PREFERRED
            : FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(
                    Math.min(Integer.getInteger("softmax4j.vectorBits"), FloatVector.SPECIES_PREFERRED.vectorBitSize())));

    private JdkExpSoftmax() {
    }

    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        float max = max(src, srcOffset, length);
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(length);
        FloatVector vmax = FloatVector.broadcast(SPECIES, max);
        FloatVector vsum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += step) {
            FloatVector e = FloatVector.fromArray(SPECIES, src, srcOffset + i).sub(vmax).lanewise(VectorOperators.EXP);
            e.intoArray(dst, dstOffset + i);
            vsum = vsum.add(e);
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            float e = (float) Math.exp(src[srcOffset + i] - max);
            dst[dstOffset + i] = e;
            sum += e;
        }
        float inv = 1f / sum;
        FloatVector vinv = FloatVector.broadcast(SPECIES, inv);
        i = 0;
        for (; i < bound; i += step) {
            FloatVector.fromArray(SPECIES, dst, dstOffset + i).mul(vinv).intoArray(dst, dstOffset + i);
        }
        for (; i < length; i++) {
            dst[dstOffset + i] *= inv;
        }
    }

    /** Log-softmax the same way: max; sum of exp (not stored); x - max - log(sum). */
    public static void logSoftmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        float max = max(src, srcOffset, length);
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(length);
        FloatVector vmax = FloatVector.broadcast(SPECIES, max);
        FloatVector vsum = FloatVector.zero(SPECIES);
        int i = 0;
        for (; i < bound; i += step) {
            vsum = vsum.add(FloatVector.fromArray(SPECIES, src, srcOffset + i).sub(vmax).lanewise(VectorOperators.EXP));
        }
        float sum = vsum.reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += (float) Math.exp(src[srcOffset + i] - max);
        }
        float shift = max + (float) Math.log(sum);
        FloatVector vshift = FloatVector.broadcast(SPECIES, shift);
        i = 0;
        for (; i < bound; i += step) {
            FloatVector.fromArray(SPECIES, src, srcOffset + i).sub(vshift).intoArray(dst, dstOffset + i);
        }
        for (; i < length; i++) {
            dst[dstOffset + i] = src[srcOffset + i] - shift;
        }
    }

    private static float max(float[] src, int offset, int length) {
        int step = SPECIES.length();
        int bound = SPECIES.loopBound(length);
        FloatVector vmax = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += step) {
            vmax = vmax.max(FloatVector.fromArray(SPECIES, src, offset + i));
        }
        float max = vmax.reduceLanes(VectorOperators.MAX);
        for (; i < length; i++) {
            max = Math.max(max, src[offset + i]);
        }
        return max;
    }
}
