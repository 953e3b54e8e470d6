package org.softmax4j.bench;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** throughput.png: elements per ns against row length, one line per contender, and the two-pass memory floor. */
final class Plot {
    private Plot() {
    }

    /** Plots the single-row softmax results of the first width and thread count; false when there are none. */
    static boolean write(List<Measurement> results, Roofline roofline, Path png) throws IOException {
        Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
        Measurement first = results.stream().filter(m -> m.family() == Family.SOFTMAX).findFirst().orElse(null);
        if (first == null) {
            return false;
        }
        results.stream()
                .filter(m -> m.family() == Family.SOFTMAX && m.threads() == first.threads()
                        && m.vectorBits().equals(first.vectorBits()))
                .sorted((a, b) -> Contenders.ORDER.compare(a.contender(), b.contender()))
                .forEach(m -> series.computeIfAbsent(m.contender(), k -> new TreeMap<>())
                        .put(m.elements(), m.elementsPerNs()));
        XYChart chart = new XYChartBuilder().width(1100).height(650)
                .title("softmax throughput, one row"
                        + (first.threads() == 1 ? ", single thread" : ", threads=" + first.threads())
                        + ("auto".equals(first.vectorBits()) ? "" : ", softmax4j.vectorBits=" + first.vectorBits()))
                .xAxisTitle("row length n (floats, log scale)")
                .yAxisTitle("elements per ns (higher is better)")
                .build();
        var styler = chart.getStyler();
        styler.setXAxisLogarithmic(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setYAxisDecimalPattern("0.00");
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotGridLinesVisible(true);
        styler.setMarkerSize(7);
        styler.setXAxisDecimalPattern("#,###");
        styler.setYAxisMin(0.0);
        long minN = Long.MAX_VALUE;
        long maxN = 0;
        for (Map.Entry<String, TreeMap<Long, Double>> e : series.entrySet()) {
            double[] x = e.getValue().keySet().stream().mapToDouble(Long::doubleValue).toArray();
            double[] y = e.getValue().values().stream().mapToDouble(Double::doubleValue).toArray();
            chart.addSeries(e.getKey(), x, y);
            minN = Math.min(minN, e.getValue().firstKey());
            maxN = Math.max(maxN, e.getValue().lastKey());
        }
        if (roofline != null && roofline.warmedUp) {
            double level = 1 / roofline.nsPerElement();
            XYSeries floor = chart.addSeries(String.format(Locale.ROOT,
                            "two-pass memory floor, %d B/element (%.2f el/ns)", Roofline.BYTES_PER_ELEMENT, level),
                    new double[] {minN, maxN}, new double[] {level, level});
            floor.setLineStyle(SeriesLines.DASH_DASH);
            floor.setMarker(SeriesMarkers.NONE);
            floor.setLineColor(Color.GRAY);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
        return true;
    }
}
