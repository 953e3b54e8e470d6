package org.softmax4j;

/**
 * softmax4j's row operations one at a time, on the kernel the facade chose, for the bench's per-pass costs
 * ({@code PassBenchmark}). Same split-package arrangement as {@link ForcedScalarSoftmax}: the kernel is
 * package-private on purpose.
 */
public final class KernelPasses {
    private KernelPasses() {
    }

    public static float max(float[] a, int length) {
        return Softmax.KERNEL.max(a, 0, length);
    }

    /** The max and the min, packed (see {@code SoftmaxKernel.maxAndMin}): the softmax's max pass. */
    public static long maxAndMin(float[] a, int length) {
        return Softmax.KERNEL.maxAndMin(a, 0, length);
    }

    /** The row's min, for {@link #storeExpMinusMaxAndSum}. */
    public static float min(float[] a, int length) {
        return SoftmaxKernel.minOf(Softmax.KERNEL.maxAndMin(a, 0, length));
    }

    /** {@code min}: the row's min, or -inf for the loop that tests every element for underflow. */
    public static double storeExpMinusMaxAndSum(float[] src, float[] dst, int length, float max, float min) {
        return Softmax.KERNEL.storeExpMinusMaxAndSum(src, 0, dst, 0, length, max, min);
    }

    public static double sumExpMinusMax(float[] src, int length, float max) {
        return Softmax.KERNEL.sumExpMinusMax(src, 0, length, max);
    }

    public static void scale(float[] a, int length, double factor) {
        Softmax.KERNEL.scale(a, 0, length, factor);
    }

    public static double logSumExpMinusMax(float[] src, int length, float max) {
        return Softmax.KERNEL.logSumExpMinusMax(src, 0, length, max);
    }
}
