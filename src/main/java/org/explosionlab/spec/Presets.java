package org.explosionlab.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named experiments shipped as JSON resources under {@code /presets/}. {@code presets/index.txt}
 * lists them in teaching order; each file overrides only what differs from the preset it
 * {@code extends}.
 */
public final class Presets {
    private static final String DIR = "/presets/";

    private Presets() {
    }

    /** Preset names in teaching order. */
    public static List<String> names() {
        try (InputStream in = Presets.class.getResourceAsStream(DIR + "index.txt")) {
            if (in == null) throw new IllegalStateException("presets/index.txt missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fully resolved preset. */
    public static ExperimentSpec load(String name) {
        return SpecJson.fromTree(tree(name), "preset " + name);
    }

    /** Every preset, resolved, by name in teaching order. */
    public static Map<String, ExperimentSpec> all() {
        Map<String, ExperimentSpec> all = new LinkedHashMap<>();
        for (String n : names()) all.put(n, load(n));
        return all;
    }

    /** The preset file's own JSON (before {@code extends} is resolved). */
    static JsonNode tree(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+")) {
            throw new SpecException("unknown preset '" + name + "'; presets: " + String.join(", ", names()));
        }
        try (InputStream in = Presets.class.getResourceAsStream(DIR + name + ".json")) {
            if (in == null) {
                throw new SpecException("unknown preset '" + name + "'; presets: " + String.join(", ", names())
                        + " (list them with: explosion-lab presets)");
            }
            return SpecJson.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new SpecException("preset " + name + ": unreadable (" + e.getMessage() + ")", e);
        }
    }
}
