package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// MonthlyReportReconciler keeps a monthly report's status: Confirmed, Late (with an Event when it
// turns late) and, for a township, its schools' reports with their confirmation. All of it is
// derived from the reports' spec and the clock.
type MonthlyReportReconciler struct {
	client.Client
	Options
	Recorder events.EventRecorder
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=monthlyreports,verbs=get;list;watch;create
// +kubebuilder:rbac:groups=kongchuo.io,resources=monthlyreports/status,verbs=get;patch

// Reconcile judges the report on today and requeues for the day after its due day.
func (r *MonthlyReportReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var mr v1.MonthlyReport
	if err := r.Get(ctx, req.NamespacedName, &mr); err != nil {
		if apierrors.IsNotFound(err) {
			reportMetrics.observe(req.NamespacedName, "", false)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	now, today := r.today()
	before := mr.DeepCopy()
	standing := policy.StandingOf(mr.Spec, today, r.Location)
	schools, err := r.schoolReports(ctx, &mr, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	mr.Status.ObservedGeneration = mr.Generation
	mr.Status.Schools = schools
	setReportConditions(&mr, now, standing)
	if !equality.Semantic.DeepEqual(before.Status, mr.Status) {
		if err := r.Status().Patch(ctx, &mr, client.MergeFrom(before)); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching monthly report status: %w", err)
		}
	}
	reportMetrics.observe(req.NamespacedName, mr.Spec.Level, standing.Late)
	if standing.Late && !conditionTrue(before.Status.Conditions, v1.ReportLate) {
		r.Recorder.Eventf(&mr, nil, "Warning", "Late", "Confirm", "%s %s report %s: %s", mr.Spec.Level, policy.PeriodOrMonth(mr.Spec.Period), mr.Spec.Month, standing.Message)
	}
	if standing.Late || standing.Confirmed {
		return ctrl.Result{}, nil
	}
	due, err := policy.ParseDate(mr.Spec.Due)
	if err != nil {
		return ctrl.Result{}, nil // the CRD checks the date; nothing to wait for
	}
	next := policy.AddDays(due, 1)
	return r.requeueAt(&next), nil
}

func setReportConditions(mr *v1.MonthlyReport, now time.Time, st policy.ReportStanding) {
	gen, conds := mr.Generation, &mr.Status.Conditions
	if st.Confirmed {
		setCondition(conds, gen, now, v1.ReportConfirmed, true, "Confirmed", "confirmed by its responsible person")
	} else {
		setCondition(conds, gen, now, v1.ReportConfirmed, false, "NotConfirmed", "awaiting confirmation: kubectl kongchuo report confirm "+mr.Name)
	}
	setCondition(conds, gen, now, v1.ReportLate, st.Late, st.Reason, st.Message)
	setCondition(conds, gen, now, v1.ConditionReady, true, "Written", "figures written on the cut-off day "+string(mr.Spec.CutOff))
}

// schoolReports lists a township report's school reports and their confirmation, through the
// parent index.
func (r *MonthlyReportReconciler) schoolReports(ctx context.Context, mr *v1.MonthlyReport, today time.Time) ([]v1.SchoolReportState, error) {
	if mr.Spec.Level != v1.ReportTownship {
		return nil, nil
	}
	children, err := childReports(ctx, r, mr.Namespace, parentKey(v1.ReportTownship, mr.Spec.Period, string(mr.Spec.Township), mr.Spec.Month))
	if err != nil {
		return nil, err
	}
	var out []v1.SchoolReportState
	for _, c := range children {
		st := policy.StandingOf(c.Spec, today, r.Location)
		out = append(out, v1.SchoolReportState{Report: c.Name, School: c.Spec.School, Confirmed: st.Confirmed, Late: st.Late})
	}
	return out, nil
}

// childReports are the school reports summed into a township or county report of a period.
func childReports(ctx context.Context, c client.Reader, namespace, key string) ([]v1.MonthlyReport, error) {
	var list v1.MonthlyReportList
	if err := c.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{indexReportParent: key}); err != nil {
		return nil, fmt.Errorf("listing the school reports of %s: %w", key, err)
	}
	return list.Items, nil
}

// parentKey is the index key of the township or county report of a period kind and month a
// school report is summed into: a school's semester summary into its township's semester summary.
func parentKey(level v1.ReportLevel, period v1.ReportPeriod, code, month string) string {
	p := string(policy.PeriodOrMonth(period))
	if level == v1.ReportCounty {
		return "county/" + p + "/" + month
	}
	return "township/" + code + "/" + p + "/" + month
}

// reportParents are the index keys of a school report: its township's and the county's.
func reportParents(mr *v1.MonthlyReport) []string {
	if mr.Spec.Level != v1.ReportSchool {
		return nil
	}
	keys := []string{parentKey(v1.ReportCounty, mr.Spec.Period, "", mr.Spec.Month)}
	if mr.Spec.Township != "" {
		keys = append(keys, parentKey(v1.ReportTownship, mr.Spec.Period, string(mr.Spec.Township), mr.Spec.Month))
	}
	return keys
}

// SetupWithManager watches the reports; a school report's change wakes its township's report,
// named from its spec (no list).
func (r *MonthlyReportReconciler) SetupWithManager(mgr ctrl.Manager) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.MonthlyReport{}, builder.WithPredicates(specOrAnnotations)).
		Watches(&v1.MonthlyReport{}, handler.EnqueueRequestsFromMapFunc(townshipOfSchoolReport),
			builder.WithPredicates(reportStandingChanged{})).
		Complete(r)
}

