package ledger

import (
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func at(t *testing.T, date string, loc *time.Location) metav1.Time {
	t.Helper()
	d, err := time.ParseInLocation("2006-01-02 15:04", date, loc)
	if err != nil {
		t.Fatal(err)
	}
	return metav1.NewTime(d)
}

func column(t *testing.T, tab Table, row int, heading string) string {
	t.Helper()
	for i, h := range tab.Header {
		if h == heading {
			return tab.Rows[row][i]
		}
	}
	t.Fatalf("no column %s in %v", heading, tab.Header)
	return ""
}

// Issue 10: --as-of reproduces a past day's ledgers from the record: the case at the stage its
// history shows that day, the actions recorded by then, the assignee before a hand-over, and a
// child at risk that day from the class record, though today the case is closed and the child
// present.
func TestAsOfReproducesAPastLedger(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	a, b := student("stu-a", "甲", 4, false, 0), student("stu-b", "乙", 4, false, 0)
	a.Spec.BirthDate, b.Spec.BirthDate = "2016-11-12", "2016-05-01"
	dc := dropoutCase("stu-a-do-20261102", "stu-a", v1.StageClosed)
	dc.Status.History = []v1.StageChange{
		{Stage: v1.StageSchoolReported, Time: at(t, "2026-11-04 08:00", loc)},
		{Stage: v1.StageTownshipReported, Time: at(t, "2026-11-16 23:30", loc)},
		{Stage: v1.StageReturned, Time: at(t, "2026-11-23 09:00", loc)},
		{Stage: v1.StageClosed, Time: at(t, "2026-11-30 09:00", loc)},
	}
	dc.Spec.Placement = v1.PlacementOwnSchool
	dc.Spec.Actions = []v1.CaseAction{
		{Type: v1.ActionHomeVisit, Date: "2026-11-05", By: "老师甲", Line: v1.LineEducation},
		{Type: v1.ActionHomeVisit, Date: "2026-11-10", By: "老师甲", Line: v1.LineEducation},
		{Type: v1.ActionHomeVisit, Date: "2026-11-18", By: "老师乙", Line: v1.LineEducation},
	}
	dc.Status.Assignees.Education = []v1.Assignee{{Role: v1.RoleHomeroomTeacher, Name: "老师乙"}}
	dc.Status.AssigneeHistory = []v1.AssigneeChange{{Time: at(t, "2026-11-17 10:00", loc), Line: v1.LineEducation,
		Role: v1.RoleHomeroomTeacher, From: "老师甲", To: "老师乙"}}
	var days []v1.ClassDay
	for d := 2; d <= 20; d++ {
		day := v1.ClassDay{Date: v1.Date("2026-11-" + twoDigits(d))}
		if d <= 17 {
			day.Absences = append(day.Absences, v1.ClassAbsence{Student: "stu-a", Mark: v1.MarkUnexcused})
		}
		if d == 9 || d == 10 {
			day.Absences = append(day.Absences, v1.ClassAbsence{Student: "stu-b", Mark: v1.MarkUnexcused})
		}
		days = append(days, day)
	}
	classes := []v1.ClassAttendance{{Spec: v1.ClassAttendanceSpec{School: "5201210001", Grade: 4, Class: 1, Month: "2026-11", Days: days}}}
	today := Input{Students: []v1.Student{a, b}, Cases: []v1.DropoutCase{dc}, Loc: loc}

	// Today: the case is closed, both children present.
	if sus, conf := BuildSuspected(today), BuildConfirmed(today); len(sus.Rows) != 0 || len(conf.Rows) != 0 {
		t.Fatalf("today: suspected %v confirmed %v", sus.Rows, conf.Rows)
	}

	// 10 November: the case at the school, two visits, the first teacher; 乙 at risk for two days.
	past := AsOf(today, classes, time.Date(2026, 11, 10, 0, 0, 0, 0, loc))
	sus := BuildSuspected(past)
	if len(sus.Rows) != 2 {
		t.Fatalf("suspected on 10 November = %v", sus.Rows)
	}
	if column(t, sus, 0, "STUDENT") != "stu-a" || column(t, sus, 0, "STATE") != "SchoolReported" || column(t, sus, 0, "DAYS") != "9" ||
		column(t, sus, 0, "EDUCATION") != "老师甲" || strings.Count(column(t, sus, 0, "MEASURES"), "HomeVisit") != 2 {
		t.Errorf("case row on 10 November = %v", sus.Rows[0])
	}
	if column(t, sus, 1, "STUDENT") != "stu-b" || column(t, sus, 1, "STATE") != "AtRisk" || column(t, sus, 1, "DAYS") != "2" ||
		column(t, sus, 1, "ABSENT-SINCE") != "2026-11-09" {
		t.Errorf("at-risk row on 10 November = %v", sus.Rows[1])
	}
	if conf := BuildConfirmed(past); len(conf.Rows) != 0 {
		t.Errorf("confirmed on 10 November = %v", conf.Rows)
	}

	// 16 November: reported to the township late that evening, county time.
	conf := BuildConfirmed(AsOf(today, classes, time.Date(2026, 11, 16, 0, 0, 0, 0, loc)))
	if len(conf.Rows) != 1 || column(t, conf, 0, "STAGE") != "TownshipReported" || column(t, conf, 0, "VISITS") != "2/0" ||
		column(t, conf, 0, "EDUCATION") != "老师甲" || column(t, conf, 0, "PLACEMENT") != "" || column(t, conf, 0, "DAYS") != "15" {
		t.Errorf("confirmed on 16 November = %v", conf.Rows)
	}
	// 25 November: returned, with the placement, the second teacher after the hand-over.
	conf = BuildConfirmed(AsOf(today, classes, time.Date(2026, 11, 25, 0, 0, 0, 0, loc)))
	if len(conf.Rows) != 1 || column(t, conf, 0, "STAGE") != "Returned" || column(t, conf, 0, "EDUCATION") != "老师乙" ||
		column(t, conf, 0, "PLACEMENT") != "OwnSchool" || column(t, conf, 0, "VISITS") != "3/0" {
		t.Errorf("confirmed on 25 November = %v", conf.Rows)
	}
	// A case opened after the day is not on its ledger; ages are those of the day.
	past = AsOf(today, classes, time.Date(2026, 11, 1, 0, 0, 0, 0, loc))
	if len(past.Cases) != 0 || past.Students[0].Status.Age != 9 {
		t.Errorf("1 November: cases %d, age %d", len(past.Cases), past.Students[0].Status.Age)
	}
}

func twoDigits(d int) string { return string(rune('0'+d/10)) + string(rune('0'+d%10)) }

func TestNamesFromAgreements(t *testing.T) {
	sign := func(line v1.Line, org string, sc v1.Scope) v1.ResponsibilityAgreement {
		return v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: line, Responsible: v1.Party{Organisation: org}, Scope: sc}}
	}
	n := NamesFrom([]v1.ResponsibilityAgreement{
		sign(v1.LineEducation, "示范县第一小学", v1.Scope{School: "5201210001"}),
		sign(v1.LineEducation, "示范县第一小学四年级", v1.Scope{School: "5201210001", Grade: 4}),
		sign(v1.LineGovernment, "城关镇人民政府", v1.Scope{Township: "520121100"}),
		sign(v1.LineGovernment, "红岩村村民委员会", v1.Scope{Township: "520121100", Village: "520121100201"}),
		sign(v1.LineGovernment, "青山村委会", v1.Scope{Township: "520121100", Village: "520121100202"}),
		sign(v1.LineGovernment, "红岩村村民委员会", v1.Scope{Township: "520121100", Village: "520121100201", Group: "520121100201001"}),
	})
	if n.School("5201210001") != "示范县第一小学" || n.Township("520121100") != "城关镇" ||
		n.Village("520121100201") != "红岩村" || n.Village("520121100202") != "青山村" || n.School("5201210009") != "" {
		t.Errorf("names = %+v", n)
	}
}
