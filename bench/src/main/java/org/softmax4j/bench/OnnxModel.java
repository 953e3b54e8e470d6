package org.softmax4j.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a one-node ONNX model, {@code y = Op(x, axis = -1)} on a float tensor of a fixed shape, as protobuf bytes.
 * Written by hand so the benchmarks need no protobuf or onnx dependency; the field numbers are those of
 * onnx/onnx.proto (IR version 8, default domain opset 13, where Softmax and LogSoftmax normalize one axis).
 */
final class OnnxModel {
    static final String INPUT = "x";
    static final String OUTPUT = "y";

    /** IR version 8 (ONNX 1.10): the oldest that every opset-13 runtime accepts and every current one reads. */
    private static final long IR_VERSION = 8;
    private static final long OPSET = 13;

    // onnx.proto field numbers.
    private static final int MODEL_IR_VERSION = 1;
    private static final int MODEL_PRODUCER_NAME = 2;
    private static final int MODEL_GRAPH = 7;
    private static final int MODEL_OPSET_IMPORT = 8;
    private static final int OPSET_DOMAIN = 1;
    private static final int OPSET_VERSION = 2;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_NAME = 2;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_NAME = 1;
    private static final int ATTRIBUTE_I = 3;
    private static final int ATTRIBUTE_TYPE = 20;
    private static final int ATTRIBUTE_TYPE_INT = 2;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_ELEM_TYPE = 1;
    private static final int TENSOR_SHAPE = 2;
    private static final int TENSOR_ELEM_FLOAT = 1;
    private static final int SHAPE_DIM = 1;
    private static final int DIM_VALUE = 1;

    private OnnxModel() {
    }

    /** The model bytes for {@code opType} ("Softmax" or "LogSoftmax") over the last axis of a {@code shape} tensor. */
    static byte[] singleOp(String opType, long... shape) {
        ProtoWriter attribute = new ProtoWriter()
                .string(ATTRIBUTE_NAME, "axis")
                .int64(ATTRIBUTE_I, -1)
                .int64(ATTRIBUTE_TYPE, ATTRIBUTE_TYPE_INT);
        ProtoWriter node = new ProtoWriter()
                .string(NODE_INPUT, INPUT)
                .string(NODE_OUTPUT, OUTPUT)
                .string(NODE_NAME, opType.toLowerCase(java.util.Locale.ROOT))
                .string(NODE_OP_TYPE, opType)
                .message(NODE_ATTRIBUTE, attribute);
        ProtoWriter graph = new ProtoWriter()
                .message(GRAPH_NODE, node)
                .string(GRAPH_NAME, "softmax4j-bench-" + opType)
                .message(GRAPH_INPUT, valueInfo(INPUT, shape))
                .message(GRAPH_OUTPUT, valueInfo(OUTPUT, shape));
        ProtoWriter opset = new ProtoWriter()
                .string(OPSET_DOMAIN, "")
                .int64(OPSET_VERSION, OPSET);
        return new ProtoWriter()
                .int64(MODEL_IR_VERSION, IR_VERSION)
                .string(MODEL_PRODUCER_NAME, "softmax4j-bench")
                .message(MODEL_GRAPH, graph)
                .message(MODEL_OPSET_IMPORT, opset)
                .toByteArray();
    }

    private static ProtoWriter valueInfo(String name, long[] shape) {
        ProtoWriter dims = new ProtoWriter();
        for (long d : shape) {
            dims.message(SHAPE_DIM, new ProtoWriter().int64(DIM_VALUE, d));
        }
        ProtoWriter tensor = new ProtoWriter()
                .int64(TENSOR_ELEM_TYPE, TENSOR_ELEM_FLOAT)
                .message(TENSOR_SHAPE, dims);
        return new ProtoWriter()
                .string(VALUE_INFO_NAME, name)
                .message(VALUE_INFO_TYPE, new ProtoWriter().message(TYPE_TENSOR_TYPE, tensor));
    }

    /** The three protobuf wire forms a model needs: varint, length-delimited string and nested message. */
    static final class ProtoWriter {
        private static final int WIRE_VARINT = 0;
        private static final int WIRE_LENGTH_DELIMITED = 2;

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** int64/int32/enum field; negative values take ten bytes (two's complement), as protobuf specifies. */
        ProtoWriter int64(int field, long value) {
            tag(field, WIRE_VARINT);
            varint(value);
            return this;
        }

        ProtoWriter string(int field, String value) {
            return bytes(field, value.getBytes(StandardCharsets.UTF_8));
        }

        ProtoWriter message(int field, ProtoWriter message) {
            return bytes(field, message.toByteArray());
        }

        ProtoWriter bytes(int field, byte[] value) {
            tag(field, WIRE_LENGTH_DELIMITED);
            varint(value.length);
            out.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }

        private void tag(int field, int wireType) {
            varint(((long) field << 3) | wireType);
        }

        private void varint(long value) {
            while ((value & ~0x7FL) != 0) {
                out.write((int) ((value & 0x7F) | 0x80));
                value >>>= 7;
            }
            out.write((int) value);
        }
    }
}
