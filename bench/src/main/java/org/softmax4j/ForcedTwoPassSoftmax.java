package org.softmax4j;

/**
 * The "softmax4j-two-pass" benchmark contender: softmax4j's two-pass path (online normalizer, then exp times the
 * reciprocal) forced at every length, on the kernel the facade chose. Beside "softmax4j", which takes the blocked
 * path at every length, it shows whether two passes over memory would pay anywhere on the machine at hand. Same
 * split-package arrangement as {@link ForcedScalarSoftmax}.
 */
public final class ForcedTwoPassSoftmax {
    private ForcedTwoPassSoftmax() {
    }

    public static void softmax(float[] src, int srcOffset, float[] dst, int dstOffset, int length) {
        RowSoftmax.softmaxRowInTwoPasses(Softmax.KERNEL, src, srcOffset, dst, dstOffset, length);
    }
}
