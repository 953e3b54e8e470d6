package org.softmax4j;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Memory segments for the segment tests: native or heap, float 0 at any byte alignment. */
enum Segments {
    NATIVE,
    /** Heap memory over a byte[]: never the facade's float[] shortcut. */
    HEAP_BYTES,
    /** Heap memory over a float[]: at a whole-float alignment the facade hands it to the array kernel. */
    HEAP_FLOATS;

    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    /** {@code floats} floats whose float 0 is at byte {@code misalign} of its memory (native: of a 64-byte line). */
    MemorySegment allocate(Arena arena, int misalign, long floats) {
        long bytes = floats * Float.BYTES + misalign;
        MemorySegment whole = switch (this) {
            case NATIVE -> arena.allocate(Math.max(1, bytes), 64);
            case HEAP_BYTES -> MemorySegment.ofArray(new byte[(int) bytes]);
            case HEAP_FLOATS -> MemorySegment.ofArray(new float[(int) ((bytes + 3) / Float.BYTES)]);
        };
        return whole.asSlice(misalign, floats * Float.BYTES);
    }

    /** A segment holding {@code values} from float {@code index} on, {@code pad} sentinel floats on each side. */
    MemorySegment holding(Arena arena, int misalign, float[] values, int pad, float sentinel) {
        MemorySegment s = allocate(arena, misalign, values.length + 2L * pad);
        fill(s, sentinel);
        write(s, pad, values);
        return s;
    }

    static void fill(MemorySegment s, float value) {
        for (long i = 0; i < s.byteSize() / Float.BYTES; i++) {
            s.set(FLOAT, i * Float.BYTES, value);
        }
    }

    static void write(MemorySegment s, long index, float[] values) {
        MemorySegment.copy(values, 0, s, FLOAT, index * Float.BYTES, values.length);
    }

    static float[] read(MemorySegment s, long index, int length) {
        float[] a = new float[length];
        MemorySegment.copy(s, FLOAT, index * Float.BYTES, a, 0, length);
        return a;
    }

    static float[] all(MemorySegment s) {
        return read(s, 0, (int) (s.byteSize() / Float.BYTES));
    }
}
