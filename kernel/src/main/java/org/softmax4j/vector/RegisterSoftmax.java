package org.softmax4j.vector;


import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * The softmax of a row in one, two or four vectors, in registers (loads, max, exp, sum, scale, stores), for
 * {@link ShortRow}, which decides where they are read. Declines a special row (NaN, a max not finite): returns false,
 * writes nothing.
 *
 * <p><b>The sum is exact up to 2^-32 of itself, and its unordered reductions cannot change a bit.</b> Each exp e (at
 * most 1: the shift is by the row's max) is split without error into a multiple of 2^-18 and a rest of at most
 * 2^-19. The first parts of up to 64 exps add up exactly in float (at most 64 in steps of 2^-18: 24 bits), in any
 * order, so they are one {@code reduceLanes(ADD)}, unspecified order and all. The rests are added lane by lane across
 * the row's vectors in a fixed order (at most three adds per lane, each off by at most 2^-42, as the partial sums stay
 * below 2^-17), and each lane's sum is rounded to a multiple of 2^-37 (off by at most 2^-38); those add up exactly
 * too (at most 2^-13 in steps of 2^-37), so they are another {@code reduceLanes(ADD)}, and the two add exactly into
 * the double sum. The error, at most 16 lanes x (3 x 2^-42 + 2^-38) < 2^-33 (64 x 2^-38 = 2^-32 at most for any lane
 * count up to 64 elements), is relative to a sum that is at least 1 (the max's exp is exactly 1). Rounding each
 * vector's rests to the grid before adding them, as this class first did, took six more adds at 64 floats (JMH, 512
 * bits, Zen 4, median of 12 forks: n = 64 51.0 -> 47.6 ns per call; n = 32 29.7-31.9 -> 28.4-28.9). The general
 * path's sum ({@link ExpSum}: exps widened, the upper half by a lane slice, and added in a fixed lane order) cost a
 * 16-float row 5 ns more at 512 bits on Zen 4 (JMH: 28.7-28.9 against 23.1-24.2 ns per call). It cannot serve the
 * general path: there an error of 2^-38 per element would add up over a long row fed in short pieces (two-pass
 * chunks, online updates).
 *
 * <p>A method per vector count, since a vector with no lane set costs as much as a full one (4-5 ns at 512 bits on
 * Zen 4), chosen by a call, not a branch around vectors, so no vector phi for C2 to box. Two vectors make a 16-float
 * row one call at 256 bits too (through the three microkernels: 28-30 ns against {@code lanewise(EXP)}'s 22); four
 * took 48 floats at 512 bits from 56-57 to 47-51 ns and 24 at 256 bits from 46 to 36.5, 64 at 512 bits staying at
 * 47 (JMH, Zen 4). The polynomial is written out seven times (once, twice, four times); the package documentation
 * lists the copies, and the twin tests pin every lane bitwise to the scalar exp.
 */
final class RegisterSoftmax {
    private RegisterSoftmax() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final int L = F.length();

    static final int MAX_EXACT_LENGTH = 64;  // the longest row whose split parts add up exactly in float

    /** The exp parts' grids (see the class doc): adding 1.5 * 2^5 rounds an exp in [0, 1] to a multiple of 2^-18, */
    private static final float SPLIT_HIGH = 0x1.8p5f;
    /** and adding 1.5 * 2^-14 rounds a lane's rests (within 2^-17 of 0) to a multiple of 2^-37, the ulp there. */
    private static final float SPLIT_MIDDLE = 0x1.8p-14f;

    /**
     * A row of at most one vector, the L floats at the offsets in range. Run as {@link #twoVectors} with an empty
     * second vector it cost 4-5 ns more at 512 bits on Zen 4, where a 512-bit operation takes both 256-bit halves of
     * the FP units (16 floats: 34 against 29.5 ns per call, harness best of 50 rounds); about 1 ns on Zen 5.
     */
    static boolean oneVector(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
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
        // a whole vector, the lanes outside the row set to -inf
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
        // the split sum (see the class doc): NaN if an element is NaN
        FloatVector high = e.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector middle = e.sub(high).add(SPLIT_MIDDLE).sub(SPLIT_MIDDLE);
        double sum = (double) high.reduceLanes(VectorOperators.ADD) + middle.reduceLanes(VectorOperators.ADD);
        if (sum != sum) {  // NaN; not Double.isNaN, which C2 declines to inline here (NodeCountInliningCutoff)
            return false;
        }
        double inverse = 1.0 / sum;
        // one rounding from the double inverse, as in Scale
        FloatVector hi = FloatVector.broadcast(F, (float) inverse);
        FloatVector lo = FloatVector.broadcast(F, (float) (inverse - (float) inverse));
        e.fma(hi, e.mul(lo)).intoArray(dst, dstOffset, in);
        return true;
    }

    /**
     * A row of more than one vector and at most two (any place in its arrays: the second vector ends where the row
     * ends). The exps are as in {@link ExpSum#quads}.
     */
    static boolean twoVectors(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
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
        // the second vector: the L floats that end where the row ends; its lanes the first holds repeat elements,
        // which leave the max as it is, and whose exps are set to 0 below
        int second = length - L;
        FloatVector x0 = FloatVector.fromArray(F, src, srcOffset);
        FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + second);
        VectorMask<Float> repeated1 = F.indexInRange(0, 2 * L - length);
        // The max by integer keys that order like the floats (see MaxReduce). A positive NaN gives a NaN max, a
        // negative one a finite max and then a NaN sum: either way the row is declined.
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
        // ExpPolynomial.exp, lane-wise, of d0 and of d1
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
                .blend(zero, d1.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF).or(repeated1));
        // the split sum (see the class doc): NaN if an element is NaN; the lane-wise adds of the first parts are exact
        FloatVector high0 = e0.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector high1 = e1.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector middle = e0.sub(high0).add(e1.sub(high1)).add(SPLIT_MIDDLE).sub(SPLIT_MIDDLE);
        double sum = (double) high0.add(high1).reduceLanes(VectorOperators.ADD)
                + middle.reduceLanes(VectorOperators.ADD);
        if (sum != sum) {  // NaN; not Double.isNaN, which C2 declines to inline here (NodeCountInliningCutoff)
            return false;
        }
        double inverse = 1.0 / sum;
        // one rounding from the double inverse, as in Scale
        FloatVector hi = FloatVector.broadcast(F, (float) inverse);
        FloatVector lo = FloatVector.broadcast(F, (float) (inverse - (float) inverse));
        // whole stores, the second first: the first then rewrites the lanes the second holds as 0
        e1.fma(hi, e1.mul(lo)).intoArray(dst, dstOffset + second);
        e0.fma(hi, e0.mul(lo)).intoArray(dst, dstOffset);
        return true;
    }

    /** More than two vectors and at most four (three vectors' rows pay for a fourth, not for 3 more polynomials). */
    static boolean fourVectors(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
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
        // The third vector: the next L floats, or the L that end where the row ends if it ends sooner; the fourth:
        // the L that end there. Their lanes an earlier vector holds (all of the fourth's for a row of at most three
        // vectors) repeat elements, which leave the max as it is, and whose exps are set to 0 below.
        int third = Math.min(2 * L, length - L);
        int fourth = length - L;
        FloatVector x0 = FloatVector.fromArray(F, src, srcOffset);
        FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + L);
        FloatVector x2 = FloatVector.fromArray(F, src, srcOffset + third);
        FloatVector x3 = FloatVector.fromArray(F, src, srcOffset + fourth);
        VectorMask<Float> repeated2 = F.indexInRange(0, 2 * L - third);
        VectorMask<Float> repeated3 = F.indexInRange(0, third + L - fourth);
        // the max as in twoVectors
        IntVector bits0 = x0.viewAsIntegralLanes();
        IntVector bits1 = x1.viewAsIntegralLanes();
        IntVector bits2 = x2.viewAsIntegralLanes();
        IntVector bits3 = x3.viewAsIntegralLanes();
        IntVector keys = bits0.lanewise(VectorOperators.XOR, bits0.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF))
                .max(bits1.lanewise(VectorOperators.XOR, bits1.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF)))
                .max(bits2.lanewise(VectorOperators.XOR, bits2.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF)))
                .max(bits3.lanewise(VectorOperators.XOR, bits3.lanewise(VectorOperators.ASHR, 31).and(0x7FFFFFFF)));
        int key = keys.reduceLanes(VectorOperators.MAX);
        float max = Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
        if (!Float.isFinite(max)) {
            return false;
        }
        FloatVector d0 = x0.sub(max);
        FloatVector d1 = x1.sub(max);
        FloatVector d2 = x2.sub(max);
        FloatVector d3 = x3.sub(max);
        // ExpPolynomial.exp, lane-wise, of d0 to d3
        FloatVector n0 = d0.fma(log2e, magicBias);
        FloatVector n1 = d1.fma(log2e, magicBias);
        FloatVector n2 = d2.fma(log2e, magicBias);
        FloatVector n3 = d3.fma(log2e, magicBias);
        FloatVector s0 = n0.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector s1 = n1.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector s2 = n2.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        FloatVector s3 = n3.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
        n0 = n0.sub(magicBias);
        n1 = n1.sub(magicBias);
        n2 = n2.sub(magicBias);
        n3 = n3.sub(magicBias);
        FloatVector t0 = n0.fma(minusLn2Hi, d0);
        FloatVector t1 = n1.fma(minusLn2Hi, d1);
        FloatVector t2 = n2.fma(minusLn2Hi, d2);
        FloatVector t3 = n3.fma(minusLn2Hi, d3);
        t0 = n0.fma(minusLn2Lo, t0);
        t1 = n1.fma(minusLn2Lo, t1);
        t2 = n2.fma(minusLn2Lo, t2);
        t3 = n3.fma(minusLn2Lo, t3);
        FloatVector p0 = c6.fma(t0, c5);
        FloatVector p1 = c6.fma(t1, c5);
        FloatVector p2 = c6.fma(t2, c5);
        FloatVector p3 = c6.fma(t3, c5);
        p0 = p0.fma(t0, c4);
        p1 = p1.fma(t1, c4);
        p2 = p2.fma(t2, c4);
        p3 = p3.fma(t3, c4);
        p0 = p0.fma(t0, c3);
        p1 = p1.fma(t1, c3);
        p2 = p2.fma(t2, c3);
        p3 = p3.fma(t3, c3);
        p0 = p0.fma(t0, c2);
        p1 = p1.fma(t1, c2);
        p2 = p2.fma(t2, c2);
        p3 = p3.fma(t3, c2);
        p0 = p0.fma(t0, c1);
        p1 = p1.fma(t1, c1);
        p2 = p2.fma(t2, c1);
        p3 = p3.fma(t3, c1);
        FloatVector e0 = t0.mul(s0).fma(p0, s0)
                .blend(zero, d0.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        FloatVector e1 = t1.mul(s1).fma(p1, s1)
                .blend(zero, d1.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
        FloatVector e2 = t2.mul(s2).fma(p2, s2)
                .blend(zero, d2.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF).or(repeated2));
        FloatVector e3 = t3.mul(s3).fma(p3, s3)
                .blend(zero, d3.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF).or(repeated3));
        // the split sum (see the class doc): NaN if an element is NaN; the lane-wise adds of the first parts are exact
        FloatVector high0 = e0.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector high1 = e1.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector high2 = e2.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector high3 = e3.add(SPLIT_HIGH).sub(SPLIT_HIGH);
        FloatVector middle = e0.sub(high0).add(e1.sub(high1)).add(e2.sub(high2).add(e3.sub(high3)))
                .add(SPLIT_MIDDLE).sub(SPLIT_MIDDLE);
        double sum = (double) high0.add(high1).add(high2.add(high3)).reduceLanes(VectorOperators.ADD)
                + middle.reduceLanes(VectorOperators.ADD);
        if (sum != sum) {  // NaN; not Double.isNaN, which C2 declines to inline here (NodeCountInliningCutoff)
            return false;
        }
        double inverse = 1.0 / sum;
        // one rounding from the double inverse, as in Scale
        FloatVector hi = FloatVector.broadcast(F, (float) inverse);
        FloatVector lo = FloatVector.broadcast(F, (float) (inverse - (float) inverse));
        // whole stores, the last first: each earlier one rewrites the lanes it shares with a later one (set to 0 there)
        e3.fma(hi, e3.mul(lo)).intoArray(dst, dstOffset + fourth);
        e2.fma(hi, e2.mul(lo)).intoArray(dst, dstOffset + third);
        e1.fma(hi, e1.mul(lo)).intoArray(dst, dstOffset + L);
        e0.fma(hi, e0.mul(lo)).intoArray(dst, dstOffset);
        return true;
    }
}
