package org.softmax4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The memory floor from MemoryBandwidthBenchmark, measured in the same run as the contenders.
 *
 * <p>A softmax of a row that does not fit in cache must at least read x (max, or max and sum online) and then read x
 * and write y: 12 bytes per element, the two-pass floor, and no exact softmax moves less. The read benchmark gives
 * the cost of moving 4 bytes one way, the copy benchmark of reading 4 and writing 4, so the floor is
 * {@code read + copy} ns/element. A three-pass softmax (max; exp stored and summed; normalize in place) moves 20
 * bytes ({@code read + 2 copy}), a blocked one 16 ({@code 2 copy}); the memory section states those as well.
 *
 * <p>The roofline % (floor ÷ a contender's ns/element) is only meaningful for rows that live in DRAM. Rows whose
 * input and output fit in the per-core L2 read "in cache"; rows beyond L2 that beat the DRAM floor read "in L3"
 * when they fit the last-level cache, and otherwise are flagged, never shown as a bare percentage above 100.
 */
final class Roofline {
    static final int BYTES_PER_ELEMENT = 12;
    /** A compiled read loop allocates nothing; JMH's own per-iteration garbage stays far below this per call. */
    private static final double BOXING_BYTES_PER_OP = 1024;
    /** The in-cache rows end at 128256 floats (1 MiB in + out); 2 MiB is the L2 it was written against. */
    private static final long DEFAULT_L2_BYTES = 2L << 20;

    final double readNsPerElement;
    final double copyNsPerElement;
    final long elements;
    /**
     * False when the read loop had not been compiled by C2 when measured: without warm-up, or when it still allocates
     * (boxed vectors), it times the interpreter, not memory (a smoke run once reported "read 0.1 GB/s" that way).
     */
    final boolean warmedUp;
    private final long l2Bytes;
    private final long lastLevelBytes;

    private Roofline(Measurement read, Measurement copy) {
        readNsPerElement = read.nsPerElement();
        copyNsPerElement = copy.nsPerElement();
        elements = Math.min(read.elements(), copy.elements());
        warmedUp = read.warmupIterations() > 0 && copy.warmupIterations() > 0
                && !(read.allocBytesPerOp() > BOXING_BYTES_PER_OP);
        long l2 = cacheBytes(2);
        l2Bytes = l2 > 0 ? l2 : DEFAULT_L2_BYTES;
        lastLevelBytes = cacheBytes(3);
    }

    /** The floor from the largest read and copy measured, or null when the run had no memory benchmarks. */
    static Roofline of(List<Measurement> results) {
        Measurement read = largest(results, "read");
        Measurement copy = largest(results, "copy");
        return read == null || copy == null ? null : new Roofline(read, copy);
    }

    double nsPerElement() {
        return readNsPerElement + copyNsPerElement;
    }

    double threePassNsPerElement() {
        return readNsPerElement + 2 * copyNsPerElement;
    }

    double blockedNsPerElement() {
        return 2 * copyNsPerElement;
    }

    double readGBs() {
        return Float.BYTES / readNsPerElement;
    }

    double copyGBs() {
        return 2.0 * Float.BYTES / copyNsPerElement;
    }

    /** Percent of the two-pass floor reached, for the CSV: every shape, cache-resident ones above 100%. */
    double percent(Measurement m) {
        return !m.family().hasRoofline() ? Double.NaN : 100.0 * nsPerElement() / m.nsPerElement();
    }

    /** The table cell: a percentage only where the row streams from memory and stays under the floor. */
    String cell(Measurement m) {
        if (!m.family().hasRoofline()) {
            return "–";
        }
        if (!warmedUp) {
            return "no floor¹";
        }
        long workingSet = m.elements() * 2L * Float.BYTES;
        if (workingSet <= l2Bytes) {
            return "in cache";
        }
        double p = percent(m);
        if (p <= 100) {
            return Cells.percent(p);
        }
        return lastLevelBytes <= 0 || workingSet <= lastLevelBytes ? "in L3" : ">100%²";
    }

    /** What the roofline column means, for the text above each table. */
    String legend() {
        StringBuilder s = new StringBuilder("Roofline: % of the " + BYTES_PER_ELEMENT + " B/element two-pass floor "
                + "(read x; read x + write y) from the read and copy bandwidth measured below; 100% = at the floor. "
                + "\"in cache\": input + output fit the " + Cells.mib(l2Bytes) + " L2, where a DRAM floor does not "
                + "apply; \"in L3\": faster than the DRAM floor because the row fits the shared last-level cache"
                + (lastLevelBytes > 0 ? " (" + Cells.mib(lastLevelBytes) + ")" : " (size unknown here)") + ".");
        if (!warmedUp) {
            s.append(" ¹ The read loop was not compiled when measured (no warm-up, or it allocated boxed vectors), "
                    + "so it timed the interpreter, not memory: no floor.");
        }
        s.append(" ² Faster than the measured floor with the row beyond the last-level cache: the read or copy run "
                + "did not reach this machine's peak (noise, or a copy that pays write-allocate traffic the "
                + "contender avoids).");
        return s.append("\n").toString();
    }

    /** The floor, the three-pass and blocked floors, and each contender's distance from it at 1M and 16M. */
    String section(List<Measurement> results) {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Bandwidth floor from %,d floats (%s per array)%s: read %.1f GB/s, "
                        + "copy %.1f GB/s (read + write). Two-pass floor (%d B/element) = read + copy = %.3f + %.3f = "
                        + "**%.3f ns/element**; three-pass (20 B/element, read + 2 copy) %.3f; blocked (16 B/element, "
                        + "2 copy) %.3f.%n",
                elements, Cells.mib(elements * (long) Float.BYTES),
                lastLevelBytes > 0 && elements * 2L * Float.BYTES <= lastLevelBytes
                        ? " — **fits the last-level cache, so this is cache bandwidth, not DRAM**" : "",
                readGBs(), copyGBs(), BYTES_PER_ELEMENT, readNsPerElement, copyNsPerElement, nsPerElement(),
                threePassNsPerElement(), blockedNsPerElement()));
        if (!warmedUp) {
            return md.append("\n**The read loop was not compiled by C2 when measured (no warm-up iteration, or it "
                    + "allocated boxed vectors: see its B/op), so these are not memory measurements.**\n").toString();
        }
        List<String> shapes = List.of("1048576", "16777216");
        List<String> contenders = results.stream().filter(m -> m.family().isSingleRow()
                        && shapes.contains(m.shape())).map(Measurement::contender).distinct().sorted(Contenders.ORDER)
                .toList();
        if (contenders.isEmpty()) {
            return md.append("\nNo single-row results at 1M or 16M in this run.\n").toString();
        }
        md.append("\nDistance from the two-pass floor (contender ns/element ÷ floor; 1.00× = at the floor, below 1× "
                        + "only where the row is served from cache, as marked):\n\n")
                .append("| contender | ns/element at 1M | × floor | ns/element at 16M | × floor |\n")
                .append("|---|---:|---:|---:|---:|\n");
        for (String c : contenders) {
            md.append("| ").append(c);
            for (String shape : shapes) {
                Measurement m = results.stream().filter(r -> r.family().isSingleRow() && r.shape().equals(shape)
                        && r.contender().equals(c)).findFirst().orElse(null);
                md.append(" | ").append(m == null ? "–" : Cells.fmt(m.nsPerElement()))
                        .append(" | ").append(m == null ? "–" : distance(m));
            }
            md.append(" |\n");
        }
        return md.toString();
    }

    /** ns/element ÷ floor; below 1× only where the row is cache-resident, and then it says so. */
    private String distance(Measurement m) {
        double ratio = m.nsPerElement() / nsPerElement();
        String cell = Cells.ratio(ratio);
        if (ratio >= 1) {
            return cell;
        }
        String where = cell(m);
        return cell + " (" + (where.endsWith("%²") ? "²" : where) + ")";
    }

    private static Measurement largest(List<Measurement> results, String pass) {
        Measurement best = null;
        for (Measurement m : results) {
            if (m.family() == Family.MEMORY && m.contender().equals(pass)
                    && (best == null || m.elements() > best.elements())) {
                best = m;
            }
        }
        return best;
    }

    /** The size of cpu0's unified or data cache at {@code level} from sysfs (Linux), or 0 when unknown. */
    private static long cacheBytes(int level) {
        long best = 0;
        for (int i = 0; i < 8; i++) {
            Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache/index" + i);
            try {
                if (Integer.parseInt(Files.readString(dir.resolve("level")).strip()) != level
                        || Files.readString(dir.resolve("type")).strip().equals("Instruction")) {
                    continue;
                }
                String size = Files.readString(dir.resolve("size")).strip().toUpperCase(Locale.ROOT);
                long multiplier = size.endsWith("K") ? 1024 : size.endsWith("M") ? 1024 * 1024 : 1;
                best = Math.max(best, Long.parseLong(size.replaceAll("[^0-9]", "")) * multiplier);
            } catch (IOException | RuntimeException e) {
                // Not Linux, or no such cache index: keep what we have.
            }
        }
        return best;
    }
}
