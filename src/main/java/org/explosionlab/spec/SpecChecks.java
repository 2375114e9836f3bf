package org.explosionlab.spec;

import static org.explosionlab.spec.SpecException.field;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/** The range checks the spec's records share; each throws the one-line {@link SpecException} naming the field. */
final class SpecChecks {
    private SpecChecks() {
    }

    static void positiveFinite(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw field(name, "a finite number > 0", v);
    }

    static void openUnit(String name, double v) {
        if (!(v > 0 && v < 1)) throw field(name, "in (0, 1)", v);
    }

    /**
     * Every group of an {@link ExperimentSpec} is set, and every real number in it (nested ones included) must survive the cast to float32, the
     * network's data type (IEEE 754 binary32): a finite value beyond {@link Float#MAX_VALUE} would become
     * Infinity, a non-zero one below {@link Float#MIN_VALUE} would become 0. Infinity itself is left to
     * the field's own rule.
     */
    static void float32(Record... groups) {
        for (Record g : groups) {
            if (g == null) throw new SpecException("every group of an ExperimentSpec must be set, got null");
            float32("", g);
        }
    }

    private static void float32(String prefix, Record r) {
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                check(prefix + c.getName(), c.getAccessor().invoke(r));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("spec records are public", e);
            }
        }
    }

    private static void check(String name, Object v) {
        if (v instanceof Double d) {
            double x = d;
            if (Double.isFinite(x) && Float.isInfinite((float) x)) {
                throw field(name, "within float32's range, the network's data type (|x| <= " + Float.MAX_VALUE + ")", x);
            }
            if (x != 0 && (float) x == 0f) {
                throw field(name, "0 or at least " + Float.MIN_VALUE + " in size, the smallest float32 (the network's data type)", x);
            }
        } else if (v instanceof Record nested) {
            float32(name + ".", nested);
        } else if (v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) check(name + "[" + i + "]", list.get(i));
        } else if (v instanceof Map<?, ?> map) {                 // lrSchedule's values: iteration -> rate
            for (Map.Entry<?, ?> e : map.entrySet()) check(name + "[" + e.getKey() + "]", e.getValue());
        }
    }
}