func townshipOfSchoolReport(_ context.Context, o client.Object) []reconcile.Request {
	mr := o.(*v1.MonthlyReport)
	if mr.Spec.Level != v1.ReportSchool || mr.Spec.Township == "" {
		return nil
	}
	name := policy.PeriodReportName(v1.ReportTownship, mr.Spec.Period, string(mr.Spec.Township), mr.Spec.Month)
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: mr.Namespace, Name: name}}}
}

// reportStandingChanged passes a school report's creation, confirmation and turning late.
type reportStandingChanged struct{ predicate.Funcs }

func (reportStandingChanged) Update(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(*v1.MonthlyReport), e.ObjectNew.(*v1.MonthlyReport)
	return o.Generation != n.Generation ||
		conditionTrue(o.Status.Conditions, v1.ReportLate) != conditionTrue(n.Status.Conditions, v1.ReportLate)
}

// createReport creates a report once; a report already there (a lagging cache, a second
// agreement of the same scope) is the report.
func createReport(ctx context.Context, c client.Client, mr *v1.MonthlyReport) error {
	if err := c.Create(ctx, mr); err != nil && !apierrors.IsAlreadyExists(err) {
		return fmt.Errorf("creating monthly report %s: %w", mr.Name, err)
	}
	return nil
}

// newReport is a report object for a scope and schedule.
func newReport(a *v1.ResponsibilityAgreement, level v1.ReportLevel, code string, s policy.ReportSchedule, f v1.ReportFigures) *v1.MonthlyReport {
	mr := &v1.MonthlyReport{ObjectMeta: metav1.ObjectMeta{Namespace: a.Namespace, Name: s.Name(level, code)},
		Spec: v1.MonthlyReportSpec{Level: level, Period: s.Period, Month: s.Month, CutOff: policy.FormatDate(s.CutOff), Due: policy.FormatDate(s.Due),
			Agreement: a.Name, ScopeName: a.Spec.Responsible.Organisation, Figures: f}}
	switch level {
	case v1.ReportSchool:
		mr.Spec.School, mr.Spec.Township = a.Spec.Scope.School, schoolTownship(a)
	case v1.ReportTownship:
		mr.Spec.Township = a.Spec.Scope.Township
	}
	return mr
}

// schoolTownship is the township a school's report is summed into: that of its catchment villages
// (a village code begins with its township's).
func schoolTownship(a *v1.ResponsibilityAgreement) v1.TownshipCode {
	for _, v := range a.Spec.Scope.Catchment {
		if len(v) >= 9 {
			return v1.TownshipCode(v[:9])
		}
	}
	return ""
}
