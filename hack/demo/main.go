// Command demo writes the demo county (namespace demo-county) into a folder:
//
//	go run ./hack/demo -out config/samples/demo [-today 2026-11-23] [-seed 20260901]
//
// registry.csv (and the same children as the national registry exports them: registry-export.csv
// in GB18030 with Chinese column names, registry.xlsx), attendance.csv (and as a school's sheet: attendance-school.csv) (the 15 school days before -today), actions.csv, agreements.yaml,
// reports.yaml (the monthly reports of the two months before), namespace.yaml and kustomization.yaml. The output depends only on the seed and the date.
// It prints which Student (by object name) plays which part in the demo.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
	_ "time/tzdata"

	"kongchuo.io/kongchuo/internal/demo"
)

func main() {
	out := flag.String("out", "config/samples/demo", "folder to write the files to")
	todayFlag := flag.String("today", "", "the attendance ends the school day before this date, YYYY-MM-DD (default: today in Asia/Shanghai)")
	seed := flag.Uint64("seed", demo.DefaultSeed, "random seed")
	flag.Parse()

	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		fail(err)
	}
	today := time.Now().In(loc)
	if *todayFlag != "" {
		if today, err = time.Parse("2006-01-02", *todayFlag); err != nil {
			fail(fmt.Errorf("-today: %w", err))
		}
	}
	c := demo.Generate(today, *seed)
	agreements, err := c.AgreementsYAML()
	if err != nil {
		fail(err)
	}
	export, err := c.RegistryExportCSV()
	if err != nil {
		fail(err)
	}
	workbook, err := c.RegistryXLSX()
	if err != nil {
		fail(err)
	}
	reports, err := c.ReportsYAML()
	if err != nil {
		fail(err)
	}
	schoolAttendance, err := c.SchoolAttendanceCSV()
	if err != nil {
		fail(err)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fail(err)
	}
	files := map[string][]byte{
		"registry.csv":          c.RegistryCSV(),
		"registry-export.csv":   export,
		"registry.xlsx":         workbook,
		"attendance.csv":        c.AttendanceCSV(),
		"attendance-school.csv": schoolAttendance,
		"actions.csv":           c.ActionsCSV(),
		"agreements.yaml":       agreements,
		"reports.yaml":          reports,
		"namespace.yaml":        demo.NamespaceYAML(),
		"kustomization.yaml":    demo.KustomizationYAML(),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(*out, name), data, 0o644); err != nil {
			fail(err)
		}
	}
	fmt.Printf("wrote %s (%d agreements)\n%s", *out, len(c.Agreements), c.Summary())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "demo:", err)
	os.Exit(1)
}
