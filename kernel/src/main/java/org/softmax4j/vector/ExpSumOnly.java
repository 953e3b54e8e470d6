package org.softmax4j.vector;


import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * The sum of exp(x - max) over a row, nothing stored, watched for elements above max: the two-pass path's first
 * pass ({@link org.softmax4j.SoftmaxKernel#sumExpMinusMax}). Its own loop, apart from {@link ExpSum}'s storing one:
 * one four-exp loop for both, switched by a null test, was boxed by C2 once both kinds of call had run. The last
 * fewer than two vectors go through {@link ExpSum#remainder}.
 */
final class ExpSumOnly {
    private ExpSumOnly() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();

    /** The sum of the exps; NaN if an element is above max or NaN. */
    static double sumExpMinusMax(float[] src, int srcOffset, int length, float max) {
        int pairs = length / (2 * L) * (2 * L);
        double sum = pairs == 0 ? 0 : pairs(src, srcOffset, pairs, max);
        return pairs < length ? sum + ExpSum.remainder(src, srcOffset + pairs, null, 0, length - pairs, max) : sum;
    }

    /**
     * Two vectors per iteration, summed and not stored, a multiple of 2L long: the two-pass path's first pass (which
     * the facade no longer takes; a summing loop of four exps of its own was not measured). Its sum is
     * {@link ExpSum}'s storing loop's, pair by pair; the pairs are added into the accumulators one at a time, so the
     * last bits of a row's sum differ from the storing loop's (within 2^-24 of it either way).
     */
    private static double pairs(float[] src, int srcOffset, int length, float max) {
        FloatVector log2e = FloatVector.broadcast(F, ExpPolynomial.LOG2E);
        FloatVector magicBias = FloatVector.broadcast(F, ExpPolynomial.MAGIC_BIAS);
        FloatVector minusLn2Hi = FloatVector.broadcast(F, ExpPolynomial.MINUS_LN2_HI);
        FloatVector minusLn2Lo = FloatVector.broadcast(F, ExpPolynomial.MINUS_LN2_LO);
        FloatVector c1 = FloatVector.broadcast(F, ExpPolynomial.C1);
        FloatVector c2 = FloatVector.broadcast(F, ExpPolynomial.C2);
        FloatVector c3 = FloatVector.broadcast(F, ExpPolynomial.C3);
        FloatVector c4 = FloatVector.broadcast(F, ExpPolynomial.C4);
        FloatVector c5 = FloatVector.broadcast(F, ExpPolynomial.C5);
        FloatVector c6 = FloatVector.broadcast(F, ExpPolynomial.C6);
        FloatVector zero = FloatVector.zero(F);
        FloatVector vmax = FloatVector.broadcast(F, max);
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = low;
        // Whether a shift is above 0, as a scalar: a vector accumulator for it (an integer max over the shifts'
        // bits, tried first) was live but unused across the storing loop, and C2 sometimes boxed its start value
        // (64 B per call at 256 bits, found by VectorAllocationTest); updating it on every path instead cost the
        // storing loop 5-8% (JMH, PassBenchmark exp-store-sum, 512 bits). NaN elements need no watching: they make
        // the sum NaN.
        boolean aboveMax = false;
        for (int i = 0; i < length; i += 2 * L) {
            FloatVector x0 = FloatVector.fromArray(F, src, srcOffset + i).sub(vmax);
            FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + i + L).sub(vmax);
            aboveMax |= x0.compare(VectorOperators.GT, 0f).or(x1.compare(VectorOperators.GT, 0f)).anyTrue();
            // ExpPolynomial.exp, lane-wise, of x0 and of x1
            FloatVector n0 = x0.fma(log2e, magicBias);
            FloatVector n1 = x1.fma(log2e, magicBias);
            FloatVector s0 = n0.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s1 = n1.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            n0 = n0.sub(magicBias);
            n1 = n1.sub(magicBias);
            FloatVector t0 = n0.fma(minusLn2Hi, x0);
            FloatVector t1 = n1.fma(minusLn2Hi, x1);
            t0 = n0.fma(minusLn2Lo, t0);
            t1 = n1.fma(minusLn2Lo, t1);
            FloatVector p0 = c6.fma(t0, c5);
            FloatVector p1 = c6.fma(t1, c5);
            p0 = p0.fma(t0, c4);
            p1 = p1.fma(t1, c4);
            p0 = p0.fma(t0, c3);
            p1 = p1.fma(t1, c3);
            p0 = p0.fma(t0, c2);
            p1 = p1.fma(t1, c2);
            p0 = p0.fma(t0, c1);
            p1 = p1.fma(t1, c1);
            FloatVector e0 = t0.mul(s0).fma(p0, s0)
                    .blend(zero, x0.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
            FloatVector e1 = t1.mul(s1).fma(p1, s1)
                    .blend(zero, x1.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
            // one float rounding per lane, then exact into double (see above)
            FloatVector pair = e0.add(e1);
            low = low.add((DoubleVector) pair.convertShape(VectorOperators.F2D, D, 0));
            high = high.add((DoubleVector) pair.convertShape(VectorOperators.F2D, D, 1));
        }
        DoubleVector total = low.add(high);
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        return aboveMax ? Double.NaN : even + odd;
    }
}
