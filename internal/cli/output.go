package cli

import (
	"encoding/csv"
	"fmt"
	"io"
	"kongchuo.io/kongchuo/internal/registry"
	"strings"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"

	"kongchuo.io/kongchuo/internal/ledger"
)

// Output formats the plugin prints itself; every other format is cli-runtime's (json, yaml,
// jsonpath=…, go-template=…, as kubectl get has them).
const (
	outTable = "table"
	outWide  = "wide"
	outCSV   = "csv"
	outXLSX  = "xlsx"
	outHTML  = "html"
)

// machineFlags are cli-runtime's printers for -o json|yaml|jsonpath=…|go-template=….
func machineFlags(format string) *genericclioptions.PrintFlags {
	return &genericclioptions.PrintFlags{
		JSONYamlPrintFlags:   genericclioptions.NewJSONYamlPrintFlags(),
		TemplatePrinterFlags: genericclioptions.NewKubeTemplatePrintFlags(),
		OutputFormat:         &format,
	}
}

// outputFormats lists the formats -o accepts, for help and completion.
func outputFormats() []string {
	return append([]string{outTable, outWide, outCSV, outXLSX, outHTML}, machineFlags("").AllowedFormats()...)
}

func humanFormat(format string) bool {
	return format == outTable || format == outWide || format == outCSV || format == outXLSX || format == outHTML
}

// oneTable: the formats that write a single file hold one table.
func oneTable(format string) bool { return format == outCSV || format == outXLSX || format == outHTML }

func (o *Options) checkOutput(format string) error {
	if humanFormat(format) {
		return nil
	}
	if _, err := machineFlags(format).ToPrinter(); err != nil {
		return o.l.Errorf("unknown output format %q: use %s", format, strings.Join(outputFormats(), ", "))
	}
	return nil
}

// toMetaTable turns a ledger or queue table into the Table kind the API server sends kubectl
// (meta.k8s.io/v1), so the cli-runtime printers print it. Columns marked wide have priority 1:
// shown with -o wide only. For the machine formats the headings stay English (stable for
// scripts) and enumerated values are not translated.
func (o *Options) toMetaTable(t ledger.Table, format string) *metav1.Table {
	human := humanFormat(format)
	mt := &metav1.Table{TypeMeta: metav1.TypeMeta{APIVersion: "meta.k8s.io/v1", Kind: "Table"}}
	for _, h := range t.Header {
		name := h
		if human {
			name = o.l.column(h)
		}
		var priority int32
		if t.Wide[h] {
			priority = 1
		}
		mt.ColumnDefinitions = append(mt.ColumnDefinitions, metav1.TableColumnDefinition{Name: name, Type: "string", Priority: priority})
	}
	for _, r := range t.Rows {
		cells := make([]any, len(r))
		for i, c := range r {
			switch {
			case human && t.Compound[t.Header[i]]:
				c = o.l.terms(c)
			case human:
				c = o.l.term(c)
			}
			cells[i] = c
		}
		mt.Rows = append(mt.Rows, metav1.TableRow{Cells: cells})
	}
	return mt
}

