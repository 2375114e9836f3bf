package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.XYDataset;
import org.junit.jupiter.api.Test;

class PngChartTest {

    private static final ChartModel MODEL = new ChartModel("g", "Global gradient norm", "iteration", "norm",
            YScale.LOG, false,
            List.of(new Line("before clipping", "#4e79a7", false, new double[] {0, 1, 2, 3, 4},
                    new double[] {1, Double.NaN, 1e15, Double.POSITIVE_INFINITY, 1e-3})),
            null, List.of(new EventMarker(2, "explosion @ 2", Palette.EVENT)), "1 explosion event flagged");

    @Test
    void rendersAPngOfTheFixedSize() throws Exception {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(PngChart.render(MODEL)));
        assertEquals(900, image.getWidth());
        assertEquals(400, image.getHeight());
    }

    @Test
    void theSameModelGivesTheSameImage() {
        assertArrayEquals(PngChart.render(MODEL), PngChart.render(MODEL));
    }

    @Test
    void nonFiniteValuesAreDroppedAndAnnotated() {
        JFreeChart chart = PngChart.chart(MODEL);
        XYPlot plot = chart.getXYPlot();
        XYDataset data = plot.getDataset();
        assertEquals(5, data.getItemCount(0));
        assertNull(data.getY(0, 1));
        assertNull(data.getY(0, 3));
        assertEquals(1e15, data.getYValue(0, 2));
        String subtitle = ((TextTitle) chart.getSubtitle(1)).getText();
        assertEquals("2 NaN/Inf values dropped from the plot", subtitle);
    }

    @Test
    void logAxisCoversTheFiniteRange() {
        XYPlot plot = PngChart.chart(MODEL).getXYPlot();
        LogAxis axis = assertInstanceOf(LogAxis.class, plot.getRangeAxis());
        assertTrue(axis.getLowerBound() <= 1e-3, "lower " + axis.getLowerBound());
        assertTrue(axis.getUpperBound() >= 1e15, "upper " + axis.getUpperBound());
        assertEquals(1, plot.getDomainMarkers(org.jfree.chart.ui.Layer.FOREGROUND).size());
    }
}
