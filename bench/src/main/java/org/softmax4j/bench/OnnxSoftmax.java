package org.softmax4j.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;

/**
 * The "onnxruntime" and "onnxruntime-float-arrays" contenders: ONNX Runtime's CPU Softmax (or LogSoftmax) operator,
 * opset 13, axis -1, on one thread, called the way a careful Java caller would. Session, both tensors, their direct
 * buffers and both name maps are created once per shape; the output is pinned into the second tensor (ORT allocates
 * no output tensor and copies nothing back through JNI).
 * <ul>
 *   <li>"onnxruntime": the rows live in the input tensor's buffer and the result stays in the output tensor's, as
 *       for an engine that keeps its logits in ONNX Runtime's buffers. A call is the session run alone: the speed of
 *       ONNX Runtime's kernel plus its fixed per-call cost. The targets are checked against it.</li>
 *   <li>"onnxruntime-float-arrays": each call also copies the row(s) from a {@code float[]} into the input buffer and
 *       the result out into another: what a caller holding {@code float[]}, as softmax4j's array API does, pays to
 *       use ONNX Runtime (at 32000 floats on Zen 4 the copies were 29% of its time, JMH perfasm).</li>
 * </ul>
 *
 * <p>Nothing cheaper exists in the 1.23 Java API: it has no IoBinding, and every {@code OrtSession.run} overload
 * funnels into one that checks the map keys against the session's names, allocates name and handle arrays, and
 * returns a {@code Result} (its B/op in the report). {@code run(Map, Map)} with pinned outputs is the cheapest
 * overload; single-entry {@code Map.of} maps are the cheapest to iterate. With one intra-op thread the session runs
 * on the calling thread, so no thread pool spins or wakes. What remains per call (JNI, the session's run machinery,
 * the Result) is ORT's real fixed cost; the report measures it at n = 16 and shows ORT's numbers with it taken out.
 */
final class OnnxSoftmax implements SoftmaxRun {
    private final OrtSession.SessionOptions options;
    private final OrtSession session;
    private final FloatBuffer in;
    private final FloatBuffer out;
    private final OnnxTensor input;
    private final OnnxTensor output;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final int length;

    OnnxSoftmax(Op op, int rows, int cols) {
        long[] shape = {rows, cols};
        length = Math.multiplyExact(rows, cols);
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            String opType = op == Op.SOFTMAX ? "Softmax" : "LogSoftmax";
            session = env.createSession(OnnxModel.singleOp(opType, shape), options);
            in = directFloats(length);
            out = directFloats(length);
            input = OnnxTensor.createTensor(env, in, shape);
            output = OnnxTensor.createTensor(env, out, shape);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime could not build the " + op + " session: " + e.getMessage(), e);
        }
        inputs = Map.of(OnnxModel.INPUT, input);
        outputs = Map.of(OnnxModel.OUTPUT, output);
    }

    /** In place: the session on the tensors' buffers, nothing copied; src and dst untouched. */
    @Override
    public void run(float[] src, float[] dst) {
        try {
            // The output lands in the pinned tensor, which the Result does not own: closing it frees nothing of ours,
            // only the Result's native bookkeeping.
            session.run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The "onnxruntime-float-arrays" contender on this one: each call is the whole {@link #apply}, copies included.
     */
    SoftmaxRun copyingFloatArrays() {
        OnnxSoftmax inPlace = this;
        return new SoftmaxRun() {
            @Override
            public void run(float[] src, float[] dst) {
                inPlace.apply(src, dst);
            }

            @Override
            public void close() {
                inPlace.close();
            }
        };
    }

    @Override
    public void load(float[] src) {
        in.put(0, src, 0, length);
    }

    @Override
    public void unload(float[] dst) {
        out.get(0, dst, 0, length);
    }

    @Override
    public void close() {
        input.close();
        output.close();
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
        options.close();
    }

    /** ONNX Runtime's version string, or why it could not be loaded. */
    static String version() {
        try {
            return "onnxruntime " + OrtEnvironment.getEnvironment().getVersion();
        } catch (Throwable t) {
            return "onnxruntime unavailable: " + t;
        }
    }

    private static FloatBuffer directFloats(int n) {
        return ByteBuffer.allocateDirect(Math.multiplyExact(n, Float.BYTES)).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
