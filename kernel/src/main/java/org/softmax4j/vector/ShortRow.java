package org.softmax4j.vector;


import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * Softmax of a row of at most one vector, in registers: one load, the max, exp, sum and scale, one store. The three
 * microkernels of a longer row would each load and reduce again, and their calls and reductions are most of the
 * time of a 16-float row (n = 16: about 31 ns through them, 21-25 here; the target is 25). The result is bitwise
 * what those three give (same exp, the same widened sum in the same lane order as {@link ExpSum}, the same
 * one-rounding scale as {@link Scale}); the twin tests check it.
 *
 * <p>One vector only: a two-vector version (two more copies of the polynomial) took n = 16 at 256 bits from about
 * 29 to 26 ns, still behind {@code lanewise(EXP)}'s 22, which did not pay for the copies.
 */
final class ShortRow {
    private ShortRow() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();

    /** The longest row {@link #softmax} takes: one vector. */
    static final int MAX_LENGTH = L;

    /**
     * Writes the softmax of a row of {@code 1..MAX_LENGTH} elements and returns true, or returns false without
     * writing anything when the row is special (NaN, or a max that is not finite) or when a full vector at the row's
     * start would reach past the end of src or dst. The general path handles those tails through {@link Tail}; the
     * same copy-in/copy-out written here made every short row 6 ns slower (29 against 23 ns at n = 16, 512 bits, a
     * harness's best of 300 rounds), overhanging or not.
     */
    static boolean softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (Tail.overhangs(src, srcOffset) || Tail.overhangs(dst, dstOffset)) {
            return false;
        }
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
        FloatVector n = d.fma(log2e, magicBias);
        FloatVector s = n.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        n = n.sub(magicBias);
        FloatVector t = n.fma(minusLn2Hi, d);
        t = n.fma(minusLn2Lo, t);
        FloatVector p = c6.fma(t, c5);
        p = p.fma(t, c4);
        p = p.fma(t, c3);
        p = p.fma(t, c2);
        p = p.fma(t, c1);
        FloatVector e = t.mul(s).fma(p, s)
                .blend(zero, d.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
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
        FloatVector y = e.fma(FloatVector.broadcast(F, hi), e.mul(lo));
        y.intoArray(dst, dstOffset, in);
        return true;
    }
}
