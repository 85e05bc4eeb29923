package controllers_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/yaml"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// dueSteps are the ladder steps a child's due actions come from, and their action types.
func dueSteps(s *v1.Student) map[string][]v1.ActionType {
	out := map[string][]v1.ActionType{}
	for _, a := range s.Status.DueActions {
		out[a.Step] = append(out[a.Step], a.Type)
	}
	return out
}

func stepsDue(step string, types ...v1.ActionType) func(*v1.Student) error {
	return func(s *v1.Student) error {
		got := dueSteps(s)
		for _, typ := range types {
			if !slices.Contains(got[step], typ) {
				return fmt.Errorf("due %v, want %s from step %s", got, typ, step)
			}
		}
		if c := condition(s.Status.Conditions, v1.StudentAtRisk); c.Status != "True" {
			return fmt.Errorf("AtRisk %+v", c)
		}
		return nil
	}
}

// TestDefaultStepsDayByDay: the school plan's ladder (002) as the default terms give it. Day 1:
// the homeroom teacher calls the guardian and visits; day 2: a visit with the prevention group;
// day 3: the case, at SchoolReported, with the village cadre on it from the first day.
func TestDefaultStepsDayByDay(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-dan", 3, village))
	days := schoolDays("2026-11-02", 3)

	setToday(days[0])
	rollCall(t, ns, 3, days[0], "stu-dan")
	s := waitStudent(t, ns, "stu-dan", "day 1: call and visit due", stepsDue("contact-guardian", v1.ActionPhoneCall, v1.ActionHomeVisit))
	for _, a := range s.Status.DueActions {
		if a.DueBy < days[0] || a.Line != v1.LineEducation || !slices.Contains(a.Roles, v1.RoleHomeroomTeacher) {
			t.Errorf("day 1 due action %+v: want the homeroom teacher, due on or after %s", a, days[0])
		}
	}

	setToday(days[1])
	rollCall(t, ns, 3, days[1], "stu-dan")
	s = waitStudent(t, ns, "stu-dan", "day 2: group visit due", stepsDue("group-visit", v1.ActionHomeVisit))
	for _, a := range s.Status.DueActions {
		if a.Step == "group-visit" && !slices.Contains(a.Roles, v1.RoleGradeLeader) {
			t.Errorf("day 2 visit %+v: want the prevention group (GradeLeader) with the teacher", a)
		}
	}

	setToday(days[2])
	rollCall(t, ns, 3, days[2], "stu-dan")
	dc := waitCase(t, ns, "stu-dan-do-20261102", "day 3: the case", atStage(v1.StageSchoolReported))
	if g := dc.Status.Assignees.Government; len(g) == 0 || g[0].Role != v1.RoleVillageCadre || g[0].Name != "Cadre Hu" {
		t.Errorf("government assignees at opening %+v: want the village cadre Cadre Hu", g)
	}
}

// TestCumulativeAbsencesOnAlternateDays: a child away every other day never has a run of two,
// but a county step of 3 unexcused days within 6 school days makes it at risk, on a day it is
// present.
func TestCumulativeAbsencesOnAlternateDays(t *testing.T) {
	ns := newNamespace(t)
	objs := countyAgreements(ns)
	for _, o := range objs {
		if a := o.(*v1.ResponsibilityAgreement); a.Name == "g5c3" {
			steps := append(policy.DefaultSteps(), v1.LadderStep{Name: "cumulative", Description: "六个教学日内旷课三天",
				When:    v1.StepTrigger{UnexcusedDays: ptr[int32](3), WithinSchoolDays: ptr[int32](6)},
				Actions: []v1.StepAction{{Type: v1.ActionHomeVisit, Line: v1.LineEducation, Roles: []v1.Role{v1.RoleHomeroomTeacher}}}})
			a.Spec.Terms.Escalation.Steps = steps
		}
	}
	create(t, objs...)
	create(t, student(ns, "stu-eve", 3, village))
	days := schoolDays("2026-11-02", 6)
	for i, d := range days {
		setToday(d)
		away := i%2 == 0
		if away {
			rollCall(t, ns, 3, d, "stu-eve")
		} else {
			rollCall(t, ns, 3, d)
		}
		if i == len(days)-1 {
			break
		}
		// Each day is seen before the next comes, as school days are a day apart.
		waitStudent(t, ns, "stu-eve", fmt.Sprintf("day %d seen", i+1), func(s *v1.Student) error {
			if run := s.Status.Attendance.ConsecutiveUnexcusedDays; (run == 1) != away {
				return fmt.Errorf("run %d on day %d", run, i+1)
			}
			if i == 3 && len(s.Status.DueActions) > 0 {
				return fmt.Errorf("due %v with two days away in the window", dueSteps(s))
			}
			return nil
		})
	}
	waitStudent(t, ns, "stu-eve", "day 6, present: three days away in six", func(s *v1.Student) error {
		if err := stepsDue("cumulative", v1.ActionHomeVisit)(s); err != nil {
			return err
		}
		if run := s.Status.Attendance.ConsecutiveUnexcusedDays; run != 0 {
			return fmt.Errorf("run %d: day 6 not seen yet", run)
		}
		if c := condition(s.Status.Conditions, v1.StudentAtRisk); c.Reason != v1.ReasonCumulativeAbsence {
			return fmt.Errorf("AtRisk reason %q, want %s", c.Reason, v1.ReasonCumulativeAbsence)
		}
		return nil
	})
	if n := len(listCases(t, ns)); n != 0 {
		t.Errorf("%d cases: a cumulative step before a case opens none", n)
	}
}

func ptr[T any](v T) *T { return &v }

// countyTermsYAML is a county's terms as its GitOps repository holds them: the case opens after
// 5 school days and goes to the township after 10 (a county variant of 002's 3 days).
const countyTermsYAML = `apiVersion: kongchuo.io/v1alpha1
kind: ResponsibilityAgreement
metadata:
  name: county-education
  namespace: %s
spec:
  line: Education
  issuer: {role: CountyGovernment, name: County Government}
  responsible: {role: CountyBureau, name: County Bureau}
  effective: {from: "2026-09-01"}
  terms:
    escalation:
      schoolReportAfterDays: 5
      townshipReportAfterDays: 10
`

// TestCountyOverrideByApply: a county's variant of the ladder arrives as a server-side apply of
// its terms (what Flux or Argo CD sends), and the case opens on the fifth day, not the third.
func TestCountyOverrideByApply(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	u := &unstructured.Unstructured{}
	if err := yaml.Unmarshal([]byte(fmt.Sprintf(countyTermsYAML, ns)), &u.Object); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Apply(context.Background(), client.ApplyConfigurationFromUnstructured(u), client.FieldOwner("gitops"), client.ForceOwnership); err != nil {
		t.Fatalf("applying the county's terms: %v", err)
	}
	create(t, student(ns, "stu-fay", 3, village))
	days := schoolDays("2026-11-02", 5)
	for i, d := range days {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-fay")
		waitStudent(t, ns, "stu-fay", fmt.Sprintf("day %d seen", i+1), absentDays(int32(i+1)))
		if i == 3 {
			if n := len(listCases(t, ns)); n != 0 {
				t.Fatalf("%d cases after 4 days: the county's terms say 5", n)
			}
		}
	}
	waitCase(t, ns, "stu-fay-do-20261102", "the case on day 5", atStage(v1.StageSchoolReported))
}
