package org.softmax4j.vector;

import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.F2D;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The element-wise operations of the training ops (softmax and log-softmax backward, the cross-entropy gradient),
 * computed in double: floats are loaded half a vector at a time ({@link #H}, e.g. 8 floats at 512 bits) and widened
 * to a full double vector with one conversion ({@code convertShape(F2D, D, 0)} at equal lane counts is a plain
 * {@code vcvtps2pd}, not the slice-and-convert of a part-1 widening; see DESIGN.md), and results are narrowed back
 * the same way. Each result is therefore rounded to float once, and the sums are double sums of exact double products
 * with no float accumulation, so these ops stay within half an ulp of their double formulas at any length. They
 * read and write memory at the same rate as float loops; the conversions are cheap beside the loads and stores.
 *
 * <p>The tails are scalar and use the same double formulas as {@code ScalarKernel}, so the element-wise ops are
 * bitwise twins of it. Double lanes are summed in a fixed order (as in {@link ExpSum}) for determinism.
 */
final class Backward {
    private Backward() {}

    private static final VectorSpecies<Double> D = Lanes.DOUBLES;
    /** Floats in half the chosen shape: as many lanes as {@link #D}. */
    private static final VectorSpecies<Float> H =
            VectorSpecies.of(float.class, VectorShape.forBitSize(Lanes.FLOATS.vectorBitSize() / 2));
    private static final int HL = H.length();

    /** Σ a·b: products exact in double, two double accumulators (the loop carries an add latency). */
    static double dotProduct(float[] a, int aOffset, float[] b, int bOffset, int length) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int i = 0;
        for (int end = length - 2 * HL; i <= end; i += 2 * HL) {
            DoubleVector a0 = (DoubleVector) FloatVector.fromArray(H, a, aOffset + i).convertShape(F2D, D, 0);
            DoubleVector b0 = (DoubleVector) FloatVector.fromArray(H, b, bOffset + i).convertShape(F2D, D, 0);
            DoubleVector a1 = (DoubleVector) FloatVector.fromArray(H, a, aOffset + i + HL).convertShape(F2D, D, 0);
            DoubleVector b1 = (DoubleVector) FloatVector.fromArray(H, b, bOffset + i + HL).convertShape(F2D, D, 0);
            acc0 = a0.fma(b0, acc0);
            acc1 = a1.fma(b1, acc1);
        }
        DoubleVector total = acc0.add(acc1);
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        double sum = even + odd;
        for (; i < length; i++) {
            sum += (double) a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    /** Σ a, widened to double before any addition. */
    static double sum(float[] a, int offset, int length) {
        DoubleVector acc0 = DoubleVector.zero(D);
        DoubleVector acc1 = DoubleVector.zero(D);
        int i = 0;
        for (int end = length - 2 * HL; i <= end; i += 2 * HL) {
            acc0 = acc0.add((DoubleVector) FloatVector.fromArray(H, a, offset + i).convertShape(F2D, D, 0));
            acc1 = acc1.add((DoubleVector) FloatVector.fromArray(H, a, offset + i + HL).convertShape(F2D, D, 0));
        }
        DoubleVector total = acc0.add(acc1);
        double even = total.lane(0);  // lanes added in a fixed order: see ExpSum
        double odd = total.lane(1);
        for (int lane = 2; lane < D.length(); lane += 2) {
            even += total.lane(lane);
            odd += total.lane(lane + 1);
        }
        double sum = even + odd;
        for (; i < length; i++) {
            sum += a[offset + i];
        }
        return sum;
    }

    /** dx = y·(dy − s) in double, rounded once. */
    static void subtractAndMultiply(float[] y, int yOffset, float[] dy, int dyOffset, float[] dx, int dxOffset,
                                    int length, double s) {
        DoubleVector vs = DoubleVector.broadcast(D, s);
        int i = 0;
        for (int end = length - HL; i <= end; i += HL) {
            DoubleVector yv = (DoubleVector) FloatVector.fromArray(H, y, yOffset + i).convertShape(F2D, D, 0);
            DoubleVector dyv = (DoubleVector) FloatVector.fromArray(H, dy, dyOffset + i).convertShape(F2D, D, 0);
            ((FloatVector) yv.mul(dyv.sub(vs)).convertShape(D2F, H, 0)).intoArray(dx, dxOffset + i);
        }
        for (; i < length; i++) {
            dx[dxOffset + i] = (float) ((double) y[yOffset + i] * ((double) dy[dyOffset + i] - s));
        }
    }

    /** dx = g − e·s in double, rounded once. */
    static void subtractScaled(float[] g, int gOffset, float[] e, int eOffset, float[] dx, int dxOffset, int length,
                               double s) {
        DoubleVector vs = DoubleVector.broadcast(D, s);
        int i = 0;
        for (int end = length - HL; i <= end; i += HL) {
            DoubleVector gv = (DoubleVector) FloatVector.fromArray(H, g, gOffset + i).convertShape(F2D, D, 0);
            DoubleVector ev = (DoubleVector) FloatVector.fromArray(H, e, eOffset + i).convertShape(F2D, D, 0);
            ((FloatVector) gv.sub(ev.mul(vs)).convertShape(D2F, H, 0)).intoArray(dx, dxOffset + i);
        }
        for (; i < length; i++) {
            dx[dxOffset + i] = (float) ((double) g[gOffset + i] - (double) e[eOffset + i] * s);
        }
    }

    /** a = a·factor − c in double, rounded once. */
    static void scaleAndSubtract(float[] a, int offset, int length, double factor, double c) {
        DoubleVector vf = DoubleVector.broadcast(D, factor);
        DoubleVector vc = DoubleVector.broadcast(D, c);
        int i = 0;
        for (int end = length - HL; i <= end; i += HL) {
            DoubleVector av = (DoubleVector) FloatVector.fromArray(H, a, offset + i).convertShape(F2D, D, 0);
            ((FloatVector) av.mul(vf).sub(vc).convertShape(D2F, H, 0)).intoArray(a, offset + i);
        }
        for (; i < length; i++) {
            a[offset + i] = (float) ((double) a[offset + i] * factor - c);
        }
    }
}
