package org.explosionlab.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.explosionlab.spec.SpecException;
import org.explosionlab.spec.SpecJson;
import org.explosionlab.run.AtomicFiles;

/**
 * {@value #FILE} in a sweep directory: the plan a sweep was started with (every point's label and
 * resolved spec, {@code --max-batches}, the command line), written before the first point starts, so
 * that {@code sweep --resume DIR} can finish it from its own files. Plain JSON read back through
 * {@link SpecJson} (strict types, the spec validator), never Java deserialization.
 *
 * @param command    the sweep's command line
 * @param maxBatches {@code --max-batches} of every point
 * @param points     the plan
 */
public record SweepManifest(String command, int maxBatches, List<SweepPoint> points) {
    public static final String FILE = org.explosionlab.run.RunFiles.SWEEP_PLAN;
    static final int FORMAT = 1;
    /** The field holding the SHA-256 of the rest of the plan, so that a plan edited since the sweep wrote it is refused. */
    static final String DIGEST = "plan_sha256";

    /**
     * SHA-256 (hex) of the plan's compact JSON text without its {@value #DIGEST} field: the fingerprint the sweep
     * records when it writes sweep.json and checks when {@code --resume} reads it.
     */
    public static String digest(JsonNode root) {
        ObjectNode rest = root.deepCopy();
        rest.remove(DIGEST);
        return org.explosionlab.run.SpecChange.fingerprint(rest);
    }

    public SweepManifest {
        points = List.copyOf(points);
    }

    public void write(Path sweepDir) {
        ObjectNode root = SpecJson.mapper().createObjectNode();
        root.put("format", FORMAT);
        root.put("command", command);
        root.put("max_batches", maxBatches);
        ArrayNode list = root.putArray("points");
        for (SweepPoint p : points) list.addObject().put("label", p.label()).set("spec", SpecJson.toTree(p.spec()));
        root.put(DIGEST, digest(root));
        try {
            AtomicFiles.writeString(sweepDir.resolve(FILE), SpecJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("sweep plan does not serialise", e);
        }
    }

    /** The plan in {@code sweepDir}; a {@link SpecException} (one line) when it is missing or not one this program wrote. */
    public static SweepManifest read(Path sweepDir) {
        Path f = sweepDir.resolve(FILE);
        if (!Files.isRegularFile(f)) {
            throw new SpecException(sweepDir + " holds no " + FILE + "; --resume needs a sweep directory written by explosion-lab sweep");
        }
        JsonNode root;
        try {
            root = SpecJson.mapper().readTree(f.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SpecException(f + " is not valid JSON (" + SpecJson.problem(e) + "); it was not written by explosion-lab sweep");
        } catch (IOException e) {
            throw new SpecException(f + " cannot be read (" + e.getMessage() + "); it was not written by explosion-lab sweep");
        }
        if (root == null || !root.path("format").isInt() || root.get("format").asInt() != FORMAT
                || !root.path("command").isTextual() || !root.path("max_batches").isInt() || !root.path("points").isArray()) {
            throw new SpecException(f + " is not a sweep plan of format " + FORMAT + " (format, command, max_batches, points)");
        }
        if (!root.path(DIGEST).isTextual()) {
            throw new SpecException(f + " has no " + DIGEST + " (an edited plan, or one written by an older version);"
                    + " --resume finishes only a plan exactly as the sweep wrote it: start a new sweep");
        }
        if (!root.get(DIGEST).asText().equals(digest(root))) {
            throw new SpecException(f + " was changed since the sweep wrote it (its " + DIGEST + " does not match the plan);"
                    + " --resume finishes only a plan exactly as the sweep wrote it: undo the change, or start a new sweep");
        }
        if (root.get("max_batches").asInt() < 0) {
            throw new SpecException(f + ": max_batches must be >= 0, got " + root.get("max_batches").asInt()
                    + "; it was not written by explosion-lab sweep: start a new sweep");
        }
        if (root.get("points").isEmpty()) {
            throw new SpecException(f + " plans no points; it was not written by explosion-lab sweep: start a new sweep");
        }
        List<SweepPoint> points = new ArrayList<>();
        for (JsonNode p : root.get("points")) {
            if (!p.path("label").isTextual() || !p.path("spec").isObject()) {
                throw new SpecException(f + ": every point needs a label and a spec object");
            }
            points.add(new SweepPoint(p.get("label").asText(), SpecJson.fromTree(p.get("spec"), f + " point " + p.get("label").asText())));
        }
        return new SweepManifest(root.get("command").asText(), root.get("max_batches").asInt(), points);
    }
}
