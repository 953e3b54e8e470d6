package org.softmax4j.bench;

/**
 * One contender prepared for one shape. {@link #apply} normalizes every row of {@code src} into {@code dst}; the
 * benchmarks time {@link #run} alone, after one {@code apply}. For the contenders that work on {@code float[]}, the
 * three are the same call. A contender that keeps the rows in buffers of its own (ONNX Runtime's tensors, as an
 * engine that holds its logits there would) copies them in with {@link #load} and out with {@link #unload}, and its
 * {@code run} works on those buffers alone, {@code src} and {@code dst} untouched. Each benchmark fork prepares
 * exactly one, so the call site stays monomorphic and C2 inlines through it.
 */
public interface SoftmaxRun extends AutoCloseable {
    /** The timed call: the rows from where {@link #load} put them to where {@link #unload} reads them. */
    void run(float[] src, float[] dst);

    /** Puts src's rows where {@link #run} reads them; nothing to do for a contender that reads src itself. */
    default void load(float[] src) {
    }

    /** Puts the last {@link #run}'s output into dst; nothing to do for a contender that writes dst itself. */
    default void unload(float[] dst) {
    }

    /** The whole call: load, run, unload. */
    default void apply(float[] src, float[] dst) {
        load(src);
        run(src, dst);
        unload(dst);
    }

    /** Frees native resources (ONNX Runtime's session and tensors); a no-op for the Java contenders. */
    @Override
    default void close() {
    }
}
