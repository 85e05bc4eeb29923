package registry

import (
	"reflect"
	"strings"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

const attHeader = "school,grade,class,date,reporter,student_id,kind,note\n"

func parseAtt(t *testing.T, csv string, resolve StudentResolver) *AttendanceFile {
	t.Helper()
	f, err := ParseAttendance(strings.NewReader(csv), resolve)
	if err != nil {
		t.Fatalf("ParseAttendance: %v", err)
	}
	return f
}

func TestReportNames(t *testing.T) {
	k := ClassDay{School: "5201210001", Grade: 3, Class: 12, Date: "2026-11-20"}
	if got := k.ReportName(); got != "att-5201210001-3-12-20261120" {
		t.Errorf("ReportName = %q", got)
	}
	if got := k.RevisionName(1); got != "att-5201210001-3-12-20261120" {
		t.Errorf("RevisionName(1) = %q", got)
	}
	if got := k.RevisionName(2); got != "att-5201210001-3-12-20261120-r2" {
		t.Errorf("RevisionName(2) = %q", got)
	}
}

func TestParseAttendanceGrouping(t *testing.T) {
	f := parseAtt(t, attHeader+
		"5201210001,3,1,2026-11-20,班主任-0301,,,\n"+ // zero report
		"5201210001,3,2,2026-11-20,班主任-0302,"+id2+",Unexcused,\n"+
		"5201210001,3,2,2026-11-20,班主任-0302,G"+id3+",病假,发烧\n"+
		"5201210001,3,2,2026-11-19,班主任-0302,"+strings.ToLower(id1)+",PersonalLeave,\n"+
		"5201210001,3,2,2026-11-20,班主任-0302,"+id1+",leftwithoutleave,\n"+
		"5201210001,3,1,2026-11-19,班主任-0301,,,\n", nil)
	if len(f.Errors) != 0 || len(f.Warnings) != 0 {
		t.Fatalf("errors %v warnings %v", f.Errors, f.Warnings)
	}
	type summary struct {
		name     string
		lines    []int
		absences []v1.Absence
	}
	var got []summary
	for _, d := range f.Reports {
		if d.Report.Spec.Reporter == "" || d.Report.Kind != "AttendanceReport" {
			t.Errorf("report %s: reporter %q kind %q", d.Report.Name, d.Report.Spec.Reporter, d.Report.Kind)
		}
		got = append(got, summary{d.Report.Name, d.Lines, d.Report.Spec.Absences})
	}
	absences := []v1.Absence{
		{Student: StudentName(id2), Kind: "Unexcused"},
		{Student: StudentName("G" + id3), Kind: "SickLeave", Note: "发烧"},
		{Student: StudentName(id1), Kind: "LeftWithoutLeave"},
	}
	SortAbsences(absences)
	want := []summary{
		{"att-5201210001-3-1-20261120", []int{2}, nil},
		{"att-5201210001-3-2-20261120", []int{3, 4, 6}, absences},
		{"att-5201210001-3-2-20261119", []int{5}, []v1.Absence{{Student: StudentName(id1), Kind: "PersonalLeave"}}},
		{"att-5201210001-3-1-20261119", []int{7}, nil},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("reports =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseAttendanceResolver(t *testing.T) {
	// The registry has the child under its resident ID; the school system sends the student number.
	byNumber := map[string]string{"G" + id1: StudentName(id1)}
	resolve := func(id string) (string, bool) {
		if n, ok := byNumber[id]; ok {
			return n, true
		}
		if id == id2 {
			return StudentName(id2), true
		}
		return StudentName(id), false
	}
	f := parseAtt(t, attHeader+
		"5201210001,3,2,2026-11-20,T,G"+id1+",Unexcused,\n"+
		"5201210001,3,2,2026-11-20,T,"+id2+",Unexcused,\n"+
		"5201210001,3,2,2026-11-20,T,"+id3+",Unexcused,\n"+
		"5201210001,3,2,2026-11-20,T,stu-0123456789ab,Unexcused,\n", resolve)
	if len(f.Errors) != 0 || len(f.Reports) != 1 {
		t.Fatalf("errors %v reports %d", f.Errors, len(f.Reports))
	}
	names := map[string]bool{}
	for _, a := range f.Reports[0].Report.Spec.Absences {
		names[a.Student] = true
	}
	for _, n := range []string{StudentName(id1), StudentName(id2), StudentName(id3), "stu-0123456789ab"} {
		if !names[n] {
			t.Errorf("absence of %s missing: %v", n, names)
		}
	}
	if len(f.Warnings) != 1 || f.Warnings[0].Line != 4 || !strings.Contains(f.Warnings[0].Error(), "no Student in the namespace has this ID") {
		t.Errorf("warnings = %v", f.Warnings)
	}
}

func TestParseAttendanceErrors(t *testing.T) {
	f := parseAtt(t, attHeader+
		"5201210001,3,1,2026-11-20,T1,,,\n"+ // 2: good, class 3-1
		"5201210001,3,2,2026-11-20,T2,"+id1+",Unexcused,\n"+ // 3: withheld because of line 4
		"5201210001,3,2,2026-11-20,T2,"+wrongCheck(id2)+",Unexcused,\n"+ // 4: bad check digit
		"5201210001,3,3,2026-11-20,T3,"+id1+",Truant,\n"+ // 5: bad kind
		"5201210001,3,4,2026-11-20,T4,"+id1+",Unexcused,\n"+ // 6: withheld because of line 7
		"5201210001,3,4,2026-11-20,T4,"+id1+",SickLeave,\n"+ // 7: same child twice
		"5201210001,3,5,2026-11-20,T5,,,\n"+ // 8: withheld because of line 9
		"5201210001,3,5,2026-11-20,T6,,,\n"+ // 9: other reporter
		"520121000,3,6,2026-11-20,T,,,\n"+ // 10: school code
		"5201210001,0,6,2026-11-20,T,,,\n"+ // 11: grade
		"5201210001,3,6,20.11.2026,T,,,\n"+ // 12: date
		"5201210001,3,6,2026-11-20,,,,\n"+ // 13: reporter
		"5201210001,3,7,2026-11-20,T,,Unexcused,\n"+ // 14: kind without student
		"5201210001,3,8,2026-11-20,T,"+id1+",Unexcused,电话 13800000001 无人接\n"+ // 15: note with a phone number
		"5201210001,3,9,2026-11-20,T,"+id1+",,\n"+ // 16: no kind
		"5201210001,3,9,2026-11-21,T,12345,Unexcused,\n", nil) // 17: not an ID
	if len(f.Reports) != 1 || f.Reports[0].Report.Name != "att-5201210001-3-1-20261120" {
		t.Errorf("reports = %+v", f.Reports)
	}
	want := map[int]string{
		3:  "not imported: line 4 of the same class and date has an error",
		4:  "student_id: resident ID check digit is wrong",
		5:  "kind: must be Unexcused, SickLeave",
		6:  "not imported: line 7",
		7:  "student_id: the same child is already on line 6",
		8:  "not imported: line 9",
		9:  "reporter: differs from line 8",
		10: "school: a school code",
		11: "grade: must be a whole number from 1 to 9",
		12: "date: must be a date written YYYY-MM-DD",
		13: "reporter: required",
		14: "student_id: required when kind or note is given",
		15: "note: seems to contain an ID or phone number",
		16: "kind: required for an absence",
		17: "student_id: must be a resident ID (18 characters) or a national student number",
	}
	got := map[int]string{}
	for _, e := range f.Errors {
		got[e.Line] = e.Error()
		for _, pd := range []string{id1, id2, wrongCheck(id2), "13800000001"} {
			if strings.Contains(e.Error(), pd) {
				t.Errorf("error %q repeats personal data", e.Error())
			}
		}
	}
	for line, w := range want {
		if !strings.Contains(got[line], w) {
			t.Errorf("line %d: error %q; want %q", line, got[line], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("errors = %v", f.Errors)
	}
}

func TestParseAttendanceTooManyAbsences(t *testing.T) {
	var b strings.Builder
	b.WriteString(attHeader)
	for i := 0; i <= MaxAbsences; i++ {
		b.WriteString("5201210001,3,1,2026-11-20,T," + MakeResidentID("520121", "2017-03-15", i) + ",Unexcused,\n")
	}
	f := parseAtt(t, b.String(), nil)
	if len(f.Reports) != 0 || len(f.Errors) != MaxAbsences+1 {
		t.Fatalf("reports %d errors %d", len(f.Reports), len(f.Errors))
	}
	if !strings.Contains(f.Errors[MaxAbsences].Error(), "more than 100 absences") {
		t.Errorf("last error = %v", f.Errors[MaxAbsences])
	}
}

func TestSameRollCall(t *testing.T) {
	base := v1.AttendanceReportSpec{School: "5201210001", Grade: 3, Class: 1, Date: "2026-11-20", Reporter: "A",
		Absences: []v1.Absence{{Student: "stu-a", Kind: "Unexcused"}, {Student: "stu-b", Kind: "SickLeave"}}}
	reordered := *base.DeepCopy()
	reordered.Reporter = "B"
	reordered.Absences[0], reordered.Absences[1] = reordered.Absences[1], reordered.Absences[0]
	otherKind := *base.DeepCopy()
	otherKind.Absences[1].Kind = "Unexcused"
	fewer := *base.DeepCopy()
	fewer.Absences = fewer.Absences[:1]
	otherDay := *base.DeepCopy()
	otherDay.Date = "2026-11-19"
	tests := []struct {
		name string
		b    v1.AttendanceReportSpec
		want bool
	}{
		{"same, other reporter and order", reordered, true},
		{"other kind", otherKind, false},
		{"fewer absences", fewer, false},
		{"other day", otherDay, false},
	}
	for _, tt := range tests {
		if got := SameRollCall(&base, &tt.b); got != tt.want {
			t.Errorf("%s: SameRollCall = %v", tt.name, got)
		}
	}
	if base.Absences[0].Student != "stu-a" {
		t.Errorf("SameRollCall reordered its argument")
	}
}
