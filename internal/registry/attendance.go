package registry

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Attendance CSV column names.
const (
	ColAttSchool    = "school"
	ColAttGrade     = "grade"
	ColAttClass     = "class"
	ColAttDate      = "date"
	ColAttReporter  = "reporter"
	ColAttStudentID = "student_id"
	ColAttKind      = "kind"
	ColAttNote      = "note"
)

// AttendanceColumns are the columns of an attendance extract.
var AttendanceColumns = []Column{
	{ColAttSchool, true, "10-digit school code (学校标识码)"},
	{ColAttGrade, true, "1–9"},
	{ColAttClass, true, "1–99"},
	{ColAttDate, true, "YYYY-MM-DD: the school day"},
	{ColAttReporter, true, "role or staff number of whoever took the roll call (not a child's data), the same on every row of one class and date"},
	{ColAttStudentID, false, "the absent child's resident ID or national student number (or Student object name); empty for a zero report (no absences)"},
	{ColAttKind, false, "Unexcused (旷课), SickLeave (病假), PersonalLeave (事假) or LeftWithoutLeave (擅自离校); required with student_id"},
	{ColAttNote, false, "the teacher's note, at most 256 characters, no personal data"},
}

// MaxAbsences is the most absences one report may list (the API's limit).
const MaxAbsences = 100

var absenceKinds = map[string]v1.AbsenceKind{
	"unexcused": "Unexcused", "旷课": "Unexcused",
	"sickleave": "SickLeave", "病假": "SickLeave",
	"personalleave": "PersonalLeave", "事假": "PersonalLeave",
	"leftwithoutleave": "LeftWithoutLeave", "擅自离校": "LeftWithoutLeave",
}

var reObjectName = regexp.MustCompile(`^stu-[0-9a-f]{12}$`)

// ClassDay identifies one class's roll call on one school day.
type ClassDay struct {
	School v1.SchoolCode
	Grade  int32
	Class  int32
	Date   v1.Date
}

// ClassDayOf returns the class and day of a report.
func ClassDayOf(spec *v1.AttendanceReportSpec) ClassDay {
	return ClassDay{School: spec.School, Grade: spec.Grade, Class: spec.Class, Date: spec.Date}
}

// ReportName is the deterministic name of the first report for a class and day:
// att-<school>-<grade>-<class>-<yyyymmdd>.
func (k ClassDay) ReportName() string {
	return fmt.Sprintf("att-%s-%d-%d-%s", k.School, k.Grade, k.Class, strings.ReplaceAll(string(k.Date), "-", ""))
}

// RevisionName is the name of the n-th report for the class and day (n ≥ 2): a correction that
// supersedes the earlier ones, for example att-5201210001-3-1-20261120-r2.
func (k ClassDay) RevisionName(n int) string {
	if n <= 1 {
		return k.ReportName()
	}
	return fmt.Sprintf("%s-r%d", k.ReportName(), n)
}

func (k ClassDay) String() string {
	return fmt.Sprintf("school %s grade %d class %d on %s", k.School, k.Grade, k.Class, k.Date)
}

// ReportDraft is one class's roll call for one day, gathered from one or more rows.
type ReportDraft struct {
	Key ClassDay
	// Lines of the file that make up the report.
	Lines []int
	// Report has name (the first revision's), spec and type set; no namespace, no reportedAt.
	Report *v1.AttendanceReport
}

// AttendanceFile is a parsed attendance extract.
type AttendanceFile struct {
	// Reports, one per class and day, in the order they first appear.
	Reports []ReportDraft
	// Errors of rows. A report with any bad row is left out whole, and its other rows are
	// listed too: a partial roll call would count the missing children as present.
	Errors []RowError
	// Warnings about rows that were imported, for example a child not in the registry.
	Warnings []RowError
}

// StudentResolver maps a canonical resident ID or student number to the name of the Student
// that has it. known is false when no Student has it.
type StudentResolver func(id string) (name string, known bool)

// HashResolver derives the name from the ID without looking anything up.
func HashResolver(id string) (string, bool) { return StudentName(id), true }

