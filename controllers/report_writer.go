package controllers

import (
	"context"
	"fmt"
	"time"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// ReportWriter writes each scope's monthly report (月报) once, on its cut-off day: a school's for
// its school agreement (education line), a township's for its township agreement (government
// line), the county's for the county agreement of the education line (the county bureau). The
// figures come from the rollup (one tally per scope, whatever its size), the cases of the scope
// and the month's class records; a township's and the county's reporting compliance is the sum of
// their school reports'. Nothing is listed per event: the work happens once per scope per month.
type ReportWriter struct {
	client.Client
	Options
	// Agreements measures the agreements: its rollup and inherited terms are the report's.
	Agreements *ResponsibilityAgreementReconciler
	// Cases and Students are the cache's, read in place: a report reads every case of its county
	// and each case's child, 96 reports of 2,600 cases on a county's cut-off day.
	Cases    cachedCases
	Students cachedStudents
}

// Reconcile writes the agreement's reports due today (this month's report, and in January and
// July the semester and school-year summaries) if today is on or after its cut-off day and they
// are not there yet, and requeues for the next cut-off day.
func (w *ReportWriter) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var a v1.ResponsibilityAgreement
	if err := w.Get(ctx, req.NamespacedName, &a); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	level, code, ok := reportScope(&a)
	if !ok {
		return ctrl.Result{}, nil
	}
	_, today := w.today()
	terms, err := w.Agreements.inheritedTerms(ctx, &a, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	s := policy.ScheduleFor(level, terms.Reporting, today)
	if policy.IsActive(&a, today) && s.ReportDue(today) {
		if wait, err := w.writeDue(ctx, &a, level, code, terms, today); err != nil || wait {
			return ctrl.Result{RequeueAfter: pendingRecheck}, err
		}
	}
	next := s.CutOff
	if !today.Before(next) {
		next = policy.ScheduleFor(level, terms.Reporting, s.CutOff.AddDate(0, 1, 0)).CutOff
	}
	return w.requeueAt(&next), nil
}

// writeDue writes the month's report, then the summaries written this month (they share the
// monthly report's cut-off day). It waits (true) while any of them waits.
func (w *ReportWriter) writeDue(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, code string,
	terms v1.Terms, today time.Time) (bool, error) {
	schedules := []policy.ReportSchedule{policy.ScheduleFor(level, terms.Reporting, today)}
	for _, p := range policy.SummaryPeriods {
		if s, ok := policy.PeriodSchedule(p, level, terms.Reporting, today); ok {
			schedules = append(schedules, s)
		}
	}
	waiting := false
	for _, s := range schedules {
		wait, err := w.writeOnce(ctx, a, level, code, s, terms, today)
		if err != nil {
			return false, fmt.Errorf("writing the %s report %s: %w", s.Period, s.Name(level, code), err)
		}
		waiting = waiting || wait
	}
	return waiting, nil
}

// writeOnce gathers the figures and creates the report unless it exists. It waits (true) while
// children in scope have no current status yet, and on the cut-off day while school reports a
// township or county report sums up are not written yet: the figures would be wrong, and are
// written once.
func (w *ReportWriter) writeOnce(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, code string,
	s policy.ReportSchedule, terms v1.Terms, today time.Time) (bool, error) {
	var existing v1.MonthlyReport
	err := w.Get(ctx, client.ObjectKey{Namespace: a.Namespace, Name: s.Name(level, code)}, &existing)
	if err == nil || client.IgnoreNotFound(err) != nil {
		return false, client.IgnoreNotFound(err)
	}
	tally := w.Agreements.Rollup.TallyOf(a)
	if tally.Pending > 0 {
		return true, nil
	}
	reporting, wait, err := w.compliance(ctx, a, level, code, s, terms, today)
	if err != nil || wait {
		return wait, err
	}
	cases, err := w.scopeCases(ctx, a, level, s.From)
	if err != nil {
		return false, err
	}
	intake, err := w.intake(ctx, a.Namespace, level, code, s)
	if err != nil {
		return false, err
	}
	f := policy.MonthlyFigures(policy.ReportInputs{Schedule: s, Tally: tally, Terms: terms, Cases: cases, Reporting: reporting,
		Location: w.Location, Intake: intake})
	return false, createReport(ctx, w.Client, newReport(a, level, code, s, f))
}

// intake is a school-year summary's grade-7 intake: the grade-7 count of the scope's monthly
// report of the first month of the school year two years before (policy.IntakeMonth), read by
// name. Nil for other reports and when that report does not exist (the county started later).
func (w *ReportWriter) intake(ctx context.Context, ns string, level v1.ReportLevel, code string, s policy.ReportSchedule) (*policy.Intake, error) {
	if s.Period != v1.PeriodSchoolYear {
		return nil, nil
	}
	return intakeReport(ctx, w, ns, level, code, policy.IntakeMonth(w.schoolAge(ns), s))
}

// intakeReport is the grade-7 count of a scope's report of a month, read by name; nil when that
// report does not exist (the county started later).
func intakeReport(ctx context.Context, c client.Reader, ns string, level v1.ReportLevel, code, month string) (*policy.Intake, error) {
	name := policy.ReportName(level, code, month)
	var mr v1.MonthlyReport
	if err := c.Get(ctx, client.ObjectKey{Namespace: ns, Name: name}, &mr); err != nil {
		return nil, client.IgnoreNotFound(err)
	}
	return &policy.Intake{Report: name, Grade7: mr.Spec.Figures.Coverage.Grade7}, nil
}

// scopeCases are the cases of the children in the agreement's scope that can count in a report
// whose period starts on from (policy.KeepCase): one list of the county's cases (far fewer than
// its children) per report.
func (w *ReportWriter) scopeCases(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, from time.Time) ([]*v1.DropoutCase, error) {
	cases, err := w.Cases.inNamespace(ctx, a.Namespace)
	if err != nil {
		return nil, fmt.Errorf("listing the county's cases: %w", err)
	}
	var out []*v1.DropoutCase
	for _, dc := range cases {
		if !policy.KeepCase(dc, from, w.Location) {
			continue
		}
		in, err := w.caseInScope(ctx, a, level, dc)
		if err != nil {
			return nil, err
		}
		if in {
			out = append(out, dc)
		}
	}
	return out, nil
}

func (w *ReportWriter) caseInScope(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, dc *v1.DropoutCase) (bool, error) {
	if level == v1.ReportCounty {
		return true, nil
	}
	s, err := w.Students.get(ctx, dc.Namespace, dc.Spec.Student)
	if err != nil || s == nil {
		return false, err
	}
	return policy.Covers(a, s), nil
}

// compliance is a school's roll-call reporting over the period, from its classes' records, or
// the sum of the school reports of a township or the county of the same period. A township or
// county waits (true) on its cut-off day while a school report it sums up is not written yet.
func (w *ReportWriter) compliance(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, code string,
	s policy.ReportSchedule, terms v1.Terms, today time.Time) (v1.ReportCompliance, bool, error) {
	var sum v1.ReportCompliance
	if level != v1.ReportSchool {
		children, err := childReports(ctx, w, a.Namespace, parentKey(level, s.Period, code, s.Month))
		if err != nil {
			return sum, false, err
		}
		expected, err := w.expectedSchoolReports(ctx, a.Namespace, level, code, s.Period, terms, today)
		if err != nil {
			return sum, false, err
		}
		written := make([]string, 0, len(children))
		for _, c := range children {
			written = append(written, c.Name)
			policy.AddCompliance(&sum, c.Spec.Figures.Reporting)
		}
		_, wait := policy.SchoolReportsMissing(expected, written, s, today)
		return sum, wait, nil
	}
	classes := map[string][]v1.Date{}
	for _, month := range s.MonthsCovered() {
		var list v1.ClassAttendanceList
		if err := w.List(ctx, &list, client.InNamespace(a.Namespace), client.MatchingFields{indexRecordSchoolMonth: code + "/" + month}, client.UnsafeDisableDeepCopy); err != nil {
			return sum, false, fmt.Errorf("listing the class records of school %s: %w", code, err)
		}
		for _, rec := range list.Items {
			key := classKey(rec.Spec.School, rec.Spec.Grade, rec.Spec.Class)
			for _, d := range rec.Spec.Days {
				classes[key] = append(classes[key], d.Date)
			}
		}
	}
	return policy.ClassesCompliance(classes, s), false, nil
}

// expectedSchoolReports are the names of the school reports of a period a township or county
// report sums up: those of the active school agreements summed into it whose cut-off day (under
// the township's or county's terms) has come. One look at the education line's agreements in the
// cache, read in place, on the cut-off day only.
func (w *ReportWriter) expectedSchoolReports(ctx context.Context, ns string, level v1.ReportLevel, code string,
	period v1.ReportPeriod, terms v1.Terms, today time.Time) ([]string, error) {
	s, ok := policy.PeriodSchedule(period, v1.ReportSchool, terms.Reporting, today)
	if !ok || !s.ReportDue(today) {
		return nil, nil
	}
	line, err := w.Agreements.Agreements.byField(ctx, ns, indexAgreementLine, string(v1.LineEducation))
	if err != nil {
		return nil, fmt.Errorf("listing the education line's agreements: %w", err)
	}
	var out []string
	for _, sa := range line {
		l, school, ok := reportScope(sa)
		if !ok || l != v1.ReportSchool || !policy.IsActive(sa, today) || (level == v1.ReportTownship && string(schoolTownship(sa)) != code) {
			continue
		}
		out = append(out, s.Name(v1.ReportSchool, school))
	}
	return out, nil
}

// reportScope is the level and code of the report an agreement answers for, if any.
func reportScope(a *v1.ResponsibilityAgreement) (v1.ReportLevel, string, bool) {
	sc := a.Spec.Scope
	switch level := policy.ScopeLevel(sc); {
	case level == policy.LevelSchool && a.Spec.Line == v1.LineEducation:
		return v1.ReportSchool, string(sc.School), true
	case level == policy.LevelTownship && a.Spec.Line == v1.LineGovernment:
		return v1.ReportTownship, string(sc.Township), true
	case level == policy.LevelCounty && a.Spec.Line == v1.LineEducation:
		return v1.ReportCounty, "", true
	}
	return "", "", false
}

// specOrAnnotations passes spec changes, and annotation changes (a person, or a test after moving
// its clock, asking for a look now rather than at the requeue).
var specOrAnnotations = predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{})

// SetupWithManager runs the writer as its own controller over the agreements' spec changes; each
// agreement then requeues itself for its next cut-off day.
func (w *ReportWriter) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named("monthlyreport-writer").
		For(&v1.ResponsibilityAgreement{}, builder.WithPredicates(specOrAnnotations)).
		Complete(w)
}
