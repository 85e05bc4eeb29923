package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	eventsv1 "k8s.io/api/events/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestLadderToLegalAction walks one child from the first absence through every stage.
func TestLadderToLegalAction(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-amy", 3, village), student(ns, "stu-ben", 3, village))
	days := schoolDays("2026-11-02", 12)

	setToday(days[0])
	rollCall(t, ns, 3, days[0], "stu-amy")
	s := waitStudent(t, ns, "stu-amy", "one day absent", absentDays(1))
	if c := condition(s.Status.Conditions, v1.StudentAtRisk); c.Status != "True" {
		t.Fatalf("AtRisk after one day: %+v", c)
	}
	if s.Status.Responsible.Education == nil || s.Status.Responsible.Education.Name != "Teacher Zhao" || s.Status.Responsible.Government.Name != "Cadre Hu" {
		t.Fatalf("responsible parties %+v", s.Status.Responsible)
	}
	waitStudent(t, ns, "stu-ben", "ben present", func(s *v1.Student) error {
		if condition(s.Status.Conditions, v1.StudentAttending).Status != "True" {
			return fmt.Errorf("ben not attending: %+v", s.Status.Conditions)
		}
		return nil
	})

	for _, d := range days[1:3] {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-amy")
	}
	caseName := "stu-amy-do-20261102"
	dc := waitCase(t, ns, caseName, "case opens on the third day", atStage(v1.StageSchoolReported))
	if dc.Status.RequiredAction != v1.ActionPersuasionLetter || len(dc.Status.Assignees.Education) != 2 ||
		len(dc.Status.Assignees.Government) != 1 || dc.Status.Assignees.Government[0].Role != v1.RoleVillageCadre {
		t.Fatalf("at SchoolReported: required %q assignees %+v", dc.Status.RequiredAction, dc.Status.Assignees)
	}
	if dc.Status.Assignees.Education[0].Name != "Teacher Zhao" || dc.Status.Assignees.Education[1].Role != v1.RolePrincipal {
		t.Fatalf("education assignees %+v", dc.Status.Assignees.Education)
	}
	// What listings show: who owes the letter, on which line, and where the child is.
	if st := dc.Status; st.RequiredLine != v1.LineEducation || st.Owner != "Teacher Zhao" || st.School != s.Spec.Enrolment.School ||
		st.Village != village || st.Township != s.Spec.Residence.Township {
		t.Fatalf("listing fields: line %q owner %q school %q village %q township %q", st.RequiredLine, st.Owner, st.School, st.Village, st.Township)
	}
	if !metav1IsControlledBy(dc, s) {
		t.Fatalf("case not owned by the student: %+v", dc.OwnerReferences)
	}
	waitStudent(t, ns, "stu-amy", "student links the case", func(s *v1.Student) error {
		if s.Status.OpenCase != caseName {
			return fmt.Errorf("openCase %q", s.Status.OpenCase)
		}
		return nil
	})

	// The letter is due three days after the stage began (2026-11-04); on the 8th it is overdue.
	setToday("2026-11-08")
	poke(t, dc)
	dc = waitCase(t, ns, caseName, "overdue letter", func(dc *v1.DropoutCase) error {
		if c := condition(dc.Status.Conditions, v1.CaseOverdue); c.Status != "True" || c.Reason != "PersuasionLetterMissing" || !strings.Contains(c.Message, "HomeroomTeacher") {
			return fmt.Errorf("Overdue %+v", c)
		}
		return nil
	})

	// Letter and three visits, child still away: the township is told.
	setToday(days[3])
	record(t, ns, caseName, action(v1.ActionPersuasionLetter, "2026-11-05", v1.LineEducation),
		action(v1.ActionHomeVisit, "2026-11-05", v1.LineEducation), action(v1.ActionHomeVisit, "2026-11-06", v1.LineEducation))
	rollCall(t, ns, 3, days[3], "stu-amy")
	dc = waitCase(t, ns, caseName, "letter recorded", func(dc *v1.DropoutCase) error {
		if condition(dc.Status.Conditions, v1.CaseOverdue).Status != "False" || dc.Status.VisitsRecorded != 2 {
			return fmt.Errorf("overdue %+v visits %d", condition(dc.Status.Conditions, v1.CaseOverdue), dc.Status.VisitsRecorded)
		}
		return nil
	})
	record(t, ns, caseName, action(v1.ActionHomeVisit, days[3], v1.LineEducation))
	dc = waitCase(t, ns, caseName, "visits exhausted", atStage(v1.StageTownshipReported))
	gov := dc.Status.Assignees.Government
	if len(gov) != 2 || gov[0].Name != "Cadre Hu" || gov[1].Role != v1.RoleTownshipCadre {
		t.Fatalf("government assignees at TownshipReported %+v", gov)
	}
	if dc.Status.RequiredAction != v1.ActionDropoutReport || condition(dc.Status.Conditions, v1.CaseEscalated).Status != "True" {
		t.Fatalf("at TownshipReported: required %q escalated %+v", dc.Status.RequiredAction, condition(dc.Status.Conditions, v1.CaseEscalated))
	}

	// Dropout report, then the township's return notice with a deadline.
	record(t, ns, caseName, action(v1.ActionDropoutReport, days[3], v1.LineEducation))
	notice := action(v1.ActionReturnNotice, days[4], v1.LineGovernment)
	notice.Deadline = "2026-11-20"
	record(t, ns, caseName, notice)
	dc = waitCase(t, ns, caseName, "return notice", atStage(v1.StageReturnNoticeIssued))
	if dc.Status.NextDeadline == nil || dc.Status.NextDeadline.In(shanghai).Format("2006-01-02") != "2026-11-21" {
		t.Fatalf("next deadline %v, want the end of 2026-11-20", dc.Status.NextDeadline)
	}

	// The deadline passes with the child still away: legal action, the county joins.
	for _, d := range days[4:10] {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-amy")
	}
	waitStudent(t, ns, "stu-amy", "ten days absent", absentDays(10))
	setToday("2026-11-21")
	poke(t, dc)
	dc = waitCase(t, ns, caseName, "deadline passed", atStage(v1.StageLegalAction))
	if dc.Status.RequiredAction != v1.ActionLegalReferral || dc.Status.DaysAbsent != 10 {
		t.Fatalf("at LegalAction: required %q days %d", dc.Status.RequiredAction, dc.Status.DaysAbsent)
	}
	stages := []v1.Stage{}
	for _, h := range dc.Status.History {
		stages = append(stages, h.Stage)
	}
	if fmt.Sprint(stages) != "[SchoolReported TownshipReported ReturnNoticeIssued LegalAction]" {
		t.Fatalf("history %v", stages)
	}
	if n := len(listCases(t, ns)); n != 1 {
		t.Fatalf("%d cases, want exactly one", n)
	}
	expectEvents(t, ns, caseName, "StageSchoolReported", "StageTownshipReported", "StageReturnNoticeIssued", "StageLegalAction", "Overdue")
	expectEvents(t, ns, "stu-amy", "CaseOpened", "StageLegalAction")
}

