package reportdoc

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWorkbookKeepsCodesAsText opens the workbook with excelize and checks its cells: the
// township code stays text, the figures are in their rows, the cases sheet names cases.
func TestWorkbookKeepsCodesAsText(t *testing.T) {
	in := countyInput()
	in.Report = in.Townships[0]
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, in, english); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Figures")
	if err != nil {
		t.Fatal(err)
	}
	find := func(label string) (string, string) {
		for i, r := range rows {
			if len(r) == 3 && r[1] == label {
				cell, _ := excelize.CoordinatesToCellName(3, i+1)
				return r[2], cell
			}
		}
		t.Fatalf("no row %q in %q", label, rows)
		return "", ""
	}
	scope, cell := find("Scope")
	if scope != "城关镇 (520121100)" {
		t.Errorf("scope %q", scope)
	}
	if typ, _ := f.GetCellType("Figures", cell); typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Errorf("scope cell %s has type %v, want text", cell, typ)
	}
	if v, cell := find("Missing roll calls"); v != "10" {
		t.Errorf("missing roll calls %q at %s", v, cell)
	}
	if v, _ := find("Primary enrolment"); v != "99.8% (target ≥ 100%)" {
		t.Errorf("primary enrolment %q", v)
	}
	cases, _ := f.GetRows("Cases")
	if len(cases) != 2 || cases[1][0] != "stu-0001-do-20261102" || cases[1][3] != "OwnSchool" {
		t.Errorf("cases %q", cases)
	}
	var csvOut bytes.Buffer
	if err := WriteCSV(&csvOut, in, english); err != nil || !strings.Contains(csvOut.String(), "Roll calls,Missing roll calls,10") {
		t.Errorf("csv %v:\n%s", err, csvOut.String())
	}
}