type draftState struct {
	ReportDraft
	reporterLine int
	students     map[string]int // student name -> line
	badLines     map[int]bool
}

// ParseAttendance reads an attendance extract and groups its rows into one report per school,
// grade, class and date. A row with an empty student_id makes the class's report exist with no
// absence from that row: a class with no absences is one such row (a zero report).
func ParseAttendance(in io.Reader, resolve StudentResolver) (*AttendanceFile, error) {
	if resolve == nil {
		resolve = HashResolver
	}
	t, err := newTable(in, AttendanceColumns, nil)
	if err != nil {
		return nil, err
	}
	f := &AttendanceFile{Warnings: t.warnings}
	drafts := map[ClassDay]*draftState{}
	var order []ClassDay
	for {
		rec, rowErr, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if rowErr != nil {
			f.Errors = append(f.Errors, *rowErr)
			continue
		}
		var reasons []string
		bad := func(col, why string) { reasons = append(reasons, col+": "+why) }

		key := ClassDay{School: v1.SchoolCode(rec.get(ColAttSchool)), Date: v1.Date(normalizeDate(rec.get(ColAttDate)))}
		if key.School == "" {
			bad(ColAttSchool, "required")
		} else if !reSchool.MatchString(string(key.School)) {
			bad(ColAttSchool, "a school code (学校标识码) is exactly 10 digits, for example 5201210001")
		}
		for _, c := range []struct {
			col    string
			dst    *int32
			lo, hi int
		}{{ColAttGrade, &key.Grade, 1, 9}, {ColAttClass, &key.Class, 1, 99}} {
			s := normalizeGradeOrClass(rec.get(c.col))
			n, err := strconv.Atoi(s)
			if s == "" {
				bad(c.col, "required")
			} else if err != nil || n < c.lo || n > c.hi {
				bad(c.col, fmt.Sprintf("must be a whole number from %d to %d", c.lo, c.hi))
			} else {
				*c.dst = int32(n)
			}
		}
		if key.Date == "" {
			bad(ColAttDate, "required")
		} else if p := dateProblem(string(key.Date)); p != "" {
			bad(ColAttDate, p)
		}
		keyOK := len(reasons) == 0

		reporter := rec.get(ColAttReporter)
		switch n := utf8.RuneCountInString(reporter); {
		case n == 0:
			bad(ColAttReporter, "required")
		case n > 64:
			bad(ColAttReporter, "at most 64 characters")
		}

		var absence *v1.Absence
		id, kind, note := rec.get(ColAttStudentID), rec.get(ColAttKind), rec.get(ColAttNote)
		var known = true
		if id == "" {
			if kind != "" || note != "" {
				bad(ColAttStudentID, "required when kind or note is given (a row without student_id is a zero report)")
			}
		} else {
			name, problem := studentRef(id)
			if problem != "" {
				bad(ColAttStudentID, problem)
			} else if !reObjectName.MatchString(name) {
				name, known = resolve(name)
			}
			k, ok := absenceKinds[strings.ToLower(kind)]
			if kind == "" {
				bad(ColAttKind, "required for an absence: Unexcused, SickLeave, PersonalLeave or LeftWithoutLeave")
			} else if !ok {
				bad(ColAttKind, "must be Unexcused, SickLeave, PersonalLeave or LeftWithoutLeave (旷课, 病假, 事假, 擅自离校)")
			}
			if p := NoteProblem(note, 256); p != "" {
				bad(ColAttNote, p)
			}
			absence = &v1.Absence{Student: name, Kind: k, Note: note}
		}

		if !keyOK {
			f.Errors = append(f.Errors, RowError{Line: rec.line, Reasons: reasons})
			continue
		}
		d := drafts[key]
		if d == nil {
			d = &draftState{
				ReportDraft: ReportDraft{Key: key, Report: &v1.AttendanceReport{
					TypeMeta:   metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "AttendanceReport"},
					ObjectMeta: metav1.ObjectMeta{Name: key.ReportName()},
					Spec: v1.AttendanceReportSpec{
						School: key.School, Grade: key.Grade, Class: key.Class, Date: key.Date,
					},
				}},
				students: map[string]int{},
				badLines: map[int]bool{},
			}
			drafts[key] = d
			order = append(order, key)
		}
		d.Lines = append(d.Lines, rec.line)
		if reporter != "" {
			if d.Report.Spec.Reporter == "" {
				d.Report.Spec.Reporter, d.reporterLine = reporter, rec.line
			} else if d.Report.Spec.Reporter != reporter {
				bad(ColAttReporter, fmt.Sprintf("differs from line %d for the same class and date (one roll call has one reporter)", d.reporterLine))
			}
		}
		if absence != nil && len(reasons) == 0 {
			if first, dup := d.students[absence.Student]; dup {
				bad(ColAttStudentID, fmt.Sprintf("the same child is already on line %d for this class and date", first))
			} else if len(d.Report.Spec.Absences) >= MaxAbsences {
				bad(ColAttStudentID, fmt.Sprintf("more than %d absences for one class and date", MaxAbsences))
			} else {
				d.students[absence.Student] = rec.line
				d.Report.Spec.Absences = append(d.Report.Spec.Absences, *absence)
				if !known {
					f.Warnings = append(f.Warnings, RowError{Line: rec.line, Reasons: []string{
						"student_id: no Student in the namespace has this ID; the report names the child anyway and the controller will list it as unknown"}})
				}
			}
		}
		if len(reasons) > 0 {
			d.badLines[rec.line] = true
			f.Errors = append(f.Errors, RowError{Line: rec.line, Reasons: reasons})
		}
	}
	for _, key := range order {
		d := drafts[key]
		if len(d.badLines) > 0 {
			var bad []int
			for l := range d.badLines {
				bad = append(bad, l)
			}
			sort.Ints(bad)
			for _, l := range d.Lines {
				if !d.badLines[l] {
					f.Errors = append(f.Errors, RowError{Line: l, Reasons: []string{fmt.Sprintf(
						"not imported: line %d of the same class and date has an error (a roll call is imported whole or not at all)", bad[0])}})
				}
			}
			continue
		}
		SortAbsences(d.Report.Spec.Absences)
		f.Reports = append(f.Reports, d.ReportDraft)
	}
	SortRowErrors(f.Errors)
	SortRowErrors(f.Warnings)
	return f, nil
}

