package controllers_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

const (
	school   v1.SchoolCode   = "5201210001"
	township v1.TownshipCode = "520121100"
	village  v1.VillageCode  = "520121100201"
	village2 v1.VillageCode  = "520121100202"
)

var idSeq = 100

// student makes an enrolled child of grade 5 (born 2016) in a class, living in a village.
func student(ns, name string, class int32, vil v1.VillageCode) *v1.Student {
	idSeq++
	return &v1.Student{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1.StudentSpec{
			Name:          "Test Child",
			StudentNumber: "G" + registry.MakeResidentID(fmt.Sprintf("52%04d", idSeq/1000), "2016-03-01", idSeq%1000),
			BirthDate:     "2016-03-01",
			Residence:     v1.Residence{Township: township, Village: vil},
			Enrolment:     v1.Enrolment{Status: v1.EnrolmentEnrolled, School: school, Grade: 5, Class: class},
		},
	}
}

func agreement(ns, name string, line v1.Line, role v1.Role, person string, scope v1.Scope) *v1.ResponsibilityAgreement {
	issuer := v1.Party{Role: v1.RoleCountyBureau, Name: "County Bureau"}
	if line == v1.LineGovernment {
		issuer.Role = v1.RoleCountyGovernment
	}
	return &v1.ResponsibilityAgreement{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: ns},
		Spec: v1.ResponsibilityAgreementSpec{
			Line: line, Issuer: issuer, Responsible: v1.Party{Role: role, Name: person},
			Scope: scope, Effective: v1.Period{From: "2026-09-01"},
		},
	}
}

// countyAgreements are a principal, homeroom teachers of classes 1 and 3 of grade 5, a township
// cadre and a village cadre for each village.
func countyAgreements(ns string) []client.Object {
	return []client.Object{
		agreement(ns, "principal", v1.LineEducation, v1.RolePrincipal, "Principal Li", v1.Scope{School: school, Catchment: []v1.VillageCode{village}}),
		agreement(ns, "g5c1", v1.LineEducation, v1.RoleHomeroomTeacher, "Teacher Wang", v1.Scope{School: school, Grade: 5, Class: 1}),
		agreement(ns, "g5c3", v1.LineEducation, v1.RoleHomeroomTeacher, "Teacher Zhao", v1.Scope{School: school, Grade: 5, Class: 3}),
		agreement(ns, "township", v1.LineGovernment, v1.RoleTownshipCadre, "Cadre Chen", v1.Scope{Township: township}),
		agreement(ns, "village", v1.LineGovernment, v1.RoleVillageCadre, "Cadre Hu", v1.Scope{Township: township, Village: village}),
		agreement(ns, "village2", v1.LineGovernment, v1.RoleVillageCadre, "Cadre Ma", v1.Scope{Township: township, Village: village2}),
	}
}

var reportSeq int

// rollCall creates the class's report for a date; absent children are unexcused.
func rollCall(t *testing.T, ns string, class int32, date v1.Date, absent ...string) *v1.AttendanceReport {
	t.Helper()
	reportSeq++
	r := &v1.AttendanceReport{
		ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("att-%d-%s-%d", class, date, reportSeq), Namespace: ns},
		Spec:       v1.AttendanceReportSpec{School: school, Grade: 5, Class: class, Date: date, Reporter: "homeroom"},
	}
	for _, a := range absent {
		r.Spec.Absences = append(r.Spec.Absences, v1.Absence{Student: a, Kind: "Unexcused"})
	}
	create(t, r)
	return r
}

// schoolDays lists n weekdays from a date on.
func schoolDays(from v1.Date, n int) []v1.Date {
	var out []v1.Date
	d, _ := time.Parse("2006-01-02", string(from))
	for len(out) < n {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append(out, v1.Date(d.Format("2006-01-02")))
		}
		d = d.AddDate(0, 0, 1)
	}
	return out
}

// waitStudent waits until the student's status satisfies check.
func waitStudent(t *testing.T, ns, name, what string, check func(*v1.Student) error) *v1.Student {
	t.Helper()
	var s v1.Student
	eventually(t, what, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &s); err != nil {
			return err
		}
		return check(&s)
	})
	return &s
}

// waitCase waits until the case's status satisfies check.
func waitCase(t *testing.T, ns, name, what string, check func(*v1.DropoutCase) error) *v1.DropoutCase {
	t.Helper()
	var dc v1.DropoutCase
	eventually(t, what, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &dc); err != nil {
			return err
		}
		return check(&dc)
	})
	return &dc
}

func atStage(stage v1.Stage) func(*v1.DropoutCase) error {
	return func(dc *v1.DropoutCase) error {
		if dc.Status.Stage != stage {
			return fmt.Errorf("stage %q, want %q", dc.Status.Stage, stage)
		}
		return nil
	}
}

func absentDays(n int32) func(*v1.Student) error {
	return func(s *v1.Student) error {
		if got := s.Status.Attendance.ConsecutiveUnexcusedDays; got != n {
			return fmt.Errorf("consecutive unexcused days %d, want %d", got, n)
		}
		return nil
	}
}

// record appends actions to a case, as staff (or kubectl kongchuo record) would.
func record(t *testing.T, ns, name string, actions ...v1.CaseAction) {
	t.Helper()
	ctx := context.Background()
	var dc v1.DropoutCase
	if err := k8s.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &dc); err != nil {
		t.Fatal(err)
	}
	patch := client.MergeFrom(dc.DeepCopy())
	dc.Spec.Actions = append(dc.Spec.Actions, actions...)
	if err := k8s.Patch(ctx, &dc, patch); err != nil {
		t.Fatal(err)
	}
}

func action(typ v1.ActionType, date v1.Date, line v1.Line) v1.CaseAction {
	return v1.CaseAction{Type: typ, Date: date, By: "staff", Line: line}
}

func listCases(t *testing.T, ns string) []v1.DropoutCase {
	t.Helper()
	var list v1.DropoutCaseList
	if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		t.Fatal(err)
	}
	return list.Items
}
