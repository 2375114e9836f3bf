package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class SvgChartTest {

    private static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    private static String xpath(Document doc, String expression) throws Exception {
        return XPathFactory.newInstance().newXPath().evaluate(expression, doc);
    }

    private static ChartModel model(YScale scale, double... y) {
        double[] x = new double[y.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
        }
        return new ChartModel("t", "title", "iteration", "y", scale, false,
                List.of(new Line("norm", "#4e79a7", false, x, y)), null, List.of(), null);
    }

    @Test
    void nonFinitePointsArePinnedAndCounted() throws Exception {
        Document doc = parse(SvgChart.render(model(YScale.LOG, 1, Double.NaN, 100, Double.POSITIVE_INFINITY, 10)));
        assertEquals("2", xpath(doc, "/svg/@data-nonfinite"));
        assertEquals("2", xpath(doc, "count(//path[@class='nonfinite'])"));
        assertTrue(xpath(doc, "//text[@class='legend']").contains("2 NaN/Inf"));
        assertEquals("NaN/Inf", xpath(doc, "//text[.='NaN/Inf']"));
        // The line breaks at both non-finite points: three pieces, each starting with M.
        String d = xpath(doc, "//path[@class='series']/@d");
        assertEquals(3, d.chars().filter(c -> c == 'M').count(), d);
    }

    @Test
    void aStretchOfNonFiniteValuesIsOneBar() throws Exception {
        double[] y = new double[200];
        for (int i = 0; i < y.length; i++) {
            y[i] = i < 120 ? 1 + i % 3 : Double.NaN;
        }
        Document doc = parse(SvgChart.render(model(YScale.LOG, y)));
        assertEquals("80", xpath(doc, "/svg/@data-nonfinite"));
        assertEquals("1", xpath(doc, "count(//rect[@class='nonfinite-run'])"));
        assertEquals("0", xpath(doc, "count(//path[@class='nonfinite'])"));
    }

    @Test
    void valuesAtOrBelowZeroOnALogAxisAreShownBelowThePlot() throws Exception {
        Document doc = parse(SvgChart.render(model(YScale.LOG, 1, 0, 5, -1, 10)));
        assertEquals("2", xpath(doc, "/svg/@data-nonpositive"));
        assertEquals("2", xpath(doc, "count(//path[@class='nonpositive'])"));
    }

    @Test
    void longSeriesAreDrawnWithAtMostTwoThousandPoints() throws Exception {
        double[] y = new double[50_000];
        for (int i = 0; i < y.length; i++) {
            y[i] = 1 + (i % 7);
        }
        y[31_415] = 1e12;
        Document doc = parse(SvgChart.render(model(YScale.LOG, y)));
        int points = Integer.parseInt(xpath(doc, "//path[@class='series']/@data-points"));
        assertTrue(points <= 2000, "points " + points);
        // The spike survives, so the axis and the path reach 1e12.
        assertEquals("1.0E12", xpath(doc, "(//text[contains(@class,'ytick')])[last()]/@data-value"));
    }

    @Test
    void chartWithoutFiniteValuesSaysSo() throws Exception {
        Document doc = parse(SvgChart.render(model(YScale.LINEAR, Double.NaN, Double.NaN)));
        assertEquals("1", xpath(doc, "count(//text[.='no finite values recorded'])"));
        assertEquals("0", xpath(doc, "count(//path[@class='series'])"));
    }

    @Test
    void textIsEscaped() throws Exception {
        ChartModel m = new ChartModel("t", "a < b & \"c\"", "x", "y", YScale.LINEAR, false, List.of(), null,
                List.of(), null);
        Document doc = parse(SvgChart.render(m));
        assertEquals("a < b & \"c\"", xpath(doc, "/svg/@aria-label"));
    }
}