// studentRef checks an ID from an attendance row and returns it canonicalised, or a problem.
func studentRef(id string) (string, string) {
	if reObjectName.MatchString(id) {
		return id, ""
	}
	id = CanonicalizeID(id)
	switch {
	case looksLikeSpreadsheetNumber(id):
		return "", "looks like a spreadsheet turned it into a number: format the column as text and export again"
	case len(id) == 18:
		if p := ResidentIDProblem(id); p != "" {
			return "", "resident ID " + p
		}
	case len(id) == 19 && strings.ContainsAny(id[:1], "GJL"):
		if p := StudentNumberProblem(id); p != "" {
			return "", "student number " + p
		}
	default:
		return "", "must be a resident ID (18 characters) or a national student number (19 characters)"
	}
	return id, ""
}

// SortAbsences orders absences by student name, so equal roll calls have equal specs.
func SortAbsences(a []v1.Absence) {
	sort.Slice(a, func(i, j int) bool { return a[i].Student < a[j].Student })
}

// SameRollCall reports whether two reports say the same about the same class and day: the same
// absences with the same kinds and notes. The reporter and reportedAt do not matter.
func SameRollCall(a, b *v1.AttendanceReportSpec) bool {
	if ClassDayOf(a) != ClassDayOf(b) || len(a.Absences) != len(b.Absences) {
		return false
	}
	x := append([]v1.Absence(nil), a.Absences...)
	y := append([]v1.Absence(nil), b.Absences...)
	SortAbsences(x)
	SortAbsences(y)
	for i := range x {
		if x[i] != y[i] {
			return false
		}
	}
	return true
}
