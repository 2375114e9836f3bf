package org.explosionlab.monitor.userprograms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.explosionlab.detection.ExplosionEvent;
import org.explosionlab.detection.Verdict;

/** Checks that an event names its layer the way DL4J does, against the network itself. */
final class LayerLabels {
    private static final Pattern INDEXED = Pattern.compile("layer (\\d+) \\((\\w+)\\)");
    private static final Pattern NAMED = Pattern.compile("layer \"([^\"]+)\" \\((\\w+)\\)");

    private LayerLabels() {
    }

    /** {@code layer N (ClassName)}: N is the event's layer index in {@code net.getLayers()}, ClassName that layer's configuration class. */
    static int assertIndexedLabel(MultiLayerNetwork net, Verdict verdict) {
        ExplosionEvent e = decidingEvent(verdict);
        Matcher m = INDEXED.matcher(e.layer());
        assertTrue(m.matches(), "a MultiLayerNetwork layer is named 'layer N (ClassName)', got '" + e.layer() + "' in " + verdict.summary());
        int index = Integer.parseInt(m.group(1));
        assertEquals(e.layerMost(), index, "the label's number is layerMost, DL4J's getLayers() index");
        assertEquals(net.getLayer(index).conf().getLayer().getClass().getSimpleName(), m.group(2),
                "the label's class is the configuration class of DL4J's layer " + index);
        assertTrue(net.getLayer(index).numParams() > 0, "the named layer holds parameters: " + e.layer());
        return index;
    }

    /** {@code layer "name" (ClassName)}: name is a vertex of {@code graph} whose layer has that configuration class. */
    static String assertVertexLabel(ComputationGraph graph, Verdict verdict) {
        ExplosionEvent e = decidingEvent(verdict);
        Matcher m = NAMED.matcher(e.layer());
        assertTrue(m.matches(), "a ComputationGraph layer is named 'layer \"name\" (ClassName)', got '" + e.layer() + "' in " + verdict.summary());
        String name = m.group(1);
        assertNotNull(graph.getLayer(name), "'" + name + "' is a layer vertex of the graph");
        assertEquals(graph.getLayer(name).conf().getLayer().getClass().getSimpleName(), m.group(2),
                "the label's class is the configuration class of vertex '" + name + "'");
        int index = java.util.Arrays.asList(graph.getLayers()).indexOf(graph.getLayer(name));
        assertEquals(index, e.layerMost(), "layerMost is the index of vertex '" + name + "' in DL4J's getLayers()");
        return name;
    }

    private static ExplosionEvent decidingEvent(Verdict verdict) {
        ExplosionEvent e = verdict.decidingEvent();
        assertNotNull(e, "a failed run has a deciding event: " + verdict.summary());
        assertNotNull(e.layer(), "the deciding event names a layer: " + verdict.summary());
        return e;
    }
}
