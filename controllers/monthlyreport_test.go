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

// waitReport waits until the named monthly report exists and satisfies check.
func waitReport(t *testing.T, ns, name, what string, check func(*v1.MonthlyReport) error) *v1.MonthlyReport {
	t.Helper()
	var mr v1.MonthlyReport
	eventually(t, what, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, &mr); err != nil {
			return err
		}
		return check(&mr)
	})
	return &mr
}

func reportCondition(typ, want string) func(*v1.MonthlyReport) error {
	return func(mr *v1.MonthlyReport) error {
		if got := condition(mr.Status.Conditions, typ).Status; string(got) != want {
			return fmt.Errorf("%s is %q, want %q", typ, got, want)
		}
		return nil
	}
}

// TestMonthlyReportsOnTheirCutOffDays: a month of school days makes the school report on the
// 23rd and the township and county reports on the 25th, with the month's figures; the school
// report left unconfirmed past its due day is Late (with an Event); a confirmed report is
// immutable, and only its responsible person can confirm it in their own name.
func TestMonthlyReportsOnTheirCutOffDays(t *testing.T) {
	ns := newNamespace(t)
	objs := countyAgreements(ns)
	bureau := agreement(ns, "bureau", v1.LineEducation, v1.RoleCountyBureau, "Director Zhou", v1.Scope{})
	bureau.Spec.Terms.Targets = v1.Targets{PrimaryEnrolment: pct("100")}
	bureau.Spec.Terms.Assessment = v1.Assessment{VetoAboveDropout: pct("1"), Months: []int32{11}}
	create(t, append(objs, bureau)...)
	for i := 0; i < 4; i++ {
		create(t, student(ns, fmt.Sprintf("stu-m%d", i), 3, village))
	}
	create(t, student(ns, "stu-m4", 1, village2))

	// Three weeks: stu-m0 is away ten days (its case reaches the township), then back; stu-m1
	// is away the last three days (a new suspected dropout); class 1 misses one roll call.
	days := schoolDays("2026-11-02", 15)
	for i, d := range days {
		setToday(d)
		var absent []string
		if i < 10 {
			absent = append(absent, "stu-m0")
		}
		if i >= 12 {
			absent = append(absent, "stu-m1")
		}
		rollCall(t, ns, 3, d, absent...)
		if d != "2026-11-10" {
			rollCall(t, ns, 1, d)
		}
		if i == 9 {
			dc := waitCase(t, ns, "stu-m0-do-20261102", "confirmed", atStage(v1.StageTownshipReported))
			patch := client.MergeFrom(dc.DeepCopy())
			dc.Spec.Placement = v1.PlacementOwnSchool
			if err := k8s.Patch(context.Background(), dc, patch); err != nil {
				t.Fatal(err)
			}
		}
	}
	waitCase(t, ns, "stu-m0-do-20261102", "returned", atStage(v1.StageReturned))
	waitCase(t, ns, "stu-m1-do-20261118", "suspected", atStage(v1.StageSchoolReported))

	setToday("2026-11-22")
	poke(t, objs[0])
	schoolName := "school-" + string(school) + "-202611"
	// The writer ran for the poke (the agreements' status shows it is reconciled, and the cut-off
	// is tomorrow): no report yet.
	waitAgreement(t, ns, "principal", "measured", func(*v1.ResponsibilityAgreement) error { return nil })
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: schoolName}, &v1.MonthlyReport{}); err == nil {
		t.Fatal("the school report was written before its cut-off day")
	}

	setToday("2026-11-23")
	poke(t, objs[0])
	sr := waitReport(t, ns, schoolName, "school report on the 23rd", reportCondition(v1.ReportLate, "False"))
	f := sr.Spec.Figures
	if sr.Spec.CutOff != "2026-11-23" || sr.Spec.Due != "2026-11-23" || sr.Spec.Township != township || f.From != "2026-10-23" || f.To != "2026-11-22" {
		t.Errorf("schedule %+v, period %s..%s", sr.Spec, f.From, f.To)
	}
	if f.Coverage.Children != 5 || f.Coverage.OpenCases.Returned != 1 || f.Coverage.OpenCases.SchoolReported != 1 {
		t.Errorf("coverage %+v", f.Coverage)
	}
	if f.NewSuspected != 2 || f.NewConfirmed != 1 || f.Returned != (v1.ReturnedCounts{Total: 1, OwnSchool: 1}) {
		t.Errorf("new %d confirmed %d returned %+v", f.NewSuspected, f.NewConfirmed, f.Returned)
	}
	if f.Reporting != (v1.ReportCompliance{SchoolDays: 15, RollCalls: 29, MissingRollCalls: 1, ClassesMissing: 1}) {
		t.Errorf("reporting %+v", f.Reporting)
	}
	if len(f.Cases) != 2 || f.Cases[0].Event != v1.CaseEventReturned || f.Cases[1].Event != v1.CaseEventOpened {
		t.Errorf("cases %+v", f.Cases)
	}
	if f.Rates.SchoolYearDropout != "20" || f.Assessment == nil || !f.Assessment.Vetoed || f.Targets.PrimaryEnrolment == nil {
		t.Errorf("rates %+v targets %+v assessment %+v", f.Rates, f.Targets, f.Assessment)
	}
	if c := condition(sr.Status.Conditions, v1.ReportConfirmed); c.Status != metav1.ConditionFalse {
		t.Errorf("confirmed %+v", c)
	}

	setToday("2026-11-24")
	poke(t, sr)
	waitReport(t, ns, schoolName, "late on the 24th", reportCondition(v1.ReportLate, "True"))
	eventually(t, "a Late event", func() error {
		var evs eventsv1.EventList
		if err := k8s.List(context.Background(), &evs, client.InNamespace(ns)); err != nil {
			return err
		}
		for _, e := range evs.Items {
			if e.Reason == "Late" && e.Regarding.Name == schoolName {
				return nil
			}
		}
		return fmt.Errorf("no Late event among %d", len(evs.Items))
	})

	setToday("2026-11-25")
	poke(t, objs[3])
	poke(t, bureau)
	tr := waitReport(t, ns, "township-"+string(township)+"-202611", "township report on the 25th", func(mr *v1.MonthlyReport) error {
		if len(mr.Status.Schools) != 1 || !mr.Status.Schools[0].Late || mr.Status.Schools[0].Report != schoolName {
			return fmt.Errorf("schools %+v", mr.Status.Schools)
		}
		return nil
	})
	if tr.Spec.Figures.Reporting.RollCalls != 29 || tr.Spec.Figures.Coverage.Children != 5 || tr.Spec.Figures.From != "2026-10-25" {
		t.Errorf("township figures %+v", tr.Spec.Figures)
	}
	cr := waitReport(t, ns, "county-202611", "county report on the 25th", reportCondition(v1.ReportLate, "False"))
	// The child is back: no confirmed dropout is open, so the enrolment target is met, but the
	// school year's dropout rate (1 of 5) is above the veto's 1 %.
	if cr.Spec.Figures.Reporting.MissingRollCalls != 1 || cr.Spec.Figures.Coverage.Children != 5 || !cr.Spec.Figures.TargetsMet ||
		cr.Spec.Figures.Assessment == nil || !cr.Spec.Figures.Assessment.Vetoed {
		t.Errorf("county figures %+v", cr.Spec.Figures)
	}

	confirmsAsTheResponsiblePerson(t, ns, cr)
}

