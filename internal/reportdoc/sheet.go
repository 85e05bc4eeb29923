package reportdoc

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// WriteXLSX writes the report as a workbook: a sheet of figures (section, item, value) and a sheet
// of the cases it names. Every cell is written as text, so that codes such as 520121100 stay as
// they are instead of turning into numbers (5.20121E+08).
func WriteXLSX(w io.Writer, in Input, tr Translate) error {
	f := excelize.NewFile()
	defer f.Close()
	figures, cases := tr("Figures"), tr("Cases")
	if err := f.SetSheetName("Sheet1", figures); err != nil {
		return fmt.Errorf("naming the sheet: %w", err)
	}
	rows := [][]string{{tr("Section"), tr("Item"), tr("Value")}}
	for _, r := range Rows(in, tr) {
		rows = append(rows, []string{r.Section, r.Label, r.Value})
	}
	if err := writeSheet(f, figures, rows); err != nil {
		return err
	}
	if _, err := f.NewSheet(cases); err != nil {
		return fmt.Errorf("adding the cases sheet: %w", err)
	}
	if err := writeSheet(f, cases, append([][]string{translated(CaseHeader, tr)}, CaseRows(in.Report, tr)...)); err != nil {
		return err
	}
	_ = f.SetColWidth(figures, "A", "B", 24)
	_ = f.SetColWidth(figures, "C", "C", 30)
	_ = f.SetColWidth(cases, "A", "A", 30)
	if err := f.SetDocProps(&excelize.DocProperties{Title: Title(in.Report, tr)}); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	_, err := f.WriteTo(w)
	return err
}

func writeSheet(f *excelize.File, sheet string, rows [][]string) error {
	for i, row := range rows {
		for j, v := range row {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return fmt.Errorf("writing %s!%s: %w", sheet, cell, err)
			}
		}
	}
	return nil
}

// WriteCSV writes the figures as section,item,value rows.
func WriteCSV(w io.Writer, in Input, tr Translate) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{tr("Section"), tr("Item"), tr("Value")})
	for _, r := range Rows(in, tr) {
		_ = cw.Write([]string{r.Section, r.Label, r.Value})
	}
	cw.Flush()
	return cw.Error()
}

// Title is the report's title, for example "2026-11 控辍保学月报：城关镇 (520121100)" or, for a
// summary, "2027-01 控辍保学学期汇总：示范县".
func Title(mr *v1.MonthlyReport, tr Translate) string {
	switch mr.Spec.Period {
	case v1.PeriodSemester:
		return tr("Semester summary %s: %s", mr.Spec.Month, ScopeTitle(mr))
	case v1.PeriodSchoolYear:
		return tr("School-year summary %s: %s", mr.Spec.Month, ScopeTitle(mr))
	}
	return tr("Monthly report %s: %s", mr.Spec.Month, ScopeTitle(mr))
}

// KindLabel names what a report sums up: a month, a semester or a school year (月报, 学期汇总,
// 学年汇总), in English for the translator.
func KindLabel(p v1.ReportPeriod) string {
	switch p {
	case v1.PeriodSemester:
		return "Semester summary"
	case v1.PeriodSchoolYear:
		return "School-year summary"
	}
	return "Monthly report"
}

func translated(words []string, tr Translate) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = tr(w)
	}
	return out
}
