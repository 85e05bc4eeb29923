package ledger

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func student(name, child string, grade int32, atRisk bool, days int32) v1.Student {
	s := v1.Student{ObjectMeta: metav1.ObjectMeta{Name: name, Generation: 1}, Spec: v1.StudentSpec{Name: child,
		Residence: v1.Residence{Township: "520121100", Village: "520121100201"},
		Enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled, School: "5201210001", Grade: grade, Class: 1}}}
	s.Status.ObservedGeneration = 1
	s.Status.SchoolAge = true
	s.Status.Age = grade + 5
	s.Status.Attendance.ConsecutiveUnexcusedDays = days
	st := metav1.ConditionFalse
	if atRisk {
		st = metav1.ConditionTrue
	}
	s.Status.Conditions = []metav1.Condition{{Type: v1.StudentAtRisk, Status: st}}
	return s
}

func dropoutCase(name, stu string, stage v1.Stage, history ...v1.Stage) v1.DropoutCase {
	c := v1.DropoutCase{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1.DropoutCaseSpec{Student: stu, Type: v1.CaseDroppedOut, Opened: "2026-11-02"}}
	c.Status.Stage = stage
	for _, h := range history {
		c.Status.History = append(c.Status.History, v1.StageChange{Stage: h})
	}
	return c
}

func names(t Table, col int) []string {
	var out []string
	for _, r := range t.Rows {
		out = append(out, r[col])
	}
	return out
}

func TestLedgers(t *testing.T) {
	students := []v1.Student{
		student("stu-a", "甲", 3, true, 2),   // at risk
		student("stu-b", "乙", 5, false, 4),  // SchoolReported
		student("stu-c", "丙", 6, false, 12), // TownshipReported
		student("stu-d", "丁", 4, false, 0),  // returned from SchoolReported
		student("stu-e", "戊", 2, false, 0),  // returned after TownshipReported
		student("stu-f", "己", 1, false, 0),  // closed case
		student("stu-g", "庚", 8, false, 15), // LegalAction
		student("stu-h", "辛", 1, false, 0),  // ordinary
	}
	students[7].Status.SchoolAge = false
	students = append(students, v1.Student{ObjectMeta: metav1.ObjectMeta{Name: "stu-new", Generation: 1}}) // not yet processed
	cases := []v1.DropoutCase{
		dropoutCase("dc-b", "stu-b", v1.StageSchoolReported, v1.StageSchoolReported),
		dropoutCase("dc-c", "stu-c", v1.StageTownshipReported, v1.StageSchoolReported, v1.StageTownshipReported),
		dropoutCase("dc-d", "stu-d", v1.StageReturned, v1.StageSchoolReported, v1.StageReturned),
		dropoutCase("dc-e", "stu-e", v1.StageReturned, v1.StageSchoolReported, v1.StageTownshipReported, v1.StageReturned),
		dropoutCase("dc-f", "stu-f", v1.StageClosed, v1.StageSchoolReported, v1.StageTownshipReported, v1.StageClosed),
		dropoutCase("dc-g", "stu-g", v1.StageLegalAction, v1.StageSchoolReported, v1.StageLegalAction),
		dropoutCase("dc-x", "stu-gone", "", nil...),
	}
	sus := BuildSuspected(Input{Students: students, Cases: cases, Loc: time.UTC})
	if got := strings.Join(names(sus, 3), ","); got != "stu-a,stu-d,stu-b,stu-gone" {
		t.Errorf("suspected = %s", got)
	}
	if sus.Rows[0][4] != "甲" || sus.Rows[0][7] != "AtRisk" || sus.Rows[2][7] != "SchoolReported" || sus.Rows[3][7] != "SchoolReported" {
		t.Errorf("suspected rows = %v", sus.Rows)
	}
	conf := BuildConfirmed(Input{Students: students, Cases: cases, Loc: time.UTC})
	if got := strings.Join(names(conf, 0), ","); got != "dc-e,dc-c,dc-g" {
		t.Errorf("confirmed = %s", got)
	}
	if fmt.Sprint(conf.Notes) != "[{%d open cases [3] } {%d %s [1 TownshipReported] } {%d %s [1 LegalAction] } {%d %s [1 Returned] }]" {
		t.Errorf("confirmed note = %v", conf.Notes)
	}
	roster := BuildRoster(Input{Students: students})
	if last := roster.Notes[len(roster.Notes)-1]; len(roster.Rows) != 7 || !strings.HasPrefix(last.Format, "%d Students not yet processed") || last.Args[0] != 1 {
		t.Errorf("roster rows %d notes %v", len(roster.Rows), roster.Notes)
	}
}

