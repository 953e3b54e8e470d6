package org.softmax4j.bench;

import java.util.Locale;

/** How numbers read in the tables and the CSV: Locale.ROOT everywhere, "–" for what was not measured. */
final class Cells {
    private Cells() {
    }

    /** Three significant digits or so, whatever the magnitude (ns/op runs from 10 to 10^8). */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "–";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        String pattern = a >= 1000 ? "%,.0f" : a >= 100 ? "%.1f" : a >= 10 ? "%.2f" : a >= 0.01 ? "%.3f" : "%.2e";
        return String.format(Locale.ROOT, pattern, v);
    }

    static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f×", v) : "–";
    }

    static String percent(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.0f%%", v) : "–";
    }

    /** Bytes per call; "n/a" where the run had no CallAllocationProfiler. */
    static String bytes(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, v < 10 ? "%.1f" : "%.0f", v);
    }

    /** A CSV number: full precision, empty when not measured. */
    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
}