// confirmsAsTheResponsiblePerson confirms the county report as the director and checks that
// nobody can confirm in another's name, and that a confirmed report cannot change.
func confirmsAsTheResponsiblePerson(t *testing.T, ns string, mr *v1.MonthlyReport) {
	t.Helper()
	ctx := context.Background()
	cfg, err := env.UserConfig(ctx, "director-zhou", ns, "kongchuo_editor_role.yaml")
	if err != nil {
		t.Fatal(err)
	}
	director, err := client.New(cfg, client.Options{Scheme: env.Scheme})
	if err != nil {
		t.Fatal(err)
	}
	confirm := func(by string) error {
		var cur v1.MonthlyReport
		if err := director.Get(ctx, client.ObjectKeyFromObject(mr), &cur); err != nil {
			return err
		}
		patch := client.MergeFrom(cur.DeepCopy())
		cur.Spec.Confirmation = &v1.Confirmation{By: by, At: metav1.NewTime(clock.Now())}
		return director.Patch(ctx, &cur, patch)
	}
	if err := confirm("someone-else"); err == nil || !strings.Contains(err.Error(), "own name") {
		t.Errorf("confirmed in another's name: %v", err)
	}
	if err := confirm("director-zhou"); err != nil {
		t.Fatal(err)
	}
	waitReport(t, ns, mr.Name, "confirmed", reportCondition(v1.ReportConfirmed, "True"))

	for what, change := range map[string]func(*v1.MonthlyReport){
		"figures":      func(m *v1.MonthlyReport) { m.Spec.Figures.NewConfirmed++ },
		"confirmation": func(m *v1.MonthlyReport) { m.Spec.Confirmation.At = metav1.NewTime(clock.Now().AddDate(0, 0, -3)) },
		"unconfirm":    func(m *v1.MonthlyReport) { m.Spec.Confirmation = nil },
	} {
		var cur v1.MonthlyReport
		if err := k8s.Get(ctx, client.ObjectKeyFromObject(mr), &cur); err != nil {
			t.Fatal(err)
		}
		change(&cur)
		if err := k8s.Update(ctx, &cur); err == nil {
			t.Errorf("a confirmed report's %s changed", what)
		}
	}
}
