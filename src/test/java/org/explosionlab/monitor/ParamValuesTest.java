package org.explosionlab.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ParamValues} behaves as the insertion-ordered map it replaces in {@link IterationMetrics}. */
class ParamValuesTest {
    private static final List<String> KEYS = List.of("0_W", "0_b", "1_W", "1_b");

    private static ParamValues sample() {
        return ParamValues.of(KEYS, p -> 0.5 * (p + 1));      // 0.5, 1.0, 1.5, 2.0
    }

    @Test
    void readsAsTheLinkedHashMapItReplaces() {
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("0_W", 0.5);
        expected.put("0_b", 1.0);
        expected.put("1_W", 1.5);
        expected.put("1_b", 2.0);
        ParamValues values = sample();
        assertEquals(expected, values);
        assertEquals(values, expected);
        assertEquals(expected.hashCode(), values.hashCode());
        assertEquals(List.copyOf(expected.keySet()), new ArrayList<>(values.keySet()));
        assertEquals(1.5, values.get("1_W"));
        assertNull(values.get("2_W"));
        assertTrue(values.containsKey("0_b"));
        assertFalse(values.containsKey("2_b"));
    }

    @Test
    void serializesInParameterOrder() throws Exception {
        assertEquals("{\"0_W\":0.5,\"0_b\":1.0,\"1_W\":1.5,\"1_b\":2.0}", new ObjectMapper().writeValueAsString(sample()));
    }

    @Test
    void isImmutableAndRefusesAMismatchedLength() {
        ParamValues values = sample();
        assertThrows(UnsupportedOperationException.class, () -> values.put("0_W", 1.0));
        assertThrows(UnsupportedOperationException.class, () -> values.entrySet().iterator().next().setValue(3.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParamValues(KEYS, new double[3]));
        assertEquals("3 values for 4 parameters", e.getMessage());
    }
}
