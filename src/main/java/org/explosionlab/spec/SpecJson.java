package org.explosionlab.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads and writes {@link ExperimentSpec} as JSON. A spec file is an object of spec fields; it may
 * name a preset in {@code "extends"} and then holds only what differs (nanoGPT-style overrides).
 * Without {@code extends} the core fields in {@link #REQUIRED} must be present and the rest take the
 * {@code seed-baseline} defaults. A run's {@code summary.json} is accepted too (its {@code spec}
 * field is read), so a run can be repeated from its own output. Comments ({@code // ...}) are allowed. Every problem becomes one
 * {@link SpecException} line naming the source and the field.
 */
public final class SpecJson {
    /** Fields a spec file must give when it does not extend a preset. */
    public static final List<String> REQUIRED = List.of(
            "name", "layerSizes", "activations", "lossFunction", "updater", "learningRate", "weightInit",
            "batchSize", "epochs", "seed");
    /** The preset every file without {@code extends} starts from. */
    public static final String DEFAULT_BASE = "seed-baseline";

    /** The largest spec file read (a full spec is ~1.5 KB). */
    public static final int MAX_SPEC_BYTES = 1 << 20;
    /**
     * Jackson's limits for what a spec can hold, far above any real spec and far below what costs memory:
     * nesting depth 32, numbers of at most 64 characters, strings of at most 64 KiB. Duplicate keys are an
     * error, not "the last one wins".
     */
    static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(32).maxNumberLength(64).maxStringLength(64 << 10).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** A string where a number or boolean belongs fails, as a number where a string belongs does. */
    private static final java.util.function.Consumer<com.fasterxml.jackson.databind.cfg.MutableCoercionConfig> STRICT = c -> c
            .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.String, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail)
            .setCoercion(com.fasterxml.jackson.databind.cfg.CoercionInputShape.EmptyString, com.fasterxml.jackson.databind.cfg.CoercionAction.Fail);

    static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY)
            .enable(JsonParser.Feature.ALLOW_COMMENTS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)   // "epochs": 1.5 is an error, not 1
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)      // "seed": "42" is an error, not 42
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Integer, STRICT)
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Float, STRICT)
            .withCoercionConfig(com.fasterxml.jackson.databind.type.LogicalType.Boolean, STRICT)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private SpecJson() {
    }

    /** The shared, configured mapper (comments allowed, unknown fields rejected). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * Reads a spec file: at most {@link #MAX_SPEC_BYTES} (so {@code /dev/zero} or a log file handed over by
     * mistake is refused, not read into memory), strict UTF-8.
     */
    public static ExperimentSpec read(Path file) {
        String text;
        if (isFifo(file)) {                       // reading one waits for a writer that may never come
            throw new SpecException(file + ": is a named pipe (FIFO), not a spec file; give a spec JSON file or use --preset NAME");
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_SPEC_BYTES + 1);
            if (bytes.length > MAX_SPEC_BYTES) {
                throw new SpecException(file + ": larger than " + (MAX_SPEC_BYTES >> 20) + " MB, too large for a spec file (a spec is"
                        + " a small JSON object of fields, ~2 KB); check that you gave the right file");
            }
            text = utf8(bytes, file);
        } catch (NoSuchFileException e) {
            throw new SpecException(file + ": no such spec file; give an existing JSON file or use --preset NAME");
        } catch (IOException e) {
            if (Files.isDirectory(file)) throw new SpecException(file + ": is a directory; give a spec JSON file or use --preset NAME");
            throw new SpecException(file + ": cannot read spec file (" + e.getMessage() + "); check that it is a readable file");
        }
        return parse(text, file.toString());
    }

    private static boolean isFifo(Path file) {
        if (!Files.exists(file) || Files.isRegularFile(file) || Files.isDirectory(file)) return false;
        try {
            return ((Integer) Files.getAttribute(file, "unix:mode") & 0170000) == 0010000;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Strict UTF-8 decoding: a byte that is not UTF-8 is named by its offset instead of being replaced; a leading byte
     * order mark (EF BB BF, which Notepad writes) is dropped, as Jackson drops it from a file it reads itself.
     */
    private static String utf8(byte[] bytes, Path file) {
        var decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        try {
            String text = decoder.decode(in).toString();
            return text.startsWith("\uFEFF") ? text.substring(1) : text;   // a byte order mark (Windows editors) is no content
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new SpecException(file + ": not UTF-8 text (byte " + in.position() + " is not valid UTF-8); save the spec as UTF-8");
        }
    }

    /** Parses spec JSON text; {@code source} names it in error messages. */
    public static ExperimentSpec parse(String json, String source) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (StreamConstraintsException e) {
            String why = e.getOriginalMessage().replaceAll(",? ?from `StreamReadConstraints[^`]*`", "").split("\n")[0];
            throw new SpecException(source + ": too large for a spec (" + why + at(e.getLocation()) + "); a spec is a small JSON object of fields");
        } catch (JsonProcessingException e) {
            if (trailing(e)) {
                throw new SpecException(source + ": text after the spec's JSON object" + at(e.getLocation())
                        + "; a spec file holds one JSON object and nothing after it");
            }
            String message = e.getOriginalMessage().split("\n")[0];
            var duplicate = java.util.regex.Pattern.compile("Duplicate field '([^']*)'").matcher(message);
            if (duplicate.find()) {
                throw new SpecException(source + ": field '" + duplicate.group(1) + "' appears twice" + at(e.getLocation())
                        + "; give each field once");
            }
            throw new SpecException(source + ": not valid JSON (" + message + at(e.getLocation()) + ")");
        }
        return fromTree(tree, source);
    }

    /**
     * One line for a JSON file that does not read as the record it should be, without Jackson's internals (class
     * names, "Source: ...", the excerpt): the field and what is wrong with it, or the syntax error and where.
     */
    public static String problem(JsonProcessingException e) {
        if (trailing(e)) return "text after the JSON value" + at(e.getLocation());
        if (e instanceof JsonMappingException jm && !jm.getPath().isEmpty()) {
            if (jm instanceof UnrecognizedPropertyException) return "unknown field '" + path(jm) + "'";
            if (jm.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException ic) {
                return "field '" + path(jm) + "' is out of range (" + valueIn(ic.getOriginalMessage()) + ")";
            }
            if (jm instanceof MismatchedInputException mi && mi.getTargetType() != null) {
                return "field '" + path(jm) + "' must be " + describe(mi.getTargetType());
            }
            return "field '" + path(jm) + "' has a value of the wrong type";
        }
        String m = e.getOriginalMessage().split("\n")[0].replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
                .replaceAll("`[A-Za-z0-9_$.\\[\\]]+`", "a value")
                .replaceAll("\\(for [A-Za-z0-9_$.]+\\)", "").strip();
        return m + (e instanceof JsonMappingException ? "" : at(e.getLocation()));
    }

    /** Jackson's {@code FAIL_ON_TRAILING_TOKENS}: a second JSON value after the document's. */
    private static boolean trailing(JsonProcessingException e) {
        return e instanceof MismatchedInputException && e.getOriginalMessage().startsWith("Trailing token");
    }

    private static String at(JsonLocation where) {
        if (where == null || where.getLineNr() < 0) return "";
        return " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    }

    /** Resolves {@code extends}, checks required fields and binds the tree. */
    public static ExperimentSpec fromTree(JsonNode tree, String source) {
        if (tree != null && tree.path("spec").isObject() && tree.has("provenance")) {
            tree = tree.get("spec");          // a run's summary.json: repeat that run
        }
        return bind(resolve(tree, source, 0), source);
    }

    static ObjectNode resolve(JsonNode tree, String source, int depth) {
        if (tree == null || !tree.isObject()) {
            throw new SpecException(source + ": a spec must be a JSON object of fields, e.g. {\"extends\": \"seed-baseline\", \"learningRate\": 0.1}");
        }
        if (depth > 8) throw new SpecException(source + ": \"extends\" chains more than 8 presets deep (a cycle?)");
        ObjectNode own = ((ObjectNode) tree).deepCopy();
        JsonNode ext = own.remove("extends");
        ObjectNode base;
        if (ext != null) {
            if (!ext.isTextual()) throw new SpecException(source + ": \"extends\" must be a preset name, got " + ext);
            JsonNode parent;
            try {
                parent = Presets.tree(ext.asText());
            } catch (SpecException e) {
                throw new SpecException(source + ": \"extends\": " + e.getMessage(), e);
            }
            base = resolve(parent, "preset " + ext.asText(), depth + 1);
        } else {
            List<String> missing = REQUIRED.stream().filter(f -> !own.has(f)).toList();
            if (!missing.isEmpty()) {
                throw new SpecException(source + ": missing required field" + (missing.size() > 1 ? "s " : " ")
                        + String.join(", ", missing) + " (or add \"extends\": \"seed-baseline\" to start from a preset)");
            }
            base = DEFAULT_BASE.equals(own.path("name").asText()) && depth > 0
                    ? MAPPER.createObjectNode() : resolve(Presets.tree(DEFAULT_BASE), "preset " + DEFAULT_BASE, depth + 1);
        }
        merge(base, own);
        return base;
    }

    /**
     * Deep merge: objects merge field by field, anything else replaces. A typed object ({@code "type"})
     * whose type changes is replaced whole, so a step schedule does not inherit an exponential's gamma.
     */
    static void merge(ObjectNode into, ObjectNode from) {
        Iterator<Map.Entry<String, JsonNode>> it = from.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode old = into.get(e.getKey());
            JsonNode neu = e.getValue();
            boolean sameType = old != null && old.isObject() && neu.isObject()
                    && (!neu.has("type") || neu.path("type").equals(old.path("type")));
            if (sameType) merge((ObjectNode) old, (ObjectNode) neu);
            else into.set(e.getKey(), neu.deepCopy());
        }
    }

    /**
     * Binds a flat spec object: each of {@link ExperimentSpec}'s groups from the fields it declares (so an error
     * names the flat field, as the user wrote it), then the spec from its groups.
     */
    static ExperimentSpec bind(ObjectNode flat, String source) {
        flat.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.containsKey(f)) {
                throw new SpecException(source + ": unknown field '" + f + "' (known fields: "
                        + FIELDS.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
            }
        });
        RecordComponent[] parts = ExperimentSpec.class.getRecordComponents();
        Object[] values = new Object[parts.length];
        for (int i = 0; i < parts.length; i++) {
            JsonNode node = flat.path(parts[i].getName());
            if (isGroup(parts[i])) {
                ObjectNode group = MAPPER.createObjectNode();
                for (RecordComponent c : parts[i].getType().getRecordComponents()) {
                    if (flat.has(c.getName())) group.set(c.getName(), flat.get(c.getName()));
                }
                node = group;
            }
            values[i] = bindPart(node.isMissingNode() ? NullNode.getInstance() : node, parts[i].getType(), parts[i].getName(), source);
        }
        try {
            return ExperimentSpec.class.getDeclaredConstructor(Arrays.stream(parts).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new)).newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof SpecException bad) throw new SpecException(source + ": " + bad.getMessage(), bad);
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ExperimentSpec's canonical constructor is public", e);
        }
    }

    private static boolean isGroup(RecordComponent c) {
        return c.getType().getEnclosingClass() == ExperimentSpec.class;
    }

    /** Each flat field's record component, in JSON order: the groups' fields inlined, name and description as they are. */
    static final Map<String, RecordComponent> FIELDS = fields();

    private static Map<String, RecordComponent> fields() {
        Map<String, RecordComponent> fields = new LinkedHashMap<>();
        for (RecordComponent c : ExperimentSpec.class.getRecordComponents()) {
            if (!isGroup(c)) fields.put(c.getName(), c);
            else for (RecordComponent g : c.getType().getRecordComponents()) fields.put(g.getName(), g);
        }
        return Collections.unmodifiableMap(fields);
    }

    /** One part of a spec; {@code field} names it when it is a plain value rather than a group of fields. */
    private static <T> T bindPart(JsonNode tree, Class<T> type, String field, String source) {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            Throwable c = e.getCause();
            while (c != null && !(c instanceof SpecException)) c = c.getCause();
            if (c != null) throw new SpecException(source + ": " + c.getMessage(), e);
            throw new SpecException(source + ": " + e.getOriginalMessage(), e);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? ""
                    : " (known fields: " + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")) + ")";
            throw new SpecException(source + ": unknown field '" + where(e, field) + "'" + known, e);
        } catch (InvalidTypeIdException e) {
            String valid = "; valid types: " + subtypeNames(e.getBaseType().getRawClass());
            if (e.getTypeId() == null) throw new SpecException(source + ": field '" + where(e, field) + "' needs a \"type\"" + valid, e);
            throw new SpecException(source + ": field '" + where(e, field) + "' has unknown type " + e.getTypeId() + valid, e);
        } catch (InvalidFormatException e) {
            throw new SpecException(source + ": field '" + where(e, field) + "' must be " + describe(e.getTargetType())
                    + ", got " + quote(e.getValue()), e);
        } catch (MismatchedInputException e) {
            JsonNode got = e.getPath().isEmpty() ? tree : valueAt(tree, e);
            String must = source + ": field '" + where(e, field) + "' must be " + describe(e.getTargetType());
            if (got == null) throw new SpecException(must + " (" + e.getOriginalMessage().split("\n")[0] + ")", e);
            throw new SpecException(must + (got.isMissingNode() ? ", but it is missing" : ", got " + got), e);
        } catch (JsonProcessingException e) {
            var range = e instanceof JsonMappingException jm && !jm.getPath().isEmpty()
                    && jm.getCause() instanceof com.fasterxml.jackson.core.exc.InputCoercionException ic ? ic : null;
            if (range != null) {                                      // a number beyond the field's type
                String limits = range.getTargetType() == Integer.TYPE || range.getTargetType() == Integer.class
                        ? Integer.MIN_VALUE + " and " + Integer.MAX_VALUE : Long.MIN_VALUE + " and " + Long.MAX_VALUE;
                throw new SpecException(source + ": field '" + where((JsonMappingException) e, field) + "' must be an integer between "
                        + limits + ", got " + valueIn(range.getOriginalMessage()), e);
            }
            throw new SpecException(source + ": " + e.getOriginalMessage().split("\n")[0], e);
        }
    }

    private static String where(JsonMappingException e, String field) {
        return e.getPath().isEmpty() ? field : path(e);
    }

    /** The number in Jackson's "Numeric value (N) out of range of int" message. */
    private static String valueIn(String message) {
        var m = java.util.regex.Pattern.compile("\\(([-0-9.eE+]+)\\)").matcher(message);
        return m.find() ? m.group(1) : "a number out of range";
    }

    /** Writes a spec as indented, flat JSON (all fields, nulls included, so a run can be repeated from it). */
    public static String write(ExperimentSpec spec) {
        try {
            return MAPPER.writeValueAsString(toTree(spec));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a validated spec always serialises", e);
        }
    }

    /** The spec as a flat JSON tree: the groups' fields inlined, in declaration order. */
    public static ObjectNode toTree(ExperimentSpec spec) {
        ObjectNode flat = MAPPER.createObjectNode();
        for (RecordComponent c : ExperimentSpec.class.getRecordComponents()) {
            JsonNode value;
            try {
                value = MAPPER.valueToTree(c.getAccessor().invoke(spec));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("spec records are public", e);
            }
            if (isGroup(c)) flat.setAll((ObjectNode) value);
            else flat.set(c.getName(), value);
        }
        return flat;
    }

    /**
     * The JSON value the exception's path points at: a missing node when the last field is absent, null
     * when the path does not lead into the tree.
     */
    private static JsonNode valueAt(JsonNode tree, JsonMappingException e) {
        if (e.getPath().isEmpty()) return null;
        JsonNode node = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null || node.isMissingNode()) return null;
            node = r.getFieldName() != null ? node.path(r.getFieldName()) : node.path(r.getIndex());
        }
        return node;
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    static String describe(Class<?> type) {
        if (type == null) return "a value of another type";
        if (type.isEnum()) return "one of " + Arrays.toString(type.getEnumConstants());
        if (type == double.class || type == Double.class) return "a number";
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "an integer";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (List.class.isAssignableFrom(type)) return "a list";
        if (type.isInterface() && type.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class) != null) {
            return "an object with \"type\" one of " + subtypeNames(type);
        }
        return "a " + type.getSimpleName();
    }

    private static String subtypeNames(Class<?> base) {
        var sub = base.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class);
        if (sub == null) return "?";
        return Arrays.stream(sub.value()).map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name).collect(Collectors.joining(", "));
    }

    private static String quote(Object v) {
        return v instanceof String ? "\"" + v + "\"" : String.valueOf(v);
    }
}
