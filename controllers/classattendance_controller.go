package controllers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// ClassAttendanceReconciler folds a class's roll calls (AttendanceReports) into its monthly
// ClassAttendance record: one write per class per school day, whatever the size of the class. It
// also checks each roll call against the class roster, holds roll calls dated in the future, and
// prunes roll calls once their day is safely in the record. It never writes a Student.
type ClassAttendanceReconciler struct {
	client.Client
	Options
	// Students are the cache's, read in place for a class's roster.
	Students cachedStudents
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=classattendances,verbs=get;list;watch;create;patch
// +kubebuilder:rbac:groups=kongchuo.io,resources=attendancereports,verbs=get;list;watch;delete
// +kubebuilder:rbac:groups=kongchuo.io,resources=attendancereports/status,verbs=get;patch

// Reconcile brings one class-month record up to date with the roll calls of that class and month.
func (r *ClassAttendanceReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	now, today := r.today()
	reports, err := r.reportsOf(ctx, req.NamespacedName)
	if err != nil {
		return ctrl.Result{}, err
	}
	var rec v1.ClassAttendance
	exists := true
	if err := r.Get(ctx, req.NamespacedName, &rec); apierrors.IsNotFound(err) {
		exists = false
	} else if err != nil {
		return ctrl.Result{}, fmt.Errorf("reading class record: %w", err)
	}
	if !exists && len(reports) == 0 {
		return ctrl.Result{}, nil
	}
	days, due, future := r.foldRecord(rec.Spec.Days, reports, now, today)
	if err := r.writeRecord(ctx, &rec, exists, req.NamespacedName, due, days); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.writeReportStatuses(ctx, req.Namespace, due, future, days, now); err != nil {
		return ctrl.Result{}, err
	}
	next, err := r.prune(ctx, due, days, now)
	if err != nil {
		return ctrl.Result{}, err
	}
	for _, rep := range future {
		if d, err := policy.ParseDate(rep.Spec.Date); err == nil {
			next = sooner(next, policy.StartOfDay(d, r.Location))
		}
	}
	if next.IsZero() {
		return ctrl.Result{}, nil
	}
	return ctrl.Result{RequeueAfter: max(next.Sub(now), time.Second)}, nil
}

// reportsOf lists the roll calls that belong to a class-month record.
func (r *ClassAttendanceReconciler) reportsOf(ctx context.Context, key types.NamespacedName) ([]*v1.AttendanceReport, error) {
	var list v1.AttendanceReportList
	if err := r.List(ctx, &list, client.InNamespace(key.Namespace), client.MatchingFields{indexReportRecord: key.Name}); err != nil {
		return nil, fmt.Errorf("listing reports of %s: %w", key.Name, err)
	}
	return byName(list.Items), nil
}

// byName points at each report of a list, in the order of their names.
func byName(items []v1.AttendanceReport) []*v1.AttendanceReport {
	out := make([]*v1.AttendanceReport, 0, len(items))
	for i := range items {
		out = append(out, &items[i])
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// foldRecord is what a class-month record's days become with its roll calls folded in; a roll
// call dated after today is held. It is the one rule by which the record is written and by which
// a child's reconcile tells whether the record has caught up with its roll calls.
func (o Options) foldRecord(recorded []v1.ClassDay, reports []*v1.AttendanceReport, now, today time.Time) (days []v1.ClassDay, due, future []*v1.AttendanceReport) {
	due, future = splitFuture(reports, today)
	return policy.FoldReports(recorded, classReports(due), o.mayBePruned(now)), due, future
}

// splitFuture separates roll calls dated after today: they are held, not folded, so a typo in a
// year cannot make a whole class "absent since" a day that has not come.
func splitFuture(reports []*v1.AttendanceReport, today time.Time) (due, future []*v1.AttendanceReport) {
	last := policy.FormatDate(today)
	for _, rep := range reports {
		if rep.Spec.Date > last {
			future = append(future, rep)
		} else {
			due = append(due, rep)
		}
	}
	return due, future
}

func classReports(reports []*v1.AttendanceReport) []policy.ClassReport {
	out := make([]policy.ClassReport, 0, len(reports))
	for _, rep := range reports {
		if cr, ok := toClassReport(rep); ok {
			out = append(out, cr)
		}
	}
	return out
}

// mayBePruned tells FoldReports whether a recorded day whose roll call is gone may have been
// pruned (so the day stays) or was deleted by a person within the retention period (so it goes):
// a roll call is never pruned before its day is ReportRetention old.
func (o Options) mayBePruned(now time.Time) func(v1.ClassDay) bool {
	return func(d v1.ClassDay) bool {
		day, err := policy.ParseDate(d.Date)
		return err != nil || !now.Before(policy.StartOfDay(day, o.Location).Add(o.ReportRetention))
	}
}

// writeRecord creates the record, or patches its days when they changed.
func (r *ClassAttendanceReconciler) writeRecord(ctx context.Context, rec *v1.ClassAttendance, exists bool, key types.NamespacedName,
	reports []*v1.AttendanceReport, days []v1.ClassDay) error {
	if !exists {
		if len(days) == 0 {
			return nil
		}
		first := reports[0].Spec
		month := policy.MustDate(days[0].Date)
		*rec = v1.ClassAttendance{
			ObjectMeta: metav1.ObjectMeta{Name: key.Name, Namespace: key.Namespace},
			Spec: v1.ClassAttendanceSpec{School: first.School, Grade: first.Grade, Class: first.Class, Month: month.Format("2006-01"),
				SchoolYear: policy.FormatDate(r.schoolAge(key.Namespace).SchoolYearStart(month)), Days: days},
		}
		if err := r.Create(ctx, rec); err != nil {
			return fmt.Errorf("creating class record %s: %w", key.Name, err)
		}
		return nil
	}
	if equality.Semantic.DeepEqual(rec.Spec.Days, days) {
		return nil
	}
	before := rec.DeepCopy()
	rec.Spec.Days = days
	if err := r.Patch(ctx, rec, client.MergeFrom(before)); err != nil {
		return fmt.Errorf("patching class record %s: %w", key.Name, err)
	}
	return nil
}

// writeReportStatuses records, on each roll call that needs it, what became of it. A roll call
// folded cleanly keeps an empty status: it costs no write of its own.
func (r *ClassAttendanceReconciler) writeReportStatuses(ctx context.Context, namespace string, due, future []*v1.AttendanceReport,
	days []v1.ClassDay, now time.Time) error {
	reports := append(append([]*v1.AttendanceReport{}, due...), future...)
	if len(reports) == 0 {
		return nil
	}
	roster, err := r.roster(ctx, namespace, reports[0].Spec)
	if err != nil {
		return err
	}
	winners := make(map[v1.Date]string, len(days))
	for _, d := range days {
		winners[d.Date] = d.Report
	}
	isFuture := make(map[string]bool, len(future))
	for _, rep := range future {
		isFuture[rep.Name] = true
	}
	for _, rep := range reports {
		want, err := r.reportStatus(ctx, rep, roster, winners[rep.Spec.Date], isFuture[rep.Name], now)
		if err != nil {
			return err
		}
		if equality.Semantic.DeepEqual(rep.Status, want) {
			continue
		}
		before := rep.DeepCopy()
		rep.Status = want
		if err := r.Status().Patch(ctx, rep, client.MergeFrom(before)); err != nil {
			return fmt.Errorf("patching report status: %w", err)
		}
	}
	return nil
}

// roster is the set of Students enrolled in the class of a roll call.
func (r *ClassAttendanceReconciler) roster(ctx context.Context, namespace string, spec v1.AttendanceReportSpec) (map[string]bool, error) {
	key := classKey(spec.School, spec.Grade, spec.Class)
	students, err := r.Students.byField(ctx, namespace, indexStudentClass, key)
	if err != nil {
		return nil, fmt.Errorf("listing roster of %s: %w", key, err)
	}
	out := make(map[string]bool, len(students))
	for _, s := range students {
		out[s.Name] = true
	}
	return out, nil
}

// reportStatus is the status a roll call should have: empty when it was folded cleanly.
func (r *ClassAttendanceReconciler) reportStatus(ctx context.Context, rep *v1.AttendanceReport, roster map[string]bool, winner string,
	future bool, now time.Time) (v1.AttendanceReportStatus, error) {
	var st v1.AttendanceReportStatus
	for _, a := range rep.Spec.Absences {
		if roster[a.Student] {
			continue
		}
		var s v1.Student
		err := r.Get(ctx, types.NamespacedName{Namespace: rep.Namespace, Name: a.Student}, &s)
		switch {
		case apierrors.IsNotFound(err):
			st.UnknownStudents = append(st.UnknownStudents, a.Student)
		case err != nil:
			return st, fmt.Errorf("looking up absent student: %w", err)
		default:
			st.NotOnRoster = append(st.NotOnRoster, a.Student)
		}
	}
	sort.Strings(st.UnknownStudents)
	sort.Strings(st.NotOnRoster)
	if winner != "" && winner != rep.Name {
		st.SupersededBy = winner
	}
	cond, needed := reportCondition(rep, st, len(roster), future)
	if !needed {
		return v1.AttendanceReportStatus{}, nil
	}
	st.ObservedGeneration = rep.Generation
	st.Conditions = append([]metav1.Condition{}, rep.Status.Conditions...)
	setCondition(&st.Conditions, rep.Generation, now, v1.ConditionReady, cond.Status == metav1.ConditionTrue, cond.Reason, cond.Message)
	return st, nil
}

// reportCondition is the Ready condition of a roll call that needs one: held, replaced, or naming
// children who are not on the roster. A clean roll call needs none.
func reportCondition(rep *v1.AttendanceReport, st v1.AttendanceReportStatus, rosterSize int, future bool) (metav1.Condition, bool) {
	problems := len(st.UnknownStudents) + len(st.NotOnRoster)
	switch {
	case future:
		return metav1.Condition{Status: metav1.ConditionFalse, Reason: "FutureDate",
			Message: fmt.Sprintf("dated %s, after today: held until that day, not counted; if the date is a typo, delete this report and submit it again", rep.Spec.Date)}, true
	case st.SupersededBy != "":
		return metav1.Condition{Status: metav1.ConditionTrue, Reason: "Superseded", Message: "a later report for the same class and date is used instead: " + st.SupersededBy}, true
	case problems > 0:
		return metav1.Condition{Status: metav1.ConditionFalse, Reason: "StudentsNotOnRoster",
			Message: fmt.Sprintf("%d absences name children not on this class roster (see status.unknownStudents and status.notOnRoster); submit a corrected report", problems)}, true
	case rosterSize == 0:
		return metav1.Condition{Status: metav1.ConditionFalse, Reason: "EmptyRoster", Message: "no Student is enrolled in this school, grade and class"}, true
	}
	return metav1.Condition{}, false
}

// prune deletes roll calls whose day is in the record and which are older than the retention
// period (by their day and by their arrival), and returns when the next one is due.
func (r *ClassAttendanceReconciler) prune(ctx context.Context, reports []*v1.AttendanceReport, days []v1.ClassDay, now time.Time) (time.Time, error) {
	recorded := make(map[v1.Date]bool, len(days))
	for _, d := range days {
		recorded[d.Date] = true
	}
	var next time.Time
	for _, rep := range reports {
		if !recorded[rep.Spec.Date] {
			continue
		}
		at := r.pruneTime(rep)
		if now.Before(at) {
			next = sooner(next, at)
			continue
		}
		logf.FromContext(ctx).Info("pruning attendance report folded into the class record", "report", rep.Name, "date", rep.Spec.Date)
		if err := r.Delete(ctx, rep); err != nil && !apierrors.IsNotFound(err) {
			return next, fmt.Errorf("pruning report: %w", err)
		}
	}
	return next, nil
}

// pruneTime is when a roll call may go: retained for the retention period after both the day it
// reports and the moment it arrived.
func (r *ClassAttendanceReconciler) pruneTime(rep *v1.AttendanceReport) time.Time {
	at := rep.CreationTimestamp.Add(r.ReportRetention)
	if d, err := policy.ParseDate(rep.Spec.Date); err == nil {
		if byDate := policy.StartOfDay(d, r.Location).Add(r.ReportRetention); byDate.After(at) {
			at = byDate
		}
	}
	return at
}

func sooner(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

// SetupWithManager keys the work by class-month record: every roll call of a class and month, and
// a Student named in one, wakes that record.
func (r *ClassAttendanceReconciler) SetupWithManager(mgr ctrl.Manager, workers int) error {
	return ctrl.NewControllerManagedBy(mgr).
		Named("classattendance").
		For(&v1.ClassAttendance{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1.AttendanceReport{}, handler.EnqueueRequestsFromMapFunc(r.recordOfReport), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1.Student{}, handler.EnqueueRequestsFromMapFunc(r.recordsNamingStudent), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Complete(r)
}

func (r *ClassAttendanceReconciler) recordOfReport(_ context.Context, o client.Object) []reconcile.Request {
	name, ok := reportRecordName(o.(*v1.AttendanceReport))
	if !ok {
		return nil
	}
	return []reconcile.Request{{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}}}
}

// recordsNamingStudent wakes the records of roll calls that name a Student: a child registered
// after the roll call named it is no longer unknown.
func (r *ClassAttendanceReconciler) recordsNamingStudent(ctx context.Context, o client.Object) []reconcile.Request {
	var list v1.AttendanceReportList
	if err := r.List(ctx, &list, client.InNamespace(o.GetNamespace()), client.MatchingFields{indexReportStudent: o.GetName()}, client.UnsafeDisableDeepCopy); err != nil {
		logf.FromContext(ctx).Error(err, "listing reports naming a student")
		return nil
	}
	seen := map[string]bool{}
	var reqs []reconcile.Request
	for i := range list.Items {
		if name, ok := reportRecordName(&list.Items[i]); ok && !seen[name] {
			seen[name] = true
			reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: name}})
		}
	}
	return reqs
}
