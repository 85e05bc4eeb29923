package queue

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

var today = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func student(name, school string, village v1.VillageCode) v1.Student {
	s := v1.Student{Spec: v1.StudentSpec{Name: "孩子" + name, Residence: v1.Residence{Township: "520121100", Village: village},
		Enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled, School: v1.SchoolCode(school), Grade: 4, Class: 1}}}
	s.Name = name
	return s
}

var (
	teacher   = v1.Assignee{Role: v1.RoleHomeroomTeacher, Name: "班主任甲", Agreement: "class-4-1"}
	principal = v1.Assignee{Role: v1.RolePrincipal, Name: "校长乙", Agreement: "school-1"}
	cadre     = v1.Assignee{Role: v1.RoleTownshipCadre, Name: "乡干部丙", Agreement: "township-100"}
	bureau    = v1.Assignee{Role: v1.RoleCountyBureau, Name: "县教育局丁", Agreement: "county-edu"}
)

func dropoutCase(name, student string, action v1.ActionType, line v1.Line, due v1.Date, overdue bool, a v1.Assignees) v1.DropoutCase {
	dc := v1.DropoutCase{Spec: v1.DropoutCaseSpec{Student: student, Type: v1.CaseDroppedOut}}
	dc.Name = name
	status := metav1.ConditionFalse
	if overdue {
		status = metav1.ConditionTrue
	}
	dc.Status = v1.DropoutCaseStatus{Stage: v1.StageSchoolReported, RequiredAction: action, RequiredLine: line, DueBy: due,
		Assignees: a, Conditions: []metav1.Condition{{Type: v1.CaseOverdue, Status: status}}}
	return dc
}

func fixture() ([]v1.Student, []v1.DropoutCase, []v1.ResponsibilityAgreement) {
	students := []v1.Student{
		student("stu-a", "5201210001", "520121100201"),
		student("stu-b", "5201210001", "520121100202"),
		student("stu-c", "5201210002", "520121100202"),
		student("stu-d", "5201210001", "520121100201"),
	}
	cases := []v1.DropoutCase{
		// On time, due later.
		dropoutCase("dc-a", "stu-a", v1.ActionPersuasionLetter, v1.LineEducation, "2026-11-26", false,
			v1.Assignees{Education: []v1.Assignee{teacher, principal}}),
		// Overdue by 1 day.
		dropoutCase("dc-b", "stu-b", v1.ActionDropoutReport, v1.LineEducation, "2026-11-23", true,
			v1.Assignees{Education: []v1.Assignee{principal}, Government: []v1.Assignee{cadre}}),
		// Overdue by 4 days, owed by the government line.
		dropoutCase("dc-c", "stu-c", v1.ActionReturnNotice, v1.LineGovernment, "2026-11-20", true,
			v1.Assignees{Education: []v1.Assignee{teacher}, Government: []v1.Assignee{cadre}}),
		// Legal referral at the county.
		dropoutCase("dc-d", "stu-d", v1.ActionLegalReferral, v1.LineEducation, "2026-11-25", false,
			v1.Assignees{Education: []v1.Assignee{bureau}}),
	}
	closed := dropoutCase("dc-closed", "stu-a", v1.ActionHomeVisit, v1.LineEducation, "2026-11-01", true,
		v1.Assignees{Education: []v1.Assignee{teacher}})
	closed.Status.Stage = v1.StageClosed
	cases = append(cases, closed)
	class := v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: v1.LineEducation,
		Responsible: v1.Party{Role: v1.RoleHomeroomTeacher, Name: "班主任甲"},
		Scope:       v1.Scope{School: "5201210001", Grade: 4, Class: 1}}}
	class.Name = "class-4-1"
	class.Status.Reporting = &v1.ReportingCompliance{MissingDays: []v1.Date{"2026-11-19", "2026-11-18"}}
	class.Status.Conditions = []metav1.Condition{{Type: v1.AgreementActive, Status: metav1.ConditionTrue}}
	return students, cases, []v1.ResponsibilityAgreement{class}
}

func summary(items []Item) string {
	var parts []string
	for _, it := range items {
		p := it.Person + ":" + it.What
		if it.Case != "" {
			p += "@" + it.Case
		}
		if it.Overdue {
			p += "!" + string(rune('0'+it.DaysLate))
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, " ")
}

func TestOverdueFirstAndOneListPerPerson(t *testing.T) {
	s, c, a := fixture()
	got := summary(Build(s, c, a, Filter{}, today))
	// The roll calls missing since the 18th (6 days), then the return notice (4 days late), then
	// the dropout report (1 day); then what is on time, by due day. The closed case owes nothing;
	// the township cadre does not owe the school's dropout report.
	want := "班主任甲:SubmitRollCall!6 乡干部丙:ReturnNotice@dc-c!4 校长乙:DropoutReport@dc-b!1 " +
		"县教育局丁:LegalReferral@dc-d 校长乙:PersuasionLetter@dc-a 班主任甲:PersuasionLetter@dc-a"
	if got != want {
		t.Errorf("queue =\n%s\nwant\n%s", got, want)
	}
	for _, tt := range []struct {
		name   string
		filter Filter
		want   string
	}{
		{"homeroom teacher", Filter{Person: "班主任甲"}, "班主任甲:SubmitRollCall!6 班主任甲:PersuasionLetter@dc-a"},
		{"principal", Filter{Role: v1.RolePrincipal}, "校长乙:DropoutReport@dc-b!1 校长乙:PersuasionLetter@dc-a"},
		{"township cadre", Filter{Line: v1.LineGovernment}, "乡干部丙:ReturnNotice@dc-c!4"},
		{"county officer", Filter{Role: v1.RoleCountyBureau}, "县教育局丁:LegalReferral@dc-d"},
		{"school", Filter{School: "5201210002"}, "乡干部丙:ReturnNotice@dc-c!4"},
		{"village", Filter{Village: "520121100202"}, "乡干部丙:ReturnNotice@dc-c!4 校长乙:DropoutReport@dc-b!1"},
		{"mine", Filter{Agreements: map[string]bool{"school-1": true}}, "校长乙:DropoutReport@dc-b!1 校长乙:PersuasionLetter@dc-a"},
		{"township", Filter{Township: "520121101"}, ""},
	} {
		if got := summary(Build(s, c, a, tt.filter, today)); got != tt.want {
			t.Errorf("%s: %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	s, c, a := fixture()
	tb := Table(Build(s, c, a, Filter{}, today))
	if len(tb.Rows) != 6 || tb.Rows[0][3] != "SubmitRollCall ×2" || tb.Rows[0][5] != "6" || tb.Rows[1][12] != "孩子stu-c" {
		t.Errorf("rows = %v", tb.Rows)
	}
	if len(tb.Notes) != 1 || tb.Notes[0].Args[0] != 6 || tb.Notes[0].Args[1] != 3 {
		t.Errorf("notes = %+v", tb.Notes)
	}
	if empty := Table(nil); len(empty.Rows) != 0 || empty.Notes[0].Format != "nothing is due" {
		t.Errorf("empty = %+v", empty)
	}
}
