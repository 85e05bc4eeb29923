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
}

// Reconcile writes the agreement's report for this month if today is on or after its cut-off day
// and it is not there yet, and requeues for the next cut-off day.
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
		if wait, err := w.writeOnce(ctx, &a, level, code, s, terms, today); err != nil || wait {
			return ctrl.Result{RequeueAfter: pendingRecheck}, err
		}
	}
	next := s.CutOff
	if !today.Before(next) {
		next = policy.ScheduleFor(level, terms.Reporting, s.CutOff.AddDate(0, 1, 0)).CutOff
	}
	return w.requeueAt(&next), nil
}

// writeOnce gathers the figures and creates the report unless it exists. It waits (true) while
// children in scope have no current status yet: the figures would be wrong, and are written once.
func (w *ReportWriter) writeOnce(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, code string,
	s policy.ReportSchedule, terms v1.Terms, today time.Time) (bool, error) {
	var existing v1.MonthlyReport
	err := w.Get(ctx, client.ObjectKey{Namespace: a.Namespace, Name: policy.ReportName(level, code, s.Month)}, &existing)
	if err == nil || client.IgnoreNotFound(err) != nil {
		return false, client.IgnoreNotFound(err)
	}
	tally := w.Agreements.Rollup.TallyOf(a)
	if tally.Pending > 0 {
		return true, nil
	}
	cases, err := w.scopeCases(ctx, a, level, today)
	if err != nil {
		return false, err
	}
	reporting, err := w.compliance(ctx, a, level, code, s)
	if err != nil {
		return false, err
	}
	f := policy.MonthlyFigures(policy.ReportInputs{Schedule: s, Tally: tally, Terms: terms, Cases: cases, Reporting: reporting, Location: w.Location})
	return false, createReport(ctx, w.Client, newReport(a, level, code, s, f))
}

// scopeCases are this school year's cases and the open cases of the children in the agreement's
// scope: one list of the county's cases (far fewer than its children) per report.
func (w *ReportWriter) scopeCases(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, today time.Time) ([]*v1.DropoutCase, error) {
	var list v1.DropoutCaseList
	if err := w.List(ctx, &list, client.InNamespace(a.Namespace), client.UnsafeDisableDeepCopy); err != nil {
		return nil, fmt.Errorf("listing the county's cases: %w", err)
	}
	yearStart := policy.FormatDate(w.schoolAge(a.Namespace).SchoolYearStart(today))
	var out []*v1.DropoutCase
	for i := range list.Items {
		dc := &list.Items[i]
		if dc.Spec.Opened < yearStart && !policy.Open(dc.Status.Stage) {
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
	var s v1.Student
	if err := w.Get(ctx, client.ObjectKey{Namespace: dc.Namespace, Name: dc.Spec.Student}, &s); err != nil {
		return false, client.IgnoreNotFound(err)
	}
	return policy.Covers(a, &s), nil
}

// compliance is a school's roll-call reporting over the period, from its classes' records, or
// the sum of the school reports of a township or the county.
func (w *ReportWriter) compliance(ctx context.Context, a *v1.ResponsibilityAgreement, level v1.ReportLevel, code string, s policy.ReportSchedule) (v1.ReportCompliance, error) {
	var sum v1.ReportCompliance
	if level != v1.ReportSchool {
		children, err := childReports(ctx, w, a.Namespace, parentKey(level, code, s.Month))
		for _, c := range children {
			policy.AddCompliance(&sum, c.Spec.Figures.Reporting)
		}
		return sum, err
	}
	classes := map[string][]v1.Date{}
	for _, month := range []string{s.From.Format("2006-01"), s.To.Format("2006-01")} {
		var list v1.ClassAttendanceList
		if err := w.List(ctx, &list, client.InNamespace(a.Namespace), client.MatchingFields{indexRecordSchoolMonth: code + "/" + month}, client.UnsafeDisableDeepCopy); err != nil {
			return sum, fmt.Errorf("listing the class records of school %s: %w", code, err)
		}
		for _, rec := range list.Items {
			key := classKey(rec.Spec.School, rec.Spec.Grade, rec.Spec.Class)
			for _, d := range rec.Spec.Days {
				classes[key] = append(classes[key], d.Date)
			}
		}
	}
	return policy.ClassesCompliance(classes, s), nil
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
