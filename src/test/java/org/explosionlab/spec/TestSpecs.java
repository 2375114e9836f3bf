package org.explosionlab.spec;

/**
 * Specs for tests, written as the JSON a user would write: a fragment of fields on top of
 * {@code seed-baseline}. Single quotes stand for double quotes so fragments read well in Java.
 */
final class TestSpecs {
    private TestSpecs() {
    }

    /** {@code {"extends":"seed-baseline", <fields>}} with {@code '} read as {@code "}. */
    static String onSeed(String fields) {
        String body = fields.replace('\'', '"').trim();
        if (body.startsWith("{")) body = body.substring(1, body.length() - 1).trim();
        return "{\"extends\": \"seed-baseline\"" + (body.isEmpty() ? "" : ", " + body) + "}";
    }

    /** The seed-baseline spec with the given fields changed. */
    static ExperimentSpec seedWith(String fields) {
        return SpecJson.parse(onSeed(fields), "test");
    }
}
