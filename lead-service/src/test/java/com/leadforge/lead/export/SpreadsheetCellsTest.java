package com.leadforge.lead.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The CSV-injection rule cell by cell, including the characters no API field can start with (tab, CR). */
class SpreadsheetCellsTest {

    @Test
    void formulaTriggersArePrefixedWithAQuote() {
        assertEquals("'=HYPERLINK(\"http://x\",\"y\")", SpreadsheetCells.neutralise("=HYPERLINK(\"http://x\",\"y\")"));
        assertEquals("'+SUM(1,2)", SpreadsheetCells.neutralise("+SUM(1,2)"));
        assertEquals("'-2+3+cmd|' /C calc'!A0", SpreadsheetCells.neutralise("-2+3+cmd|' /C calc'!A0"));
        assertEquals("'@SUM(A1)", SpreadsheetCells.neutralise("@SUM(A1)"));
        assertEquals("'\t=1+1", SpreadsheetCells.neutralise("\t=1+1"));
        assertEquals("'\r=1+1", SpreadsheetCells.neutralise("\r=1+1"));
        assertEquals("'-", SpreadsheetCells.neutralise("-"));
    }

    @Test
    void phoneNumbersInE164AndOrdinaryValuesStayAsTheyAre() {
        assertEquals("+14155550100", SpreadsheetCells.neutralise("+14155550100"));
        assertEquals("+46701234567", SpreadsheetCells.neutralise("+46701234567"));
        // Not plainly a number: a formula could hide behind the spaces and brackets.
        assertEquals("'+1 (415) 555-0100", SpreadsheetCells.neutralise("+1 (415) 555-0100"));
        assertEquals("'+1415555010012345", SpreadsheetCells.neutralise("+1415555010012345"));
        assertEquals("Ada", SpreadsheetCells.neutralise("Ada"));
        assertEquals("a=b", SpreadsheetCells.neutralise("a=b"));
        assertEquals("", SpreadsheetCells.neutralise(""));
        assertEquals(null, SpreadsheetCells.neutralise(null));
        assertEquals((short) 42, SpreadsheetCells.neutralise((short) 42));
        UUID id = UUID.randomUUID();
        assertEquals(id, SpreadsheetCells.neutralise(id));
    }
}
