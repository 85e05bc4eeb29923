package controllers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// AttendanceReportReconciler checks a class's roll call against the roster and prunes old reports.
// The Students read the reports themselves; this reconciler never writes a Student.
type AttendanceReportReconciler struct {
	client.Client
	Options
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=attendancereports,verbs=get;list;watch;delete
// +kubebuilder:rbac:groups=kongchuo.io,resources=attendancereports/status,verbs=get;patch

// Reconcile records what the report named against the roster, and deletes it once retained long
// enough: the Students carry the days in status.attendance.recent.
func (r *AttendanceReportReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var rep v1.AttendanceReport
	if err := r.Get(ctx, req.NamespacedName, &rep); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	now, _ := r.today()
	if pruneAt := r.pruneTime(&rep); rep.Status.Processed && !now.Before(pruneAt) {
		logf.FromContext(ctx).Info("pruning processed attendance report", "report", rep.Name, "date", rep.Spec.Date)
		if err := r.Delete(ctx, &rep); err != nil && !apierrors.IsNotFound(err) {
			return ctrl.Result{}, fmt.Errorf("pruning report: %w", err)
		}
		return ctrl.Result{}, nil
	}
	before := rep.DeepCopy()
	if err := r.checkRoster(ctx, &rep); err != nil {
		return ctrl.Result{}, err
	}
	superseded, err := r.supersededBy(ctx, &rep)
	if err != nil {
		return ctrl.Result{}, err
	}
	rep.Status.SupersededBy = superseded
	rep.Status.ObservedGeneration = rep.Generation
	rep.Status.Processed = true
	rep.Status.AbsentCount = int32(len(rep.Spec.Absences))
	r.setReady(&rep, now)
	if !equality.Semantic.DeepEqual(before.Status, rep.Status) {
		if err := r.Status().Patch(ctx, &rep, client.MergeFrom(before)); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching report status: %w", err)
		}
	}
	// A report processed after its prune time (the manager was down) goes on the next pass: the
	// Students have read it by then, as they read every report when it arrives.
	return ctrl.Result{RequeueAfter: max(r.pruneTime(&rep).Sub(now), time.Second)}, nil
}

// pruneTime is when a report may go: retained for the retention period after both the day it
// reports and the moment it arrived, so a late report is still read before it is pruned.
func (r *AttendanceReportReconciler) pruneTime(rep *v1.AttendanceReport) time.Time {
	at := rep.CreationTimestamp.Add(r.ReportRetention)
	if d, err := policy.ParseDate(rep.Spec.Date); err == nil {
		if byDate := policy.StartOfDay(d, r.Location).Add(r.ReportRetention); byDate.After(at) {
			at = byDate
		}
	}
	return at
}

// checkRoster counts the class and lists absences that name nobody in the county, or a child
// enrolled in another class or school.
func (r *AttendanceReportReconciler) checkRoster(ctx context.Context, rep *v1.AttendanceReport) error {
	var roster v1.StudentList
	key := classKey(rep.Spec.School, rep.Spec.Grade, rep.Spec.Class)
	if err := r.List(ctx, &roster, client.InNamespace(rep.Namespace), client.MatchingFields{indexStudentClass: key}); err != nil {
		return fmt.Errorf("listing roster of %s: %w", key, err)
	}
	onRoster := make(map[string]bool, len(roster.Items))
	for _, s := range roster.Items {
		onRoster[s.Name] = true
	}
	rep.Status.RosterSize = int32(len(roster.Items))
	rep.Status.UnknownStudents, rep.Status.NotOnRoster = nil, nil
	for _, a := range rep.Spec.Absences {
		if onRoster[a.Student] {
			continue
		}
		var s v1.Student
		err := r.Get(ctx, types.NamespacedName{Namespace: rep.Namespace, Name: a.Student}, &s)
		switch {
		case apierrors.IsNotFound(err):
			rep.Status.UnknownStudents = append(rep.Status.UnknownStudents, a.Student)
		case err != nil:
			return fmt.Errorf("looking up absent student: %w", err)
		default:
			rep.Status.NotOnRoster = append(rep.Status.NotOnRoster, a.Student)
		}
	}
	sort.Strings(rep.Status.UnknownStudents)
	sort.Strings(rep.Status.NotOnRoster)
	return nil
}

