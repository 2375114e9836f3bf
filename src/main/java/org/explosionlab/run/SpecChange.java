package org.explosionlab.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.codec.digest.DigestUtils;
import org.explosionlab.spec.ExperimentSpec;
import org.explosionlab.spec.SpecJson;

/**
 * What changed in a run's {@code spec.json} since its checkpoint was written. {@code --resume} continues a
 * run exactly as it was started, so any change (a learning rate, the updater, the seed, the batch size,
 * the layer sizes) is refused before the run directory is touched.
 *
 * <p>Both sides are the spec's canonical JSON tree ({@link SpecJson#write} read back: every field, nulls
 * included). The fingerprint is SHA-256 (FIPS 180-4) of that tree's compact JSON text; the check
 * compares fingerprints, and on a mismatch names the top-level fields whose values differ.
 */
public final class SpecChange {
    private SpecChange() {
    }

    /** The canonical JSON tree of a spec: its JSON text read back, so that it equals the tree a checkpoint reads. */
    public static JsonNode tree(ExperimentSpec spec) {
        try {
            return SpecJson.mapper().readTree(SpecJson.write(spec));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a spec's own JSON always parses", e);
        }
    }

    /** SHA-256 hex of the tree's compact JSON text. */
    public static String fingerprint(JsonNode tree) {
        return DigestUtils.sha256Hex(tree.toString());
    }

    /** The fields that differ, each as {@code name (checkpoint value -> spec.json value)}, in spec order. */
    public static List<String> changedFields(JsonNode atCheckpoint, JsonNode now) {
        Set<String> names = new LinkedHashSet<>();
        for (Iterator<String> it = now.fieldNames(); it.hasNext(); ) names.add(it.next());
        for (Iterator<String> it = atCheckpoint.fieldNames(); it.hasNext(); ) names.add(it.next());
        List<String> changed = new ArrayList<>();
        for (String name : names) {
            JsonNode before = atCheckpoint.path(name);
            JsonNode after = now.path(name);
            if (!before.equals(after)) changed.add(name + " (" + shown(before) + " -> " + shown(after) + ")");
        }
        return changed;
    }

    private static String shown(JsonNode v) {
        if (v.isMissingNode()) return "absent";
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
