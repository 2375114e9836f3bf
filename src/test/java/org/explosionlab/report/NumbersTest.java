package org.explosionlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void formatsForPeople() {
        assertEquals("0.937", Numbers.format(0.937));
        assertEquals("3900", Numbers.format(3900.0));
        assertEquals("0.0012", Numbers.format(0.0012));
        assertEquals("1.235", Numbers.format(1.23456));
        assertEquals("1e15", Numbers.format(1e15));
        assertEquals("5.5e7", Numbers.format(5.5e7));
        assertEquals("2.5e-7", Numbers.format(2.5e-7));
        assertEquals("0", Numbers.format(0.0));
    }

    @Test
    void namesNonFiniteValuesAsTheRunFilesDo() {
        assertEquals("NaN", Numbers.format(Double.NaN));
        assertEquals("Infinity", Numbers.format(Double.POSITIVE_INFINITY));
        assertEquals("-Infinity", Numbers.format(Double.NEGATIVE_INFINITY));
    }

    @Test
    void percentages() {
        assertEquals("93.8 %", Numbers.percent(15.0 / 16));
        assertEquals("0.0 %", Numbers.percent(0));
    }
}
