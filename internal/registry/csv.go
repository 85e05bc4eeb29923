package registry

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// Column documents one CSV column.
type Column struct {
	// Name in the header row (lower case, as written here).
	Name string
	// Required columns must be in the header; a required value may still be conditional.
	Required bool
	// Help says what goes in the column (used by docs and the CLI's help).
	Help string
}

// RowError is a problem with one line of a CSV file. Reasons name the column and what is wrong,
// never the value, so the error can be printed and logged.
type RowError struct {
	// Line is the 1-based line number in the file (the header is line 1).
	Line int
	// Reasons, each "column: what is wrong".
	Reasons []string
}

func (e RowError) Error() string {
	return fmt.Sprintf("line %d: %s", e.Line, strings.Join(e.Reasons, "; "))
}

// SortRowErrors orders errors by line.
func SortRowErrors(errs []RowError) {
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
}

// FileError is a problem with the file as a whole (encoding, header row). Nothing was imported.
type FileError struct{ Reason string }

func (e *FileError) Error() string { return e.Reason }

// ColumnSet records which columns a file's header has.
type ColumnSet map[string]bool

// Has reports whether any of the named columns is in the header.
func (c ColumnSet) Has(names ...string) bool {
	for _, n := range names {
		if c[n] {
			return true
		}
	}
	return false
}

// table reads a file with a header row whose columns come from a known set. Header cells are
// matched by their English name or by one of their Chinese names (columnAliases); other
// columns are ignored, with a warning, because real exports carry columns we do not use.
type table struct {
	src     rowSource
	columns ColumnSet
	index   []string // header position -> column name; "" for an ignored column
	// padShort: a spreadsheet row may end early (trailing empty cells are not stored).
	padShort bool
	// warnings about the header (ignored columns) and the encoding.
	warnings []RowError
	// Encoding the file was decoded from.
	encoding Encoding
}

// safeColumnName matches header cells that are safe to repeat in a message: they look like
// column names, not like data (no runs of digits, no ID-shaped values).
var safeColumnName = regexp.MustCompile(`^[\p{Han}A-Za-z][\p{Han}A-Za-z0-9_ ()（）/、-]{0,39}$`)
var digitRun = regexp.MustCompile(`[0-9]{5,}`)

func describeColumn(cell string, pos int) string {
	if safeColumnName.MatchString(cell) && !digitRun.MatchString(cell) {
		return fmt.Sprintf("column %d (%q)", pos, cell)
	}
	return fmt.Sprintf("column %d", pos)
}

// canonicalColumn maps a header cell to a known column name, or "".
func canonicalColumn(cell string, known map[string]bool) string {
	name := strings.ToLower(strings.TrimSpace(cell))
	if known[name] {
		return name
	}
	norm := normalizeHeader(cell)
	if idAliases[norm] && known[ColAttStudentID] {
		return ColAttStudentID
	}
	if alias, ok := columnAliases[norm]; ok && known[alias] {
		return alias
	}
	return ""
}

func newTable(in io.Reader, known []Column, oneOf [][]string) (*table, error) {
	src, enc, err := openRows(in)
	if err != nil {
		return nil, err
	}
	header, err := src.Read()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{Reason: "the file is empty: the first line must be the header row"}
	}
	if err != nil {
		return nil, &FileError{Reason: "the header row (line 1) cannot be read as CSV: " + csvProblem(err)}
	}
	knownSet := map[string]bool{}
	var names []string
	for _, c := range known {
		knownSet[c.Name] = true
		names = append(names, c.Name)
	}
	t := &table{src: src, columns: ColumnSet{}, padShort: enc == EncodingXLSX, encoding: enc}
	var problems, ignored []string
	for i, cell := range header {
		name := canonicalColumn(cell, knownSet)
		switch {
		case strings.TrimSpace(cell) == "":
			ignored = append(ignored, fmt.Sprintf("column %d (no name)", i+1))
		case name == "":
			ignored = append(ignored, describeColumn(strings.TrimSpace(cell), i+1))
		case t.columns[name]:
			problems = append(problems, fmt.Sprintf("%s: column %q appears twice", describeColumn(strings.TrimSpace(cell), i+1), name))
		}
		if name != "" {
			t.columns[name] = true
		}
		t.index = append(t.index, name)
	}
	if len(t.columns) == 0 {
		return nil, &FileError{Reason: "header row (line 1): no known column names: the first line must be the header row. Known columns: " +
			strings.Join(names, ", ") + " (or their Chinese names, see docs/import.md)"}
	}
	for _, c := range known {
		if c.Required && !t.columns[c.Name] {
			problems = append(problems, fmt.Sprintf("required column %q (%s) is missing", c.Name, ChineseName(c.Name)))
		}
	}
	for _, group := range oneOf {
		if !t.columns.Has(group...) {
			problems = append(problems, fmt.Sprintf("the header needs at least one of the columns %s", strings.Join(group, ", ")))
		}
	}
	if len(problems) > 0 {
		return nil, &FileError{Reason: "header row (line 1): " + strings.Join(problems, "; ") +
			". Known columns: " + strings.Join(names, ", ") + " (or their Chinese names, see docs/import.md)"}
	}
	if len(ignored) > 0 {
		t.warnings = append(t.warnings, RowError{Line: 1, Reasons: []string{"not a known column, ignored: " + strings.Join(ignored, ", ")}})
	}
	return t, nil
}

