package org.softmax4j.bench;

/**
 * One contender prepared for one shape: {@code run} normalizes every row of {@code src} into {@code dst}. Each
 * benchmark fork prepares exactly one, so the call site stays monomorphic and C2 inlines through it.
 */
public interface SoftmaxRun extends AutoCloseable {
    void run(float[] src, float[] dst);

    /** Frees native resources (ONNX Runtime's session and tensors); a no-op for the Java contenders. */
    @Override
    default void close() {
    }
}
