package org.softmax4j.vector;

import static org.softmax4j.ExpPolynomial.C1;
import static org.softmax4j.ExpPolynomial.C2;
import static org.softmax4j.ExpPolynomial.C3;
import static org.softmax4j.ExpPolynomial.C4;
import static org.softmax4j.ExpPolynomial.C5;
import static org.softmax4j.ExpPolynomial.C6;
import static org.softmax4j.ExpPolynomial.LOG2E;
import static org.softmax4j.ExpPolynomial.MAGIC_BIAS;
import static org.softmax4j.ExpPolynomial.MAGIC_BIAS_SCALED_2_64;
import static org.softmax4j.ExpPolynomial.MINUS_LN2_HI;
import static org.softmax4j.ExpPolynomial.MINUS_LN2_LO;
import static org.softmax4j.ExpPolynomial.SCALED_UNDERFLOW_CUTOFF;
import static org.softmax4j.ExpPolynomial.UNDERFLOW_CUTOFF;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Lane-wise {@link org.softmax4j.ExpPolynomial#exp}: the same operations in the same order, so every lane equals
 * the scalar result bitwise (error and method are documented there). Kept to one small method so C2 inlines it
 * into each caller's loop; the constants' broadcasts are then hoisted out of the loop.
 */
final class ExpVector {
    private ExpVector() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;

    /** exp(x) for x <= 0 (and -inf), 0 below the underflow cutoff, NaN for NaN. */
    static FloatVector expOfNonPositive(FloatVector x) {
        return exp(x, MAGIC_BIAS, UNDERFLOW_CUTOFF);
    }

    /** exp(x) * 2^64 for x <= 0, 0 below the scaled cutoff: {@link org.softmax4j.ExpPolynomial#expTimes2To64}. */
    static FloatVector expOfNonPositiveTimes2To64(FloatVector x) {
        return exp(x, MAGIC_BIAS_SCALED_2_64, SCALED_UNDERFLOW_CUTOFF);
    }

    private static FloatVector exp(FloatVector x, float magicBias, float cutoff) {
        FloatVector n = x.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, magicBias));
        FloatVector s = n.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        n = n.sub(magicBias);
        FloatVector t = n.fma(FloatVector.broadcast(F, MINUS_LN2_HI), x);
        t = n.fma(FloatVector.broadcast(F, MINUS_LN2_LO), t);
        FloatVector p = FloatVector.broadcast(F, C6).fma(t, FloatVector.broadcast(F, C5));
        p = p.fma(t, FloatVector.broadcast(F, C4));
        p = p.fma(t, FloatVector.broadcast(F, C3));
        p = p.fma(t, FloatVector.broadcast(F, C2));
        p = p.fma(t, FloatVector.broadcast(F, C1));
        FloatVector ts = t.mul(s);
        FloatVector e = ts.fma(p, s);
        return e.blend(FloatVector.zero(F), x.compare(VectorOperators.LT, cutoff));
    }
}
