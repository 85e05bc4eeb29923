package registry

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// tenChildren is a registry extract of ten valid rows (lines 2–11).
func tenChildren() []string {
	var rows []string
	for i := 0; i < 10; i++ {
		id := MakeResidentID("520121", "2016-07-01", 100+i)
		rows = append(rows, id+",,孩子"+fmt.Sprint(i)+",2016-07-01,520121100,,,NotEnrolled,,,,,,,,,,,,")
	}
	return rows
}

func rowLines(f *RegistryFile) (ok, bad []int) {
	for _, r := range f.Rows {
		ok = append(ok, r.Line)
	}
	for _, e := range f.Errors {
		bad = append(bad, e.Line)
	}
	return ok, bad
}

// A stray quote that is never closed, on line 4, used to take every later line into one value: the
// summary counted 3 rows of 10. Now line 4 is reported and lines 5–11 are read.
func TestUnclosedQuoteReportsItsLineAndReadsTheRest(t *testing.T) {
	rows := tenChildren()
	rows[2] = strings.Replace(rows[2], ",孩子2,", `,"孩子2,`, 1)
	f := parseOK(t, fullHeader+strings.Join(rows, "\n")+"\n")
	ok, bad := rowLines(f)
	if want := []int{2, 3, 5, 6, 7, 8, 9, 10, 11}; !reflect.DeepEqual(ok, want) {
		t.Errorf("rows read on lines %v, want %v", ok, want)
	}
	if !reflect.DeepEqual(bad, []int{4}) || !strings.Contains(f.Errors[0].Error(), "runs past the end of this line") {
		t.Errorf("errors = %v, want line 4 with the open quote", f.Errors)
	}
	if n := len(f.Rows) + len(f.Errors); n != 10 {
		t.Errorf("%d rows counted, the file has 10", n)
	}
}

// A stray quote closed by another stray quote lines later makes one record of several lines with
// the wrong number of fields: its first line is reported and the lines after it are read again.
func TestStrayQuotesLinesApartAreReportedOneByOne(t *testing.T) {
	rows := tenChildren()
	rows[2] = strings.Replace(rows[2], ",孩子2,", `,"孩子2,`, 1)
	rows[5] = strings.Replace(rows[5], ",孩子5,", `,孩子5",`, 1)
	f := parseOK(t, fullHeader+strings.Join(rows, "\n")+"\n")
	ok, bad := rowLines(f)
	if want := []int{2, 3, 5, 6, 8, 9, 10, 11}; !reflect.DeepEqual(ok, want) {
		t.Errorf("rows read on lines %v, want %v", ok, want)
	}
	if !reflect.DeepEqual(bad, []int{4, 7}) {
		t.Errorf("errors = %v, want lines 4 and 7", f.Errors)
	}
}

// The attendance and actions parsers share the reader: a quote left open on one line loses no
// later roll call or action.
func TestUnclosedQuoteInAttendanceAndActions(t *testing.T) {
	att := "school,grade,class,date,reporter\n" +
		"5201210001,5,1,2026-03-09,t1\n" +
		"5201210001,5,2,\"2026-03-09,t2\n" +
		"5201210001,5,3,2026-03-09,t3\n" +
		"5201210001,5,4,2026-03-09,t4\n"
	af, err := ParseAttendance(strings.NewReader(att), nil)
	if err != nil {
		t.Fatal(err)
	}
	var lines []int
	for _, r := range af.Reports {
		lines = append(lines, r.Lines...)
	}
	if !reflect.DeepEqual(lines, []int{2, 4, 5}) || len(af.Errors) != 1 || af.Errors[0].Line != 3 {
		t.Errorf("attendance: reports from lines %v, errors %v; want lines 2, 4, 5 and an error on line 3", lines, af.Errors)
	}

	acts := "student_id,action,date,by,line\n" +
		"stu-000000000001,HomeVisit,2026-03-09,\"HomeroomTeacher,Education\n" +
		"stu-000000000002,HomeVisit,2026-03-09,HomeroomTeacher,Education\n"
	actions, err := ParseActions(strings.NewReader(acts))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := actions.Rows, actions.Errors
	if len(rows) != 1 || rows[0].Line != 3 || len(errs) != 1 || errs[0].Line != 2 {
		t.Errorf("actions: rows %+v, errors %v; want line 3 read and line 2 reported", rows, errs)
	}
}
