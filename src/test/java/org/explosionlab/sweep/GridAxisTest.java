package org.explosionlab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.explosionlab.spec.SpecException;
import org.junit.jupiter.api.Test;

class GridAxisTest {

    @Test
    void parsesKeyAndCommaSeparatedValues() {
        GridAxis a = GridAxis.parse("learningRate=0.01,0.1,1.0");
        assertEquals("learningRate", a.key());
        assertEquals(List.of("0.01", "0.1", "1.0"), a.values());
        assertEquals("learningRate=0.1", a.assignment(1));
    }

    @Test
    void commasInsideJsonValuesDoNotSplit() {
        GridAxis a = GridAxis.parse("lrSchedule={\"type\":\"step\",\"decayRate\":0.5,\"step\":100},{\"type\":\"fixed\"}");
        assertEquals(List.of("{\"type\":\"step\",\"decayRate\":0.5,\"step\":100}", "{\"type\":\"fixed\"}"), a.values());
        GridAxis lists = GridAxis.parse("layerSizes=[784,64,10],[784,32,32,10]");
        assertEquals(List.of("[784,64,10]", "[784,32,32,10]"), lists.values());
    }

    @Test
    void dottedKeysNameANestedField() {
        GridAxis a = GridAxis.parse("weightInitDistribution.std=0.5,1");
        assertEquals("weightInitDistribution.std", a.key());
        assertEquals(2, a.values().size());
    }

    @Test
    void badSyntaxIsOneLineSpecException() {
        for (String bad : new String[] {"learningRate", "=0.1", "learningRate=", "learningRate=0.1,,1", "learningRate=0.1,0.1",
                "lrSchedule={\"type\":\"fixed\"", "layerSizes=784]"}) {
            SpecException e = assertThrows(SpecException.class, () -> GridAxis.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--grid "), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void unknownFieldIsNamed() {
        SpecException e = assertThrows(SpecException.class, () -> GridAxis.parse("learningrate=0.1,1"));
        assertTrue(e.getMessage().contains("unknown spec field 'learningrate'"), e.getMessage());
    }
}