// record is one data row of a table.
type record struct {
	line   int
	values map[string]string
}

func (r record) get(col string) string { return r.values[col] }

// unclosedQuote is the reason of a row whose quoted value runs over the end of its line.
const unclosedQuote = "cannot be read as CSV: a quoted value runs past the end of this line (a stray double quote?); the following lines are read on their own"

// next returns the next non-blank row, a row-level error, or io.EOF. A quote left open ends its
// row at the end of its line: the row is reported and reading starts again on the next line, so
// every later row is still read.
func (t *table) next() (record, *RowError, error) {
	for {
		fields, err := t.src.Read()
		if errors.Is(err, io.EOF) {
			return record{}, nil, io.EOF
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			start := pe.StartLine
			csvSrc, isCSV := t.src.(*csvSource)
			if isCSV {
				start += csvSrc.skipped
			}
			if isCSV && pe.Line > pe.StartLine {
				csvSrc.restartAfter(start)
				return record{}, &RowError{Line: start, Reasons: []string{unclosedQuote}}, nil
			}
			return record{}, &RowError{Line: start, Reasons: []string{"cannot be read as CSV: " + csvProblem(err)}}, nil
		}
		if err != nil {
			return record{}, nil, err
		}
		line := t.src.Line()
		if isBlank(fields) {
			continue // empty rows at the end of spreadsheet exports
		}
		if csvSrc, ok := t.src.(*csvSource); ok && spansLines(fields) {
			csvSrc.restartAfter(line)
			return record{}, &RowError{Line: line, Reasons: []string{unclosedQuote}}, nil
		}
		if t.padShort && len(fields) < len(t.index) {
			fields = append(fields, make([]string, len(t.index)-len(fields))...)
		}
		if len(fields) != len(t.index) {
			return record{}, &RowError{Line: line, Reasons: []string{fmt.Sprintf(
				"has %d fields but the header has %d (a value with a comma must be in double quotes)", len(fields), len(t.index))}}, nil
		}
		rec := record{line: line, values: make(map[string]string, len(fields))}
		for i, f := range fields {
			if t.index[i] != "" {
				rec.values[t.index[i]] = strings.TrimSpace(f)
			}
		}
		return rec, nil, nil
	}
}

// spansLines reports whether a record took more than one line. No column holds a line break (names
// and notes refuse them), so it means a stray quote opened a value and another one, lines later,
// closed it: each line is then read, or reported, on its own.
func spansLines(fields []string) bool {
	for _, f := range fields {
		if strings.ContainsAny(f, "\r\n") {
			return true
		}
	}
	return false
}

func isBlank(fields []string) bool {
	for _, f := range fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// csvProblem is the reason of a CSV parse error without the offending text.
func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		switch {
		case errors.Is(pe.Err, csv.ErrBareQuote):
			return fmt.Sprintf("a double quote inside an unquoted value (column %d); write \"\" inside quoted values", pe.Column)
		case errors.Is(pe.Err, csv.ErrQuote):
			return fmt.Sprintf("a quoted value is not closed or has text after the closing quote (column %d)", pe.Column)
		}
		return pe.Err.Error()
	}
	return err.Error()
}

// parseDate parses a YYYY-MM-DD calendar date.
func parseDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// dateProblem describes what is wrong with a YYYY-MM-DD date, or returns "".
func dateProblem(s string) string {
	if !dateShape.MatchString(s) {
		return "must be a date written YYYY-MM-DD, for example 2015-03-15"
	}
	if _, ok := parseDate(s); !ok {
		return "is not a real calendar day"
	}
	return ""
}

var dateShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

// personalDataInText recognises text that seems to carry an ID or a phone number (long digit
// runs), which notes must not contain.
var personalDataInText = regexp.MustCompile(`[0-9]{6,}|[0-9]{3}[- ][0-9]{4}[- ][0-9]{4}`)

// NoteProblem describes why a free-text note cannot be stored, or returns "".
func NoteProblem(note string, max int) string {
	if utf8.RuneCountInString(note) > max {
		return fmt.Sprintf("at most %d characters", max)
	}
	if p := TextProblem(note); p != "" {
		return p
	}
	if personalDataInText.MatchString(note) {
		return "seems to contain an ID or phone number; do not write personal data in notes"
	}
	return ""
}
