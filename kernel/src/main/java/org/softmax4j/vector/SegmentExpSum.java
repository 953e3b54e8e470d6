package org.softmax4j.vector;


import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.softmax4j.ExpPolynomial;

/**
 * {@link ExpSum} on native-order floats in a {@link MemorySegment}, at any byte offset: the same loop, the same
 * operations in the same order (four exps per iteration; pairs of exp vectors added in float and widened into double
 * lanes, the same fixed lane order), so every stored exp and every sum is bitwise what {@link ExpSum} gives for the
 * same floats in an array. Only the loads and stores differ:
 * {@code fromMemorySegment} and {@code intoMemorySegment} at byte offsets.
 *
 * <p>Why a twin and not one loop for both: the array loop cannot read a segment, and running arrays through this one
 * (wrapped by {@code MemorySegment.ofArray}) was measured slower for arrays (see the package documentation), so the
 * exp polynomial is written out here eight times more, as in {@link ExpSum}'s quads and quadsInRange.
 * {@code VectorSegmentTwinsTest} pins them bitwise against the array kernel. Offsets are in bytes.
 */
final class SegmentExpSum {
    private SegmentExpSum() {}

    private static final VectorSpecies<Float> F = Lanes.FLOATS;
    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    private static final int L = F.length();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** {@link #remainder}'s per-thread copy of at most 2L elements of a row's end (at 0) and their exps (at 2L). */
    private static final ThreadLocal<float[]> REMAINDER = ThreadLocal.withInitial(() -> new float[4 * L]);

    /** {@link ExpSum#storeExpMinusMaxAndSum} on segments (dst not null), with the same choice of loop by min. */
    static double storeExpMinusMaxAndSum(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                         int length, float max, float min) {
        int quads = length / (4 * L) * (4 * L);
        double sum = quads == 0 ? 0
                : ExpPolynomial.noneCanUnderflow(max, min)
                ? quadsInRange(src, srcOffset, dst, dstOffset, quads, max)
                : quads(src, srcOffset, dst, dstOffset, quads, max);
        for (int done = quads; done < length; done += 2 * L) {  // in pairs, as ExpSum
            sum += remainder(src, srcOffset + (long) done * Float.BYTES, dst, dstOffset + (long) done * Float.BYTES,
                    Math.min(2 * L, length - done), max);
        }
        return sum;
    }

    /** ExpSum's quads, on segments (see there for the sum and its error). */
    private static double quads(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, int length,
                                float max) {
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
            long s = srcOffset + (long) i * Float.BYTES;
            FloatVector x0 = FloatVector.fromMemorySegment(F, src, s, NATIVE).sub(vmax);
            FloatVector x1 = FloatVector.fromMemorySegment(F, src, s + (long) L * Float.BYTES, NATIVE).sub(vmax);
            FloatVector x2 = FloatVector.fromMemorySegment(F, src, s + (long) 2 * L * Float.BYTES, NATIVE).sub(vmax);
            FloatVector x3 = FloatVector.fromMemorySegment(F, src, s + (long) 3 * L * Float.BYTES, NATIVE).sub(vmax);
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
            long d = dstOffset + (long) i * Float.BYTES;
            e0.intoMemorySegment(dst, d, NATIVE);
            e1.intoMemorySegment(dst, d + (long) L * Float.BYTES, NATIVE);
            e2.intoMemorySegment(dst, d + (long) 2 * L * Float.BYTES, NATIVE);
            e3.intoMemorySegment(dst, d + (long) 3 * L * Float.BYTES, NATIVE);
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

    /** ExpSum's quadsInRange, on segments: quads without the underflow test, for rows whose min allows it. */
    private static double quadsInRange(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                       int length, float max) {
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
            long s = srcOffset + (long) i * Float.BYTES;
            FloatVector x0 = FloatVector.fromMemorySegment(F, src, s, NATIVE).sub(vmax);
            FloatVector x1 = FloatVector.fromMemorySegment(F, src, s + (long) L * Float.BYTES, NATIVE).sub(vmax);
            FloatVector x2 = FloatVector.fromMemorySegment(F, src, s + (long) 2 * L * Float.BYTES, NATIVE).sub(vmax);
            FloatVector x3 = FloatVector.fromMemorySegment(F, src, s + (long) 3 * L * Float.BYTES, NATIVE).sub(vmax);
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
            long d = dstOffset + (long) i * Float.BYTES;
            e0.intoMemorySegment(dst, d, NATIVE);
            e1.intoMemorySegment(dst, d + (long) L * Float.BYTES, NATIVE);
            e2.intoMemorySegment(dst, d + (long) 2 * L * Float.BYTES, NATIVE);
            e3.intoMemorySegment(dst, d + (long) 3 * L * Float.BYTES, NATIVE);
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
     * ExpSum's remainder (at most 2L elements), on segments: the elements are copied into a per-thread array and
     * ExpSum's own remainder runs there, so the segment path has no copy of that polynomial (same lanes, so the same
     * bits). A tail copy, as {@link Tail} makes for every masked segment access; the row itself is never copied.
     */
    private static double remainder(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset,
                                    int length, float max) {
        float[] scratch = REMAINDER.get();
        MemorySegment.copy(src, ValueLayout.JAVA_FLOAT_UNALIGNED, srcOffset, scratch, 0, length);
        double sum = ExpSum.remainder(scratch, 0, scratch, 2 * L, length, max);
        MemorySegment.copy(scratch, 2 * L, dst, ValueLayout.JAVA_FLOAT_UNALIGNED, dstOffset, length);
        return sum;
    }
}
