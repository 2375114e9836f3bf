package org.explosionlab.network;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;

/**
 * Specs and configurations for the network tests: a JSON fragment on top of {@code seed-baseline}
 * ({@code '} stands for {@code "}), and the built configuration's layers.
 */
final class TestSpecs {
    private TestSpecs() {
    }

    /** The seed-baseline spec with the given fields changed. */
    static ExperimentSpec seedWith(String fields) {
        String body = fields.replace('\'', '"').trim();
        if (body.startsWith("{")) body = body.substring(1, body.length() - 1).trim();
        return SpecJson.parse("{\"extends\": \"seed-baseline\"" + (body.isEmpty() ? "" : ", " + body) + "}", "test");
    }

    /** Runs {@code body} with the system property {@code key} set to {@code value}, then restores it. */
    static <T> T withProperty(String key, String value, java.util.function.Supplier<T> body) {
        String previous = System.getProperty(key);
        System.setProperty(key, value);
        try {
            return body.get();
        } finally {
            if (previous == null) System.clearProperty(key);
            else System.setProperty(key, previous);
        }
    }

    /** Every layer of the configuration {@link NetworkFactory} builds for {@code spec}. */
    static List<BaseLayer> layers(ExperimentSpec spec) {
        return layers(NetworkFactory.configuration(spec));
    }

    static List<BaseLayer> layers(MultiLayerConfiguration conf) {
        List<BaseLayer> layers = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) layers.add((BaseLayer) conf.getConf(i).getLayer());
        return layers;
    }
}
