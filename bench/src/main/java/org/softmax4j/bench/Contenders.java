package org.softmax4j.bench;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/**
 * What the report knows about contender ids. Any id a benchmark's {@code contender} parameter names is reported;
 * only the ratio columns name contenders, because the targets are stated against them.
 */
final class Contenders {
    static final String SOFTMAX4J = Contender.SOFTMAX4J.id();
    static final String ONNXRUNTIME = Contender.ONNXRUNTIME.id();
    static final String JDK_EXP = Contender.JDK_EXP.id();

    /** Declaration order of {@link Contender} (the library first), then ids it does not declare, by name. */
    static final Comparator<String> ORDER = order();

    private Contenders() {
    }

    private static Comparator<String> order() {
        Map<String, Integer> rank = new HashMap<>();
        for (Contender c : Contender.values()) {
            rank.put(c.id(), c.ordinal());
        }
        return Comparator.<String>comparingInt(id -> rank.getOrDefault(id, Integer.MAX_VALUE))
                .thenComparing(Comparator.naturalOrder());
    }
}
