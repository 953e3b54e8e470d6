package org.softmax4j.vector;


import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * exp(x - max) over a row, stored, and its sum (XNNPACK's "raddstoreexpminusmax"): the storing exp loop of the
 * vector kernel ({@link #quads}, four exps per iteration), which every softmax path runs (the blocked path, its
 * fused variants, and the bench's two-pass contender's second pass); its copy without the underflow test
 * ({@link #quadsInRange}) for rows whose min shows nothing can underflow; and the masked {@link #remainder} that they
 * and {@link ExpSumOnly} (the two-pass contender's first pass, which only sums) share.
 *
 * <p>The sum never accumulates floats across the row: each pair of exp vectors is added in float (one rounding) and
 * widened exactly into double lanes, so its relative error stays below 2^-24 at any n, where float32 accumulation
 * (the native libraries) loses hundreds of ulp at 1M.
 *
 * <p>The double lanes are added in a fixed order, not by {@code reduceLanes(ADD)}, whose order is unspecified and
 * may differ between the interpreter and C2 (that would break bitwise determinism across warm-up). The few lines
 * that do it are written out in each method, not shared: a helper taking a vector is boxed whenever C2 declines to
 * inline it (96 bytes per call, measured). A tree of lane shuffles instead (rearrange by static final shuffles)
 * was boxed too: 96 bytes per call at 512 bits, every vector of the log-sum loop at 256.
 */
final class ExpSum {
    private ExpSum() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();
    /**
     * Stores exp(src[i] - max) into dst (not null) and returns the sum of the exps. Callers pass the true max, so
     * they are not watched for elements above it (a NaN element still makes the sum NaN); the summing pass is
     * {@link ExpSumOnly}'s. {@code min} is at most every element that is not NaN ({@code -inf} when not known):
     * when no element can then underflow, the groups of four take {@link #quadsInRange}. A row's last fewer than
     * four vectors go through {@link #remainder}, in pairs.
     */
    static double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length,
                                         float max, float min) {
        int quads = length / (4 * L) * (4 * L);
        double sum = quads == 0 ? 0
                : ExpPolynomial.noneCanUnderflow(max, min)
                ? quadsInRange(src, srcOffset, dst, dstOffset, quads, max)
                : quads(src, srcOffset, dst, dstOffset, quads, max);
        for (int done = quads; done < length; done += 2 * L) {  // each pair added in float and widened once
            sum += remainder(src, srcOffset + done, dst, dstOffset + done, Math.min(2 * L, length - done), max);
        }
        return sum;
    }

    /**
     * Four vectors per iteration, stored, a multiple of 4L long: the loop every storing softmax path runs. Two exps
     * per iteration measured twice as fast as one (0.15-0.19 against 0.31 ns/element at n = 4096, 512-bit, Zen 5; C2
     * does not overlap the single-exp body's iterations as well), and four faster again on Zen 4, most at 256 bits,
     * where a pair's chain of dependent operations (about 50 cycles) outlasts what the out-of-order window holds
     * (JMH, the whole softmax: 256 bits n = 1024 489 -> 440 ns per call, n = 32000 14.5-14.9 -> 13.2-13.3 us; 512
     * bits n = 1024 407 -> 381 ns). The polynomial appears four times here, written out: a helper method taking and
     * returning vectors is not always inlined (C2's node budget), and is then boxed. The package documentation lists
     * every copy.
     *
     * <p>Storing only, with no null test: one loop of four exps that also served the summing pass (a loop-invariant
     * {@code dst == null} test, as the two-exp loop once had) was boxed by C2 at every blend once both kinds of call
     * had run (5 KB per 1024-float call at 512 bits; either kind alone allocated nothing).
     *
     * <p>The sum: each pair of exp vectors is added in float, one rounding per lane of at most 2^-24 of the pair,
     * and widened exactly into two double accumulators; the row's sum, a double sum of such pairs, has a relative
     * error below 2^-24 (plus double roundings) at any n. Accumulating four pairs in float before widening (up to 7
     * roundings per lane, as this loop did before) was 14-19% faster but broke the accuracy contract on rows
     * dominated by one element, whose lane then carries most of the sum through every rounding: about 1 element in
     * 200,000 of random rows with one element 4-12 above the rest, by up to 1 ulp (at 128, 256 and 512 bits; two
     * pairs per block: none in 30 million, but 0.07 ulp from the bar; one pair: 0.7 ulp or more to spare). A float
     * accumulator across the whole row would be faster still but its error grows with n. (Moving the upper half down
     * by a rearrange with a shuffle made once per call, instead of convertShape's part 1, was no faster here, 4% in a
     * scratch harness, and made C2 box the blends of this loop in the full test run: VectorAllocationTest, 512 bits.)
     */
    private static double quads(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max) {
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
        for (int i = 0; i < length; i += 4 * L) {
            FloatVector x0 = FloatVector.fromArray(F, src, srcOffset + i).sub(vmax);
            FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + i + L).sub(vmax);
            FloatVector x2 = FloatVector.fromArray(F, src, srcOffset + i + 2 * L).sub(vmax);
            FloatVector x3 = FloatVector.fromArray(F, src, srcOffset + i + 3 * L).sub(vmax);
            // ExpPolynomial.exp, lane-wise, of x0 to x3
            FloatVector n0 = x0.fma(log2e, magicBias);
            FloatVector n1 = x1.fma(log2e, magicBias);
            FloatVector n2 = x2.fma(log2e, magicBias);
            FloatVector n3 = x3.fma(log2e, magicBias);
            FloatVector s0 = n0.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s1 = n1.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s2 = n2.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s3 = n3.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            n0 = n0.sub(magicBias);
            n1 = n1.sub(magicBias);
            n2 = n2.sub(magicBias);
            n3 = n3.sub(magicBias);
            FloatVector t0 = n0.fma(minusLn2Hi, x0);
            FloatVector t1 = n1.fma(minusLn2Hi, x1);
            FloatVector t2 = n2.fma(minusLn2Hi, x2);
            FloatVector t3 = n3.fma(minusLn2Hi, x3);
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
                    .blend(zero, x0.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
            FloatVector e1 = t1.mul(s1).fma(p1, s1)
                    .blend(zero, x1.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
            FloatVector e2 = t2.mul(s2).fma(p2, s2)
                    .blend(zero, x2.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
            FloatVector e3 = t3.mul(s3).fma(p3, s3)
                    .blend(zero, x3.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF));
            e0.intoArray(dst, dstOffset + i);
            e1.intoArray(dst, dstOffset + i + L);
            e2.intoArray(dst, dstOffset + i + 2 * L);
            e3.intoArray(dst, dstOffset + i + 3 * L);
            // one float rounding per lane and pair, then exact into double (see above)
            FloatVector pair0 = e0.add(e1);
            FloatVector pair1 = e2.add(e3);
            low = low.add(((DoubleVector) pair0.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) pair1.convertShape(VectorOperators.F2D, D, 0)));
            high = high.add(((DoubleVector) pair0.convertShape(VectorOperators.F2D, D, 1))
                    .add((DoubleVector) pair1.convertShape(VectorOperators.F2D, D, 1)));
        }
        DoubleVector total = low.add(high);
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        return even + odd;
    }

    /**
     * {@link #quads} without the underflow test, for rows the caller has checked: no element lies below
     * {@code max + UNDERFLOW_CUTOFF}, so the test would never fire and both loops store and sum bitwise the same.
     * The test is a compare and a blend per vector, 7% of this loop at 256 bits and 9% at 512 (exp + store + sum of
     * 4096 floats, scratch harness, Zen 4: 0.302 -> 0.280 and 0.224 -> 0.205 ns/element). A copy of the loop, with
     * four more copies of the polynomial, rather than a loop-invariant switch: one loop serving two kinds of call
     * was boxed by C2 at every blend (see {@link #quads}); VectorScalarTwinsTest pins both loops to the scalar exp.
     */
    private static double quadsInRange(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max) {
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
        FloatVector vmax = FloatVector.broadcast(F, max);
        DoubleVector low = DoubleVector.zero(D);
        DoubleVector high = low;
        for (int i = 0; i < length; i += 4 * L) {
            FloatVector x0 = FloatVector.fromArray(F, src, srcOffset + i).sub(vmax);
            FloatVector x1 = FloatVector.fromArray(F, src, srcOffset + i + L).sub(vmax);
            FloatVector x2 = FloatVector.fromArray(F, src, srcOffset + i + 2 * L).sub(vmax);
            FloatVector x3 = FloatVector.fromArray(F, src, srcOffset + i + 3 * L).sub(vmax);
            // ExpPolynomial.exp, lane-wise, of x0 to x3
            FloatVector n0 = x0.fma(log2e, magicBias);
            FloatVector n1 = x1.fma(log2e, magicBias);
            FloatVector n2 = x2.fma(log2e, magicBias);
            FloatVector n3 = x3.fma(log2e, magicBias);
            FloatVector s0 = n0.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s1 = n1.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s2 = n2.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            FloatVector s3 = n3.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            n0 = n0.sub(magicBias);
            n1 = n1.sub(magicBias);
            n2 = n2.sub(magicBias);
            n3 = n3.sub(magicBias);
            FloatVector t0 = n0.fma(minusLn2Hi, x0);
            FloatVector t1 = n1.fma(minusLn2Hi, x1);
            FloatVector t2 = n2.fma(minusLn2Hi, x2);
            FloatVector t3 = n3.fma(minusLn2Hi, x3);
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
            FloatVector e0 = t0.mul(s0).fma(p0, s0);
            FloatVector e1 = t1.mul(s1).fma(p1, s1);
            FloatVector e2 = t2.mul(s2).fma(p2, s2);
            FloatVector e3 = t3.mul(s3).fma(p3, s3);
            e0.intoArray(dst, dstOffset + i);
            e1.intoArray(dst, dstOffset + i + L);
            e2.intoArray(dst, dstOffset + i + 2 * L);
            e3.intoArray(dst, dstOffset + i + 3 * L);
            // one float rounding per lane and pair, then exact into double (see above)
            FloatVector pair0 = e0.add(e1);
            FloatVector pair1 = e2.add(e3);
            low = low.add(((DoubleVector) pair0.convertShape(VectorOperators.F2D, D, 0))
                    .add((DoubleVector) pair1.convertShape(VectorOperators.F2D, D, 0)));
            high = high.add(((DoubleVector) pair0.convertShape(VectorOperators.F2D, D, 1))
                    .add((DoubleVector) pair1.convertShape(VectorOperators.F2D, D, 1)));
        }
        DoubleVector total = low.add(high);
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        return even + odd;
    }

    /**
     * At most 2L elements: at most two vectors, the last possibly partial, with the polynomial once more (the
     * package documentation lists the copies; a separate method: it takes and returns no vectors, so whether C2
     * inlines it or not, nothing is boxed). The two exp vectors are added in float and widened once, as a pair is in
     * {@link #quads}. With dst null it only sums and watches for elements above max (for {@link ExpSumOnly}).
     * Masked loads and stores are single instructions with AVX-512 (vmaskmov with AVX2).
     */
    static double remainder(float[] src, int srcOffset, float[] dst, int dstOffset, int length, float max) {
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
        FloatVector block = FloatVector.zero(F);
        boolean aboveMax = false;
        for (int i = 0; i < length; i += L) {
            int r = Math.min(L, length - i);  // this vector's elements, in its first r lanes
            VectorMask<Float> in = F.indexInRange(0, r);
            // Loaded whole, from the L floats that end where its elements end, and moved to the first lanes: no
            // masked load, none past the array's end (see Tail); the lanes that held earlier floats are now 0, as
            // a masked load leaves them. Only an array holding fewer than L floats up to there needs the scratch.
            int srcEnd = srcOffset + i + r;
            FloatVector x = (srcEnd >= L ? FloatVector.fromArray(F, src, srcEnd - L).slice(L - r)
                    : FloatVector.fromArray(F, Tail.copyIn(src, srcOffset + i, r, Tail.SRC), Tail.SRC, in)).sub(vmax);
            if (dst == null) {
                aboveMax |= x.compare(VectorOperators.GT, 0f, in).anyTrue();
            }
            // ExpPolynomial.exp, lane-wise
            FloatVector n = x.fma(log2e, magicBias);
            FloatVector s = n.viewAsIntegralLanes().lanewise(VectorOperators.LSHL, 23).viewAsFloatingLanes();
            n = n.sub(magicBias);
            FloatVector t = n.fma(minusLn2Hi, x);
            t = n.fma(minusLn2Lo, t);
            FloatVector p = c6.fma(t, c5);
            p = p.fma(t, c4);
            p = p.fma(t, c3);
            p = p.fma(t, c2);
            p = p.fma(t, c1);
            FloatVector e = t.mul(s).fma(p, s)
                    .blend(zero, x.compare(VectorOperators.LT, ExpPolynomial.UNDERFLOW_CUTOFF).or(in.not()));
            if (dst != null) {
                int dstEnd = dstOffset + i + r;
                if (dstEnd >= L) {  // back to the last r lanes, stored under a mask that lies inside the array
                    e.unslice(L - r).intoArray(dst, dstEnd - L, F.indexInRange(0, L - r).not());
                } else {
                    float[] scratch = Tail.scratch();
                    e.intoArray(scratch, Tail.DST, in);
                    Tail.copyOut(scratch, dst, dstOffset + i, r);
                }
            }
            block = block.add(e);
        }
        DoubleVector total = ((DoubleVector) block.convertShape(VectorOperators.F2D, D, 0))
                .add((DoubleVector) block.convertShape(VectorOperators.F2D, D, 1));
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        return aboveMax ? Double.NaN : even + odd;
    }
}
