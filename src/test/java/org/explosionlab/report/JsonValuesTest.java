package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValuesTest {

    private static JsonNode json(String text) throws Exception {
        return JsonValues.MAPPER.readTree(text);
    }

    @Test
    void readsNonFiniteStringsAsJacksonWritesThem() throws Exception {
        JsonNode node = json("{\"a\": \"NaN\", \"b\": \"Infinity\", \"c\": \"-Infinity\", \"d\": 1.5e3}");
        assertTrue(Double.isNaN(JsonValues.field(node, "a", "t")));
        assertEquals(Double.POSITIVE_INFINITY, JsonValues.field(node, "b", "t"));
        assertEquals(Double.NEGATIVE_INFINITY, JsonValues.field(node, "c", "t"));
        assertEquals(1500.0, JsonValues.field(node, "d", "t"));
    }

    @Test
    void readsBareNonFiniteTokens() throws Exception {
        JsonNode node = json("{\"a\": NaN, \"b\": Infinity, \"c\": -Infinity}");
        assertTrue(Double.isNaN(JsonValues.field(node, "a", "t")));
        assertEquals(Double.POSITIVE_INFINITY, JsonValues.field(node, "b", "t"));
        assertEquals(Double.NEGATIVE_INFINITY, JsonValues.field(node, "c", "t"));
    }

    @Test
    void absentAndNullAreNotNaN() throws Exception {
        JsonNode node = json("{\"a\": null}");
        assertNull(JsonValues.field(node, "a", "t"));
        assertNull(JsonValues.field(node, "missing", "t"));
    }

    @Test
    void arraysAndMapsKeepNonFiniteElements() throws Exception {
        JsonNode node = json("{\"l\": [1.0, \"NaN\", \"Infinity\"], \"m\": {\"0_W\": \"-Infinity\", \"0_b\": 2}}");
        List<Double> list = JsonValues.numberList(node, "l", "t");
        assertEquals(3, list.size());
        assertEquals(1.0, list.get(0));
        assertTrue(Double.isNaN(list.get(1)));
        assertEquals(Double.POSITIVE_INFINITY, list.get(2));
        Map<String, Double> map = JsonValues.numberMap(node, "m", "t");
        assertEquals(List.of("0_W", "0_b"), List.copyOf(map.keySet()));
        assertEquals(Double.NEGATIVE_INFINITY, map.get("0_W"));
        assertEquals(2.0, map.get("0_b"));
    }

    @Test
    void rejectsTextThatIsNotANumberWithTheFieldName() throws Exception {
        JsonNode node = json("{\"loss\": \"high\"}");
        ReportInputException e = assertThrows(ReportInputException.class,
                () -> JsonValues.field(node, "loss", "metrics.jsonl line 3"));
        assertTrue(e.getMessage().contains("metrics.jsonl line 3 field \"loss\""), e.getMessage());
        assertTrue(e.getMessage().contains("\"high\""), e.getMessage());
    }
}
