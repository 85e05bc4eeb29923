package registry

import (
	"strings"
	"testing"
)

// The plugin refuses what the API server refuses (api/v1alpha1/hostile_test.go has the same texts).
func TestTextProblem(t *testing.T) {
	for _, bad := range []string{"张\x00三", "张三\a", "张\u202e三李", "张三\n李四", "张\t三", "\x1b[2J张三", "张三\x7f",
		"张三\u0085", "\u2066张三\u2069", "张\u200b三", "张\u2028三"} {
		if TextProblem(bad) == "" {
			t.Errorf("%q accepted", bad)
		}
	}
	for _, good := range []string{"王小明", "阿依古丽·买买提", "Li Ming", "第3节课后离校, 体温38.5", ""} {
		if p := TextProblem(good); p != "" {
			t.Errorf("%q refused: %s", good, p)
		}
	}
}

func TestStudentNumberIDProblem(t *testing.T) {
	twin := MakeResidentID("520121", "2017-03-15", 12)
	cases := []struct {
		name, number, resident, birth string
		bad                           bool
	}{
		{"G and this child's ID", "G" + id1, id1, "2017-03-15", false},
		{"G and a twin's ID", "G" + twin, id1, "2017-03-15", true},
		{"G and another child's ID", "G" + id2, id1, "2017-03-15", true},
		{"G only, born that day", "G" + id1, "", "2017-03-15", false},
		{"G only, born another day", "G" + id2, "", "2017-03-15", true},
		{"G that is no ID", "G520121201503150012", id1, "2017-03-15", false},
		{"J number", "J000000000000000001", id1, "2017-03-15", false},
	}
	for _, c := range cases {
		if got := StudentNumberIDProblem(c.number, c.resident, c.birth) != ""; got != c.bad {
			t.Errorf("%s: refused = %v, want %v", c.name, got, c.bad)
		}
	}
}

func TestParseRegistryRefusesHiddenCharactersAndForeignGNumbers(t *testing.T) {
	f := parseOK(t, fullHeader+
		id1+",G"+id1+",王\u202e小明,2017-03-15,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+
		id2+",G"+id3+",李四,2016-07-01,520121100,,,NotEnrolled,,,,,,,,,,,,\n"+
		id3+",,张三,2013-01-09,520121100,,,NotEnrolled,,,,,,,,,王大山,\u202e父亲,,\n")
	if len(f.Rows) != 0 || len(f.Errors) != 3 {
		t.Fatalf("rows %d, errors %v", len(f.Rows), f.Errors)
	}
	for i, want := range []string{"name: must not contain control characters", "student_number: is G and another resident ID",
		"guardian_relation: must not contain control characters"} {
		if got := f.Errors[i].Error(); !strings.Contains(got, want) {
			t.Errorf("error %d = %q, want %q", i, got, want)
		}
	}
}
