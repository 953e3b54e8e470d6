package org.softmax4j.vector;

import static org.softmax4j.vector.ExpVector.C1;
import static org.softmax4j.vector.ExpVector.C2;
import static org.softmax4j.vector.ExpVector.C3;
import static org.softmax4j.vector.ExpVector.C4;
import static org.softmax4j.vector.ExpVector.C5;
import static org.softmax4j.vector.ExpVector.C6;
import static org.softmax4j.vector.ExpVector.LOG2E;
import static org.softmax4j.vector.ExpVector.MAGIC_BIAS;
import static org.softmax4j.vector.ExpVector.MINUS_LN2_HI;
import static org.softmax4j.vector.ExpVector.MINUS_LN2_LO;
import static org.softmax4j.vector.ExpVector.ZERO;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * exp(x - max) over a row, stored, and its sum (XNNPACK's "raddstoreexpminusmax").
 *
 * <p>Each exp vector is widened exactly into double lanes before it is added: float lanes would round every
 * addition, and a lane that holds the max's 1.0 loses up to half an ulp of 1 per term added, which measured 2 ulp
 * of the sum and 3.02 ulp in an output. Widening costs about 5 operations per vector; the sum is then the sum of
 * the float exps up to double rounding, and at n = 16M still within 2^-29 relative, where float32 accumulation
 * (what the native libraries do) loses hundreds of ulp. The low and high halves go to separate accumulators, so
 * the loop carries one add of latency per iteration; C2 unrolls the loop itself (a hand-unrolled body crossed its
 * node budget, see {@link ExpVector}).
 *
 * <p>The lanes are summed in a fixed order, not by {@code reduceLanes(ADD)}, whose order is unspecified and may differ
 * between the interpreter and C2: that would break bitwise determinism across warm-up.
 *
 * <p>The tail (fewer than one vector) is scalar: the same polynomial gives the same bits as the lanes would, and
 * a masked vector tail needs a second inlined exp in the method, which is what pushed C2 over its node budget. At
 * n = 100 (512-bit, 4 tail elements) the scalar tail timed 101 ns per call against 122 for the masked one (an
 * ad-hoc timing loop, not JMH; the bench's n = 64 and 256 rows show the result in context).
 */
final class ExpSum {
    private ExpSum() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final VectorSpecies<Integer> I = F.withLanes(int.class);
    private static final int L = F.length();

    /**
     * Stores exp(src[i] - max) * scale into dst (one rounding, as in {@link Scale#scale}) and returns the sum of the
     * unscaled exps. With dst null nothing is stored and the sum is NaN if an element is above max or NaN (see
     * {@link org.softmax4j.SoftmaxKernel#sumExpMinusMax}; watching for it costs one integer max per vector); callers
     * that store pass the true max, so they are not watched. The null test is loop-invariant: C2 unswitches the
     * loop into a storing and a non-storing copy, so one exp loop serves both.
     */
    static double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max,
                                         double scale) {
        FloatVector vmax = FloatVector.broadcast(F, max);
        float hiScalar = (float) scale;
        float loScalar = (float) (scale - hiScalar);
        FloatVector hi = FloatVector.broadcast(F, hiScalar);
        FloatVector lo = FloatVector.broadcast(F, loScalar);
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = low;
        // Largest shift as int bits: a float is > 0 exactly when its bits are a positive int (-0.0, negative floats
        // and negative NaNs are negative ints, +0.0 is 0), and one integer max per vector is cheaper than a float
        // max with NaN semantics. NaN elements need no watching: they make the sum NaN.
        IntVector largestShiftBits = IntVector.zero(I);
        int i = 0;
        for (int end = length - L; i <= end; i += L) {
            FloatVector x = FloatVector.fromArray(F, src, srcOffset + i).sub(vmax);
            if (dst == null) {  // only the two-pass sum needs the watch; the three-pass path passes the true max
                largestShiftBits = largestShiftBits.max(x.viewAsIntegralLanes());
            }
            // ExpPolynomial.exp, lane-wise
            FloatVector n = x.fma(LOG2E, MAGIC_BIAS);
            FloatVector s = n.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            n = n.sub(MAGIC_BIAS);
            FloatVector t = n.fma(MINUS_LN2_HI, x);
            t = n.fma(MINUS_LN2_LO, t);
            FloatVector p = C6.fma(t, C5);
            p = p.fma(t, C4);
            p = p.fma(t, C3);
            p = p.fma(t, C2);
            p = p.fma(t, C1);
            FloatVector e = t.mul(s).fma(p, s)
                    .blend(ZERO, x.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));

            if (dst != null) {
                e.fma(hi, e.mul(lo)).intoArray(dst, dstOffset + i);
            }
            low = low.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 0));
            high = high.add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 1));
        }
        DoubleVector total = low.add(high);
        double even = total.lane(0);  // in a fixed order (see the class comment), two chains for latency
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        double sum = even + odd;
        boolean aboveMax = dst == null && largestShiftBits.reduceLanes(VectorOperators.MAX) > 0;
        for (; i < length; i++) {
            float shifted = src[srcOffset + i] - max;
            float e = ExpPolynomial.exp(shifted);
            if (dst != null) {
                dst[dstOffset + i] = Math.fma(e, hiScalar, e * loScalar);
            } else {
                aboveMax |= shifted > 0;
            }
            sum += e;
        }
        return aboveMax ? Double.NaN : sum;
    }
}
