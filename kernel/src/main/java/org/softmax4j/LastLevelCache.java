package org.softmax4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Size of the largest CPU cache, read once from Linux sysfs ({@code /sys/devices/system/cpu/cpu0/cache}); where
 * that is unreadable (other systems, containers that hide it), 32 MiB, the L3 of the Zen 3 reference machine.
 */
final class LastLevelCache {
    private LastLevelCache() {}

    static final long DEFAULT_BYTES = 32L << 20;
    private static final long BYTES = read(Path.of("/sys/devices/system/cpu/cpu0/cache"));

    static long bytes() {
        return BYTES;
    }

    /** The largest "size" among the cache index directories under {@code dir}, or the default. */
    static long read(Path dir) {
        try (Stream<Path> indexes = Files.list(dir)) {
            return indexes.filter(p -> p.getFileName().toString().startsWith("index"))
                    .mapToLong(p -> parseSize(p.resolve("size")))
                    .filter(size -> size > 0)
                    .max()
                    .orElse(DEFAULT_BYTES);
        } catch (IOException | RuntimeException e) {
            return DEFAULT_BYTES;
        }
    }

    /** "491520K" -> 503316480; "32M" -> 33554432; unreadable or malformed -> 0. */
    private static long parseSize(Path file) {
        try {
            String text = Files.readString(file).trim().toUpperCase(Locale.ROOT);
            long unit = text.endsWith("K") ? 1L << 10 : text.endsWith("M") ? 1L << 20 : text.endsWith("G") ? 1L << 30 : 1;
            String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
            return Long.parseLong(digits) * unit;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
