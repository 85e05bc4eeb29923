package registry

import (
	"bytes"
	"strings"
	"testing"
)

// Fuzz targets for the file parsers and the ID checks. `make test` runs each briefly and `make
// fuzz` for longer; the seeds below run in every `go test`.

// checkLines asserts that a parser accounted for lines of the file at most once each, in order,
// and never beyond the end of the file: every row is read or reported where it is.
func checkLines(t *testing.T, data []byte, lines []int) {
	t.Helper()
	total := bytes.Count(data, []byte("\n")) + 1
	last := 1
	for _, l := range lines {
		if l <= last || l > total {
			t.Fatalf("line %d reported after line %d, in a file of %d lines: %v", l, last, total, lines)
		}
		last = l
	}
}

func csvSeeds(f *testing.F, header string) {
	f.Add([]byte(header))
	f.Add([]byte(header + "\"open,quote\nnext,line\n"))
	f.Add([]byte(header + "a\"b,c\n\"x\"y,z\n\n,,\n"))
	f.Add([]byte("\ufeff" + header + "\"multi\nline\",x\r\n"))
}

func FuzzParseRegistry(f *testing.F) {
	csvSeeds(f, fullHeader)
	f.Add([]byte(fullHeader + id1 + ",G" + id1 + ",王小明,2017-03-15,520121100,,,Enrolled,5201210001,3,1,,,,,,,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rf, err := ParseRegistry(bytes.NewReader(data))
		if err != nil {
			return
		}
		var lines []int
		for len(rf.Rows) > 0 || len(rf.Errors) > 0 {
			// Merge the two ordered lists by line.
			if len(rf.Errors) == 0 || (len(rf.Rows) > 0 && rf.Rows[0].Line < rf.Errors[0].Line) {
				lines, rf.Rows = append(lines, rf.Rows[0].Line), rf.Rows[1:]
			} else {
				lines, rf.Errors = append(lines, rf.Errors[0].Line), rf.Errors[1:]
			}
		}
		checkLines(t, data, lines)
	})
}

func FuzzParseAttendance(f *testing.F) {
	csvSeeds(f, "school,grade,class,date,reporter,student_id,kind,note\n")
	f.Add([]byte("school,grade,class,date,reporter,student_id,kind\n5201210001,5,2,2026-03-09,t,stu-000000000001,Unexcused\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		af, err := ParseAttendance(bytes.NewReader(data), nil)
		if err != nil {
			return
		}
		for _, r := range af.Reports {
			if len(r.Report.Spec.Absences) > MaxAbsences {
				t.Fatalf("a report with %d absences", len(r.Report.Spec.Absences))
			}
			for _, a := range r.Report.Spec.Absences {
				if p := NoteProblem(a.Note, 256); p != "" {
					t.Fatalf("a note the API refuses was accepted: %s", p)
				}
			}
		}
	})
}

func FuzzParseActions(f *testing.F) {
	csvSeeds(f, "student_id,action,date,by,line,outcome,deadline,note\n")
	f.Add([]byte("student_id,action,date,by,line\nstu-000000000001,HomeVisit,2026-03-09,t,Education\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		actions, err := ParseActions(bytes.NewReader(data))
		if err != nil {
			return
		}
		rows, errs := actions.Rows, actions.Errors
		var lines []int
		for _, r := range rows {
			if p := ActionProblems(r.Action); len(p) > 0 {
				t.Fatalf("an action the API refuses was accepted: %v", p)
			}
			lines = append(lines, r.Line)
		}
		for _, e := range errs {
			lines = append(lines, e.Line)
		}
		if len(lines) > bytes.Count(data, []byte("\n"))+1 {
			t.Fatalf("%d rows and errors from %d lines", len(lines), bytes.Count(data, []byte("\n"))+1)
		}
	})
}

// FuzzResidentID: a valid ID is 18 characters whose check digit fits and whose birth date is a real
// day; changing its check character makes it invalid; its G number embeds it.
func FuzzResidentID(f *testing.F) {
	for _, s := range []string{id1, id2, "52012120150315001X", "520121201502300011", "", "G" + id1, "5.20121E+17"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		problem := ResidentIDProblem(s)
		id := CanonicalizeID(s)
		if problem != "" {
			if personalDataInText.MatchString(id) && strings.Contains(problem, id) {
				t.Fatalf("the problem repeats the ID: %q", problem)
			}
			return
		}
		want, ok := ResidentIDCheckDigit(id[:17])
		if len(id) != 18 || !ok || want != id[17] {
			t.Fatalf("%q accepted with check digit %q, want %q", id, id[17], want)
		}
		if _, ok := parseDate(ResidentIDBirthDate(id)); !ok {
			t.Fatalf("%q accepted with no real birth date", id)
		}
		for _, c := range "0123456789X" {
			if byte(c) != id[17] && ValidResidentID(id[:17]+string(c)) {
				t.Fatalf("%q and %q are both valid", id, id[:17]+string(c))
			}
		}
		if EmbeddedResidentID("G"+id) != id || StudentNumberIDProblem("G"+id, id, ResidentIDBirthDate(id)) != "" {
			t.Fatalf("G%s does not embed %s", id, id)
		}
	})
}