func metav1IsControlledBy(dc *v1.DropoutCase, s *v1.Student) bool {
	for _, o := range dc.OwnerReferences {
		if o.UID == s.UID && o.Controller != nil && *o.Controller {
			return true
		}
	}
	return false
}

// expectEvents waits for Events with the given reasons about an object.
func expectEvents(t *testing.T, ns, name string, reasons ...string) {
	t.Helper()
	eventually(t, "events for "+name, func() error {
		var list eventsv1.EventList
		if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, e := range list.Items {
			if e.Regarding.Name == name {
				seen[e.Reason] = true
			}
		}
		for _, r := range reasons {
			if !seen[r] {
				return fmt.Errorf("no %s event (have %v)", r, seen)
			}
		}
		return nil
	})
}

// TestReturnedAndClosed brings a child back from SchoolReported, through the follow-up, to Closed.
func TestReturnedAndClosed(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-cal", 1, village2))
	days := schoolDays("2026-11-02", 23)
	for i, d := range days {
		setToday(d)
		if i < 3 {
			rollCall(t, ns, 1, d, "stu-cal")
		} else {
			rollCall(t, ns, 1, d)
		}
		if i == 2 {
			waitCase(t, ns, "stu-cal-do-20261102", "case opens", atStage(v1.StageSchoolReported))
		}
		if i == 4 {
			waitCase(t, ns, "stu-cal-do-20261102", "back in class", func(dc *v1.DropoutCase) error {
				if dc.Status.Stage != v1.StageReturned || dc.Status.FollowUpDays != 2 {
					return fmt.Errorf("stage %s follow-up days %d, want Returned with 2", dc.Status.Stage, dc.Status.FollowUpDays)
				}
				return nil
			})
		}
	}
	dc := waitCase(t, ns, "stu-cal-do-20261102", "closed after twenty school days", atStage(v1.StageClosed))
	if dc.Status.ClosedReason != "Returned" || condition(dc.Status.Conditions, v1.CaseResolved).Status != "True" {
		t.Fatalf("closed reason %q resolved %+v", dc.Status.ClosedReason, condition(dc.Status.Conditions, v1.CaseResolved))
	}
	waitStudent(t, ns, "stu-cal", "student has no open case", func(s *v1.Student) error {
		if s.Status.OpenCase != "" {
			return fmt.Errorf("openCase %q", s.Status.OpenCase)
		}
		return nil
	})
}