func (r *AttendanceReportReconciler) supersededBy(ctx context.Context, rep *v1.AttendanceReport) (string, error) {
	var list v1.AttendanceReportList
	key := classKey(rep.Spec.School, rep.Spec.Grade, rep.Spec.Class)
	if err := r.List(ctx, &list, client.InNamespace(rep.Namespace), client.MatchingFields{indexReportClass: key}); err != nil {
		return "", fmt.Errorf("listing reports of %s: %w", key, err)
	}
	self, ok := toClassReport(rep)
	if !ok {
		return "", nil
	}
	var same []policy.ClassReport
	for i := range list.Items {
		if o, ok := toClassReport(&list.Items[i]); ok && o.Date.Equal(self.Date) {
			same = append(same, o)
		}
	}
	return policy.SupersededBy(self, same), nil
}

func (r *AttendanceReportReconciler) setReady(rep *v1.AttendanceReport, now time.Time) {
	problems := len(rep.Status.UnknownStudents) + len(rep.Status.NotOnRoster)
	switch {
	case rep.Status.SupersededBy != "":
		setCondition(&rep.Status.Conditions, rep.Generation, now, v1.ConditionReady, true, "Superseded", "a later report for the same class and date is used instead: "+rep.Status.SupersededBy)
	case problems > 0:
		setCondition(&rep.Status.Conditions, rep.Generation, now, v1.ConditionReady, false, "StudentsNotOnRoster",
			fmt.Sprintf("%d absences name children not on this class roster (see status.unknownStudents and status.notOnRoster); submit a corrected report", problems))
	case rep.Status.RosterSize == 0:
		setCondition(&rep.Status.Conditions, rep.Generation, now, v1.ConditionReady, false, "EmptyRoster", "no Student is enrolled in this school, grade and class")
	default:
		setCondition(&rep.Status.Conditions, rep.Generation, now, v1.ConditionReady, true, "Processed", "checked against the class roster")
	}
}

// SetupWithManager watches reports, and Students (the roster) and other reports of the same class.
func (r *AttendanceReportReconciler) SetupWithManager(mgr ctrl.Manager) error {
	specOnly := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.AttendanceReport{}, specOnly).
		Watches(&v1.Student{}, handler.EnqueueRequestsFromMapFunc(r.reportsOfStudent), specOnly).
		Watches(&v1.AttendanceReport{}, handler.EnqueueRequestsFromMapFunc(r.reportsOfSameClass), specOnly).
		Complete(r)
}

func (r *AttendanceReportReconciler) reportsOfStudent(ctx context.Context, o client.Object) []reconcile.Request {
	s := o.(*v1.Student)
	reqs := r.listReports(ctx, s.Namespace, indexReportStudent, s.Name)
	if e := s.Spec.Enrolment; e.Status == v1.EnrolmentEnrolled {
		reqs = append(reqs, r.listReports(ctx, s.Namespace, indexReportClass, classKey(e.School, e.Grade, e.Class))...)
	}
	return reqs
}

// reportsOfSameClass wakes the other reports of the same class and date: one of them may now be
// superseded.
func (r *AttendanceReportReconciler) reportsOfSameClass(ctx context.Context, o client.Object) []reconcile.Request {
	rep := o.(*v1.AttendanceReport)
	return r.listReports(ctx, rep.Namespace, indexReportClass, classKey(rep.Spec.School, rep.Spec.Grade, rep.Spec.Class), func(other *v1.AttendanceReport) bool {
		return other.Spec.Date == rep.Spec.Date && other.Name != rep.Name
	})
}

func (r *AttendanceReportReconciler) listReports(ctx context.Context, namespace, index, key string, keep ...func(*v1.AttendanceReport) bool) []reconcile.Request {
	var list v1.AttendanceReportList
	if err := r.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{index: key}); err != nil {
		logf.FromContext(ctx).Error(err, "listing reports to enqueue", "index", index)
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		if len(keep) > 0 && !keep[0](&list.Items[i]) {
			continue
		}
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(&list.Items[i])})
	}
	return reqs
}
