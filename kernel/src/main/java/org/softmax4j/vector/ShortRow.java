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
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * Softmax of a row of at most two vectors, in registers: two loads, the max, exp, sum and scale, two stores. The
 * three microkernels of a longer row would each load and reduce again, and their calls and reductions are most of
 * the time of a 16-float row (the target is 25 ns per call at 512 and at 256 bits). The result is bitwise what those
 * three give (same exp, the two exp vectors added in float and widened as {@link ExpSum} does, the same lane tree,
 * the same one-rounding scale as {@link Scale}); the twin tests check it.
 */
final class ShortRow {
    private ShortRow() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();

    /** The longest row {@link #softmax} takes: two vectors. */
    static final int MAX_LENGTH = 2 * L;

    /**
     * Writes the softmax of a row of {@code 1..MAX_LENGTH} elements and returns true, or returns false without
     * writing anything when the row is special (NaN, or a max that is not finite).
     */
    static boolean softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        // Two methods, not one with the second vector masked off: for a one-vector row the second exp is wasted
        // latency, and a masked access past an array's end, even with no lane set, takes the Vector API's slow
        // bounds-checking path (a 16-float row in a 16-float array: 34 instead of 21 ns). Each takes and returns no
        // vectors, so nothing is boxed whether C2 inlines them or not.
        return length <= L ? oneVector(src, srcOffset, dst, dstOffset, length)
                : twoVectors(src, srcOffset, dst, dstOffset, length);
    }

    /** A row of {@code 1..L} elements. */
    private static boolean oneVector(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        VectorMask<Float> in = F.indexInRange(0, length);
        FloatVector x = FloatVector.fromArray(F, src, srcOffset, in)
                .blend(Float.NEGATIVE_INFINITY, in.not());
        // The max by integer keys that order like the floats (see MaxReduce). A positive NaN gives a NaN max, a
        // negative one a finite max and then a NaN sum: either way the row is left to the general path.
        IntVector bits = x.viewAsIntegralLanes();
        IntVector keys = bits.lanewise(VectorOperators.XOR, bits.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF));
        int key = keys.reduceLanes(VectorOperators.MAX);
        float max = Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
        if (!Float.isFinite(max)) {
            return false;
        }
        FloatVector d = x.sub(max);
        // ExpPolynomial.exp, lane-wise (the lanes outside the row are -inf: exp 0)
        FloatVector n = d.fma(LOG2E, MAGIC_BIAS);
        FloatVector s = n.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        n = n.sub(MAGIC_BIAS);
        FloatVector t = n.fma(MINUS_LN2_HI, d);
        t = n.fma(MINUS_LN2_LO, t);
        FloatVector p = C6.fma(t, C5);
        p = p.fma(t, C4);
        p = p.fma(t, C3);
        p = p.fma(t, C2);
        p = p.fma(t, C1);
        FloatVector e = t.mul(s).fma(p, s)
                .blend(ZERO, d.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        DoubleVector total = ((DoubleVector) e.convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) e.convertShape(VectorOperators.F2D, D, 1));
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        double sum = even + odd;
        if (Double.isNaN(sum)) {
            return false;
        }
        double inverse = 1.0 / sum;
        float hi = (float) inverse;  // one rounding from the double inverse, as in Scale
        float lo = (float) (inverse - hi);
        e.fma(FloatVector.broadcast(F, hi), e.mul(lo)).intoArray(dst, dstOffset, in);
        return true;
    }

    /** A row of {@code L+1..2L} elements: the first vector is full. */
    private static boolean twoVectors(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        VectorMask<Float> in1 = F.indexInRange(L, length);
        FloatVector x0 = FloatVector.fromArray(F, src, srcOffset);
        FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + L, in1).blend(Float.NEGATIVE_INFINITY, in1.not());
        // The max by integer keys that order like the floats (see MaxReduce). A positive NaN gives a NaN max, a
        // negative one a finite max and then a NaN sum: either way the row is left to the general path.
        IntVector bits0 = x0.viewAsIntegralLanes();
        IntVector bits1 = x1.viewAsIntegralLanes();
        IntVector keys = bits0.lanewise(VectorOperators.XOR, bits0.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF))
                .max(bits1.lanewise(VectorOperators.XOR, bits1.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF)));
        int key = keys.reduceLanes(VectorOperators.MAX);
        float max = Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
        if (!Float.isFinite(max)) {
            return false;
        }
        FloatVector d0 = x0.sub(max);
        FloatVector d1 = x1.sub(max);
        // ExpPolynomial.exp, lane-wise, of d0 and d1 (the lanes outside the row are -inf: exp 0)
        FloatVector n0 = d0.fma(LOG2E, MAGIC_BIAS);
        FloatVector n1 = d1.fma(LOG2E, MAGIC_BIAS);
        FloatVector s0 = n0.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector s1 = n1.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        n0 = n0.sub(MAGIC_BIAS);
        n1 = n1.sub(MAGIC_BIAS);
        FloatVector t0 = n0.fma(MINUS_LN2_HI, d0);
        FloatVector t1 = n1.fma(MINUS_LN2_HI, d1);
        t0 = n0.fma(MINUS_LN2_LO, t0);
        t1 = n1.fma(MINUS_LN2_LO, t1);
        FloatVector p0 = C6.fma(t0, C5);
        FloatVector p1 = C6.fma(t1, C5);
        p0 = p0.fma(t0, C4);
        p1 = p1.fma(t1, C4);
        p0 = p0.fma(t0, C3);
        p1 = p1.fma(t1, C3);
        p0 = p0.fma(t0, C2);
        p1 = p1.fma(t1, C2);
        p0 = p0.fma(t0, C1);
        p1 = p1.fma(t1, C1);
        FloatVector e0 = t0.mul(s0).fma(p0, s0)
                .blend(ZERO, d0.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        FloatVector e1 = t1.mul(s1).fma(p1, s1)
                .blend(ZERO, d1.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        FloatVector pair = e0.add(e1);
        DoubleVector total = ((DoubleVector) pair.convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) pair.convertShape(VectorOperators.F2D, D, 1));
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        double sum = even + odd;
        if (Double.isNaN(sum)) {
            return false;
        }
        double inverse = 1.0 / sum;
        FloatVector hi = FloatVector.broadcast(F, (float) inverse);  // one rounding from the double inverse (Scale)
        float lo = (float) (inverse - (float) inverse);
        e0.fma(hi, e0.mul(lo)).intoArray(dst, dstOffset);
        e1.fma(hi, e1.mul(lo)).intoArray(dst, dstOffset + L, in1);
        return true;
    }
}
