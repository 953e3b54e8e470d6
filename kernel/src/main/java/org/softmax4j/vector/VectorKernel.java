package org.softmax4j.vector;

import org.softmax4j.SoftmaxKernel;

/**
 * The Vector API kernel: composes the microkernels, each of which does one job. Loaded reflectively by the
 * facade only when {@code jdk.incubator.vector} is readable, so nothing else links against the incubator module.
 */
public final class VectorKernel implements SoftmaxKernel {
    private static final VectorKernel INSTANCE = new VectorKernel();
    private static final String DESCRIPTION = Lanes.describe();

    private VectorKernel() {}

    /** The kernel for the species chosen by {@code Lanes} (see {@code softmax4j.vectorBits}). */
    public static SoftmaxKernel create() {
        return INSTANCE;
    }

    /** Lanes per float vector in the chosen species. */
    public static int floatLanes() {
        return Lanes.FLOATS.length();
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public float max(float[] a, int offset, int length) {
        return MaxReduce.max(a, offset, length);
    }

    @Override
    public int shortRowLength() {
        return ShortRow.MAX_LENGTH;
    }

    @Override
    public boolean softmaxOfShortRow(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        return ShortRow.softmax(src, srcOffset, dst, dstOffset, length);
    }

    @Override
    public long maxAndMin(float[] a, int offset, int length) {
        return MaxReduce.maxAndMin(a, offset, length);
    }

    @Override
    public double storeExpMinusMaxAndSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length,
                                         float max, float min) {
        return ExpSum.storeExpMinusMaxAndSum(src, srcOffset, dst, dstOffset, length, max, min);
    }

    @Override
    public double sumExpMinusMax(float[] src, int srcOffset, int length, float max) {
        return ExpSumOnly.sumExpMinusMax(src, srcOffset, length, max);
    }

    @Override
    public double logSumExpMinusMax(float[] src, int srcOffset, int length, float max) {
        return LogSumExp.logSumExpMinusMax(src, srcOffset, length, max);
    }

    @Override
    public void scale(float[] a, int offset, int length, double factor) {
        Scale.scale(a, offset, length, factor);
    }

    @Override
    public void subtractMaxAndLogSum(float[] src, int srcOffset, float[] dst, int dstOffset, int length,
                                     float max, float logSum) {
        Scale.subtractMaxAndLogSum(src, srcOffset, dst, dstOffset, length, max, logSum);
    }

    @Override
    public float storeScaledPlusMaskAndMax(float[] src, int srcOffset, float scale, float[] mask, int maskOffset,
                                           float[] dst, int dstOffset, int length) {
        return MaxReduce.storeScaledPlusMaskAndMax(src, srcOffset, scale, mask, maskOffset, dst, dstOffset, length);
    }

    @Override
    public int firstAbove(float[] a, int offset, int length, float threshold) {
        return FirstAbove.firstAbove(a, offset, length, threshold);
    }

    @Override
    public double sumOfNonNegative(float[] a, int offset, int length) {
        return NonNegativeSum.sum(a, offset, length);
    }

    @Override
    public int indicesAbove(float[] a, int offset, int length, float threshold, int[] indices) {
        return FirstAbove.indicesAbove(a, offset, length, threshold, indices);
    }

    @Override
    public double dotProduct(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return Backward.dotProduct(a, aOffset, b, bOffset, length);
    }

    @Override
    public double sum(float[] a, int offset, int length) {
        return Backward.sum(a, offset, length);
    }

    @Override
    public void subtractAndMultiply(float[] y, int yOffset, float[] dy, int dyOffset, float[] dx, int dxOffset,
                                    int length, double s) {
        Backward.subtractAndMultiply(y, yOffset, dy, dyOffset, dx, dxOffset, length, s);
    }

    @Override
    public void subtractScaled(float[] g, int gOffset, float[] e, int eOffset, float[] dx, int dxOffset, int length,
                               double s) {
        Backward.subtractScaled(g, gOffset, e, eOffset, dx, dxOffset, length, s);
    }

    @Override
    public void scaleAndSubtract(float[] a, int offset, int length, double factor, double c) {
        Backward.scaleAndSubtract(a, offset, length, factor, c);
    }
}
