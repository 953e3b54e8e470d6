package org.softmax4j.vector;


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
 * the time of a 16-float row. The result is bitwise what those three give (same exp, the same widened pair sum in
 * the same lane order as {@link ExpSum}, the same one-rounding scale as {@link Scale}); the twin tests check it.
 *
 * <p>Two vectors, so that a 16-float row is one call at 256 bits too (there it is two vectors): at 256 bits through
 * the three microkernels it took 28-30 ns against {@code lanewise(EXP)}'s 22. A row of one vector has a method of
 * its own (a second vector with no lane set cost it 4-5 ns on Zen 4); the choice between the two is a call, not a
 * branch around vectors, so no vector phi for C2 to box. The polynomial is written out three times: once in
 * {@link #oneVector}, twice in {@link #twoVectors} as in {@link ExpSum#pairs}; the package documentation lists the
 * copies. A row of one vector sums as the general path's remainder does (its exps widened exactly, no pair add), a
 * row of two as a pair.
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
     * writing anything when the row is special (NaN, or a max that is not finite) or when the full vectors at the
     * row's start (one for a row of at most L elements, else two) would reach past the end of src or dst. The general
     * path handles those tails through {@link Tail}; the same copy-in/copy-out written here made every short row 6 ns
     * slower (29 against 23 ns at n = 16, 512 bits, a harness's best of 300 rounds), overhanging or not.
     */
    static boolean softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        return length <= L ? oneVector(src, srcOffset, dst, dstOffset, length)
                : twoVectors(src, srcOffset, dst, dstOffset, length);
    }

    /**
     * A row of at most one vector. Run as {@link #twoVectors} with an empty second vector it cost 4-5 ns more at 512
     * bits on Zen 4, where a 512-bit operation takes both 256-bit halves of the FP units (16 floats: 34 against 29.5
     * ns per call, harness best of 50 rounds, 2026-12-06); about 1 ns on Zen 5.
     */
    private static boolean oneVector(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
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
        // a whole vector (in range: checked above), the lanes outside the row set to -inf
        FloatVector x = FloatVector.fromArray(F, src, srcOffset).blend(Float.NEGATIVE_INFINITY, in.not());
        // the max as in twoVectors
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
        // summed as ExpSum.remainder sums a row of one vector (its 0 + e is exact): widened exactly into double
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
        // one rounding from the double inverse, as in Scale
        FloatVector hi = FloatVector.broadcast(F, (float) inverse);
        FloatVector lo = FloatVector.broadcast(F, (float) (inverse - (float) inverse));
        e.fma(hi, e.mul(lo)).intoArray(dst, dstOffset, in);
        return true;
    }

    /** A row of more than one vector and at most two. */
    private static boolean twoVectors(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        if (Tail.overhangs(src, srcOffset + L) || Tail.overhangs(dst, dstOffset + L)) {
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
        VectorMask<Float> in1 = F.indexInRange(L, length);
        // whole vectors (in range: checked above), the second one's lanes outside the row set to -inf
        FloatVector x0 = FloatVector.fromArray(F, src, srcOffset);
        FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + L).blend(Float.NEGATIVE_INFINITY, in1.not());
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
        // ExpPolynomial.exp, lane-wise, of d0 and of d1 (the lanes outside the row are -inf: exp 0)
        FloatVector n0 = d0.fma(log2e, magicBias);
        FloatVector n1 = d1.fma(log2e, magicBias);
        FloatVector s0 = n0.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector s1 = n1.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        n0 = n0.sub(magicBias);
        n1 = n1.sub(magicBias);
        FloatVector t0 = n0.fma(minusLn2Hi, d0);
        FloatVector t1 = n1.fma(minusLn2Hi, d1);
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
                .blend(zero, d0.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        FloatVector e1 = t1.mul(s1).fma(p1, s1)
                .blend(zero, d1.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        FloatVector pair = e0.add(e1);  // one float rounding per lane, then exact into double, as in ExpSum
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
        // one rounding from the double inverse, as in Scale
        FloatVector hi = FloatVector.broadcast(F, (float) inverse);
        FloatVector lo = FloatVector.broadcast(F, (float) (inverse - (float) inverse));
        e0.fma(hi, e0.mul(lo)).intoArray(dst, dstOffset);
        e1.fma(hi, e1.mul(lo)).intoArray(dst, dstOffset + L, in1);
        return true;
    }
}
