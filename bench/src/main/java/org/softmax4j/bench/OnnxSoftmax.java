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
 * The "onnxruntime" contender: ONNX Runtime's CPU Softmax (or LogSoftmax) operator, opset 13, axis -1, on one
 * thread. A Java caller holds its logits in a {@code float[]}, so each call does what such a caller must: copy the
 * row(s) into the direct buffer the input tensor wraps, run the session (output pinned into a second direct
 * buffer, so ORT allocates no output tensor), and copy the result back into {@code dst}. Session and tensors are
 * created once per shape. What remains per call (JNI, the session's run machinery, the Result object) is ORT's
 * real fixed cost; the n = 16 benchmark shows it.
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

    @Override
    public void run(float[] src, float[] dst) {
        in.put(0, src, 0, length);
        try {
            // The output lands in the pinned tensor, which the Result does not own; closing it frees nothing of ours.
            session.run(inputs, outputs).close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
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
