package org.softmax4j.vector;


import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * {@link ExpSumOnly} on native-order floats in a {@link MemorySegment}, at any byte offset: the same loop, the same
 * operations in the same order, so every sum is bitwise what {@link ExpSumOnly} gives for the same floats in an
 * array ({@code VectorSegmentTwinsTest}). The last fewer than two vectors go through
 * {@link SegmentExpSum#remainder}. Offsets are in bytes.
 */
final class SegmentExpSumOnly {
    private SegmentExpSumOnly() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    /** The sum of the exps; NaN if an element is above max or NaN. */
    static double sumExpMinusMax(MemorySegment src, long srcOffset, int length, float max) {
        int pairs = length / (2 * L) * (2 * L);
        double sum = pairs == 0 ? 0 : pairs(src, srcOffset, pairs, max);
        return pairs < length
                ? sum + SegmentExpSum.remainder(src, srcOffset + (long) pairs * Float.BYTES, null, 0, length - pairs,
                        max)
                : sum;
    }

    /** ExpSum's pairs, on segments. */
    private static double pairs(MemorySegment src, long srcOffset, int length, float max) {
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
        boolean aboveMax = false;  // a scalar, as in ExpSum (a vector accumulator here was boxed)
        for (int i = 0; i < length; i += 2 * L) {
            long s = srcOffset + (long) i * Float.BYTES;
            FloatVector x0 = FloatVector.fromMemorySegment(F, src, s, NATIVE).sub(vmax);
            FloatVector x1 = FloatVector.fromMemorySegment(F, src, s + (long) L * Float.BYTES, NATIVE).sub(vmax);
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
