package org.softmax4j.bench;

import org.softmax4j.ForcedScalarSoftmax;
import org.softmax4j.ForcedTwoPassSoftmax;
import org.softmax4j.Softmax;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The softmax implementations the benchmarks compare, by the names used in JMH's {@code contender} parameter and
 * in every report. All of them do the same work: rows of {@code float} logits in, probabilities (or
 * log-probabilities) out; all but "onnxruntime" (which works in its own tensors' buffers, see {@link SoftmaxRun}) read
 * and write the caller's {@code float[]}.
 */
public enum Contender {
    /** The library as users call it: the facade picks the kernel (vector species or scalar) once. */
    SOFTMAX4J("softmax4j") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            if (rows == 1) {
                return op == Op.SOFTMAX
                        ? (src, dst) -> Softmax.softmax(src, 0, dst, 0, cols)
                        : (src, dst) -> Softmax.logSoftmax(src, 0, dst, 0, cols);
            }
            return op == Op.SOFTMAX
                    ? (src, dst) -> Softmax.softmaxRows(src, dst, rows, cols)
                    : (src, dst) -> Softmax.logSoftmaxRows(src, dst, rows, cols);
        }
    },
    /** The library's scalar fallback, forced: what a JVM without the incubator module gets. */
    SOFTMAX4J_SCALAR("softmax4j-scalar") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            return eachRow(rows, cols, op == Op.SOFTMAX ? ForcedScalarSoftmax::softmax : ForcedScalarSoftmax::logSoftmax);
        }
    },
    /**
     * softmax4j's two-pass path forced at every length (the facade takes the blocked path at every length): shows
     * where, if anywhere, two passes over memory would beat it on the machine at hand. Log-softmax has no two-pass
     * path, so for it this is the facade, as "softmax4j".
     */
    SOFTMAX4J_TWO_PASS("softmax4j-two-pass") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            if (op != Op.SOFTMAX) {
                return SOFTMAX4J.prepareRows(op, rows, cols);
            }
            return eachRow(rows, cols, ForcedTwoPassSoftmax::softmax);
        }
    },
    /** Three-pass Vector API softmax with the JDK's {@code lanewise(EXP)}. */
    JDK_EXP("jdk-exp") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            return eachRow(rows, cols, op == Op.SOFTMAX ? JdkExpSoftmax::softmax : JdkExpSoftmax::logSoftmax);
        }
    },
    /** The plain {@code Math.exp} loop Java engines ship. */
    JAVA_SCALAR("java-scalar") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            return eachRow(rows, cols, op == Op.SOFTMAX ? JavaScalarSoftmax::softmax : JavaScalarSoftmax::logSoftmax);
        }
    },
    /**
     * ONNX Runtime's native CPU operator through its Java API, single-threaded, on rows that live in its input
     * tensor: the session run alone, no copies (see {@link OnnxSoftmax}).
     */
    ONNXRUNTIME("onnxruntime") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            return new OnnxSoftmax(op, rows, cols);
        }
    },
    /** "onnxruntime" for a caller holding {@code float[]}: each call copies the rows in and the result out. */
    ONNXRUNTIME_FLOAT_ARRAYS("onnxruntime-float-arrays") {
        @Override
        SoftmaxRun prepareRows(Op op, int rows, int cols) {
            return new OnnxSoftmax(op, rows, cols).copyingFloatArrays();
        }
    };

    private final String id;

    Contender(String id) {
        this.id = id;
    }

    /** The name in JMH parameters, CSV files and tables. */
    public String id() {
        return id;
    }

    /** A runner for {@code rows × cols} inputs; close it when done (ONNX Runtime holds native memory). */
    public SoftmaxRun prepare(Op op, int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("shape " + rows + "x" + cols);
        }
        return prepareRows(op, rows, cols);
    }

    abstract SoftmaxRun prepareRows(Op op, int rows, int cols);

    /** One row of a contender that has no batch call: {@code (src, srcOffset, dst, dstOffset, length)}. */
    @FunctionalInterface
    interface RowFunction {
        void apply(float[] src, int srcOffset, float[] dst, int dstOffset, int length);
    }

    /** A batch as a loop over rows, for contenders without a batch call. */
    private static SoftmaxRun eachRow(int rows, int cols, RowFunction row) {
        return (src, dst) -> {
            for (int r = 0, o = 0; r < rows; r++, o += cols) {
                row.apply(src, o, dst, o, cols);
            }
        };
    }

    public static Contender of(String id) {
        for (Contender c : values()) {
            if (c.id.equals(id.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown contender '" + id + "'; known: "
                + Arrays.stream(values()).map(Contender::id).collect(Collectors.joining(", ")));
    }
}