// printTables prints ledger or queue tables in the chosen format. Table formats end each table
// with its notes (counts); the machine formats carry the rows only.
func (o *Options) printTables(w io.Writer, format string, tables []ledger.Table) error {
	if oneTable(format) && len(tables) != 1 {
		return o.l.Errorf("-o csv, -o xlsx and -o html print one ledger: name it (suspected, confirmed or roster)")
	}
	for i, t := range tables {
		mt := o.toMetaTable(t, format)
		var err error
		switch format {
		case outTable, outWide:
			if i > 0 {
				fmt.Fprintln(w)
			}
			err = o.printHumanTable(w, t, mt, format == outWide)
		case outCSV:
			err = writeCSV(w, mt)
		case outXLSX:
			err = writeXLSX(w, o.l.Sprintf(t.Title), mt)
		case outHTML:
			err = writeHTML(w, o.l.lang, o.l.Sprintf(t.Title), mt, o.noteLines(t))
		default:
			err = printMachine(w, format, mt)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (o *Options) printHumanTable(w io.Writer, t ledger.Table, mt *metav1.Table, wide bool) error {
	fmt.Fprintln(w, o.l.Sprintf(t.Title))
	if len(mt.Rows) > 0 {
		if err := writeAligned(w, mt, wide); err != nil {
			return err
		}
	}
	for _, line := range o.noteLines(t) {
		fmt.Fprintf(w, "(%s)\n", line)
	}
	return nil
}

// noteLines are the table's notes in the output language.
func (o *Options) noteLines(t ledger.Table) []string {
	var lines []string
	for _, n := range t.Notes {
		args := make([]any, len(n.Args))
		for i, a := range n.Args {
			if s, ok := a.(string); ok {
				a = o.l.term(s)
			}
			args[i] = a
		}
		text := o.l.Sprintf(n.Format, args...)
		if n.Scope != "" {
			text = n.Scope + ": " + text
		}
		lines = append(lines, text)
	}
	return lines
}

func printMachine(w io.Writer, format string, mt *metav1.Table) error {
	p, err := machineFlags(format).ToPrinter()
	if err != nil {
		return err
	}
	return p.PrintObj(mt, w)
}

// writeCSV writes UTF-8 with a byte order mark, so spreadsheets read the Chinese text correctly.
func writeCSV(w io.Writer, mt *metav1.Table) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := make([]string, len(mt.ColumnDefinitions))
	for i, c := range mt.ColumnDefinitions {
		header[i] = c.Name
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range mt.Rows {
		if err := cw.Write(cellStrings(r)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func cellStrings(r metav1.TableRow) []string {
	s := make([]string, len(r.Cells))
	for i, c := range r.Cells {
		s[i] = fmt.Sprint(c)
	}
	return s
}

// writeXLSX writes the table as an Excel workbook with one sheet, headings in the first row.
func writeXLSX(w io.Writer, title string, mt *metav1.Table) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Sheet1"
	header := make([]any, len(mt.ColumnDefinitions))
	for i, c := range mt.ColumnDefinitions {
		header[i] = c.Name
	}
	if err := f.SetSheetRow(sheet, "A1", &header); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	for i, r := range mt.Rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		row := r.Cells
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			return fmt.Errorf("writing the workbook: %w", err)
		}
	}
	if err := f.SetDocProps(&excelize.DocProperties{Title: title}); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	_, err := f.WriteTo(w)
	return err
}

// writeAligned prints a Table as kubectl does (headings, columns two spaces apart, priority
// columns only when wide), but measures cells in terminal columns: a Chinese character takes
// two. cli-runtime's table printer aligns by counting runes, which misaligns every column after
// a Chinese name, and Chinese is what these tables show by default.
func writeAligned(w io.Writer, mt *metav1.Table, wide bool) error {
	var cols []int
	for i, c := range mt.ColumnDefinitions {
		if wide || c.Priority == 0 {
			cols = append(cols, i)
		}
	}
	lines := [][]string{make([]string, len(cols))}
	for j, i := range cols {
		lines[0][j] = strings.ToUpper(mt.ColumnDefinitions[i].Name)
	}
	for _, r := range mt.Rows {
		cells := cellStrings(r)
		line := make([]string, len(cols))
		for j, i := range cols {
			// Hidden characters in a name (a right-to-left override, a BEL) are shown, not obeyed.
			line[j] = registry.Visible(cells[i])
		}
		lines = append(lines, line)
	}
	widths := make([]int, len(cols))
	for _, l := range lines {
		for j, c := range l {
			widths[j] = max(widths[j], displayWidth(c))
		}
	}
	var b strings.Builder
	for _, l := range lines {
		var row strings.Builder
		for j, c := range l {
			row.WriteString(c)
			if j < len(l)-1 {
				row.WriteString(strings.Repeat(" ", widths[j]-displayWidth(c)+3))
			}
		}
		b.WriteString(strings.TrimRight(row.String(), " ") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// displayWidth is the number of terminal columns s takes: East Asian wide and full-width
// characters (Unicode UAX #11, from golang.org/x/text/width) take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