func TestLastDayOnTime(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai") // time/tzdata is linked in: never missing
	if err != nil {
		t.Fatal(err)
	}
	// Overdue from the start of 21 November in Shanghai: the 20th is the last day on time.
	d := metav1.NewTime(time.Date(2026, 11, 21, 0, 0, 0, 0, shanghai))
	if got := lastDayOnTime(&d, shanghai); got != "2026-11-20" {
		t.Errorf("lastDayOnTime = %s", got)
	}
	if got := lastDayOnTime(nil, shanghai); got != "" {
		t.Errorf("lastDayOnTime(nil) = %q", got)
	}
}

func TestRosterCountsBoysAndGirls(t *testing.T) {
	a, b, c := student("stu-a", "甲", 3, false, 0), student("stu-b", "乙", 3, false, 0), student("stu-c", "丙", 4, false, 0)
	a.Spec.Sex, b.Spec.Sex, c.Spec.Sex = v1.SexMale, v1.SexFemale, v1.SexFemale
	roster := BuildRoster(Input{Students: []v1.Student{a, b, c}})
	if roster.Header[2] != "SEX" || roster.Rows[0][2] != "Male" || roster.Rows[1][2] != "Female" {
		t.Errorf("roster = %v %v", roster.Header, roster.Rows)
	}
	if fmt.Sprint(roster.Notes[1]) != "{%d boys, %d girls [1 2] }" {
		t.Errorf("notes = %v", roster.Notes)
	}
	conf := BuildConfirmed(Input{Students: []v1.Student{a}, Loc: time.UTC})
	if conf.Header[17] != "SEX" || !conf.Wide["SEX"] {
		t.Errorf("confirmed header %v", conf.Header)
	}
}

// Issue 12: a case held in Conflict is neither ledger's case: it is listed apart, so the officer
// closes or deletes it, and a child with a second open case still counts once.
func TestHeldCasesAreListedApart(t *testing.T) {
	students := []v1.Student{student("stu-a", "甲", 3, false, 4), student("stu-b", "乙", 6, false, 12)}
	a, b := dropoutCase("stu-a-do-20261102", "stu-a", v1.StageSchoolReported), dropoutCase("stu-b-do-20261102", "stu-b", v1.StageTownshipReported)
	second := dropoutCase("stu-a-second", "stu-a", "")
	second.Status.Conditions = []metav1.Condition{{Type: v1.CaseConflict, Status: metav1.ConditionTrue, Reason: "SecondOpenCase"}}
	escalated := dropoutCase("stu-b-restored", "stu-b", v1.StageLegalAction, v1.StageTownshipReported)
	escalated.Status.Conditions = second.Status.Conditions
	cases := []v1.DropoutCase{a, second, b, escalated}
	for _, tc := range []struct {
		kind string
		col  int
		want string
	}{{Suspected, 3, "stu-a"}, {Confirmed, 0, "stu-b-do-20261102"}} {
		tab, err := Build(tc.kind, Input{Students: students, Cases: cases, Loc: time.UTC})
		if err != nil {
			t.Fatal(err)
		}
		if got := names(tab, tc.col); len(got) != 1 || got[0] != tc.want {
			t.Errorf("%s ledger lists %v, want only %s", tc.kind, got, tc.want)
		}
		var lines []string
		for _, n := range tab.Notes {
			lines = append(lines, fmt.Sprintf(n.Format, n.Args...))
		}
		notes := strings.Join(lines, "\n")
		for _, want := range []string{"2 cases held in Conflict", "stu-a-second (SecondOpenCase, for stu-a)", "stu-b-restored (SecondOpenCase, for stu-b)"} {
			if !strings.Contains(notes, want) {
				t.Errorf("%s ledger notes lack %q:\n%s", tc.kind, want, notes)
			}
		}
	}
}

// TestSupportMissingColumn: a child at risk whose aid is missing says so in the suspected ledger
// and the roster; a child with all its support has an empty cell.
func TestSupportMissingColumn(t *testing.T) {
	lacking, fine := student("stu-a", "A", 5, true, 2), student("stu-b", "B", 5, true, 2)
	lacking.Status.Conditions = append(lacking.Status.Conditions, metav1.Condition{Type: v1.StudentSupportMissing, Status: metav1.ConditionTrue, Reason: v1.ReasonAidMissing})
	suspected := BuildSuspected(Input{Students: []v1.Student{lacking, fine}, Loc: time.UTC})
	col := slices.Index(suspected.Header, "SUPPORT")
	if got := names(suspected, col); !slices.Equal(got, []string{v1.ReasonAidMissing, ""}) {
		t.Errorf("suspected ledger SUPPORT column %q", got)
	}
	roster := BuildRoster(Input{Students: []v1.Student{lacking, fine}, Loc: time.UTC})
	if got := names(roster, slices.Index(roster.Header, "SUPPORT")); !slices.Contains(got, v1.ReasonAidMissing) || !slices.Contains(got, "") {
		t.Errorf("roster SUPPORT column %q", got)
	}
}