// TestRelapseReescalatesTheSameCase: absent again during follow-up climbs the same case again.
func TestRelapseReescalatesTheSameCase(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-dan", 1, village2))
	days := schoolDays("2026-11-02", 9)
	pattern := "AAAPPAAAA" // A absent, P present
	for i, d := range days {
		setToday(d)
		if pattern[i] == 'A' {
			rollCall(t, ns, 1, d, "stu-dan")
		} else {
			rollCall(t, ns, 1, d)
		}
		if i == 2 {
			waitCase(t, ns, "stu-dan-do-20261102", "case opens", atStage(v1.StageSchoolReported))
		}
		if i == 4 {
			waitCase(t, ns, "stu-dan-do-20261102", "returned", atStage(v1.StageReturned))
		}
	}
	dc := waitCase(t, ns, "stu-dan-do-20261102", "relapse", func(dc *v1.DropoutCase) error {
		if dc.Status.Stage != v1.StageSchoolReported || dc.Status.DaysAbsent != 4 {
			return fmt.Errorf("stage %s days %d", dc.Status.Stage, dc.Status.DaysAbsent)
		}
		return nil
	})
	if n := len(listCases(t, ns)); n != 1 {
		t.Fatalf("%d cases after a relapse, want the same one", n)
	}
	if h := dc.Status.History; len(h) != 3 || h[1].Stage != v1.StageReturned || h[2].Stage != v1.StageSchoolReported {
		t.Fatalf("history %+v", h)
	}

	// Back for good: twenty school days close the case, and the relapse, which it answered for,
	// never opens a second one.
	for _, d := range schoolDays("2026-11-13", 20) {
		setToday(d)
		rollCall(t, ns, 1, d)
	}
	waitCase(t, ns, "stu-dan-do-20261102", "closed after the follow-up", atStage(v1.StageClosed))
	poke(t, &v1.Student{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "stu-dan"}})
	consistently(t, "no second case for the relapse", func() error {
		if cases := listCases(t, ns); len(cases) != 1 {
			return fmt.Errorf("%d cases: %s and %s", len(cases), cases[0].Name, cases[1].Name)
		}
		return nil
	})
}
