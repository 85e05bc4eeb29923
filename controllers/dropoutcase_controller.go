package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"
	"sigs.k8s.io/controller-runtime/pkg/source"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// historyLimit bounds the stage and assignee histories kept in status.
const historyLimit = 50

// DropoutCaseReconciler walks a case along the escalation ladder.
type DropoutCaseReconciler struct {
	client.Client
	Options
	Recorder recorder.EventRecorder
	Metrics  *CaseMetrics
	Fanout   *Fanout
	// Agreements are the cache's, read in place.
	Agreements cachedAgreements
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=dropoutcases,verbs=get;list;watch;patch
// +kubebuilder:rbac:groups=kongchuo.io,resources=dropoutcases/status,verbs=get;patch
// The verb "open" is no Kubernetes verb: the ValidatingAdmissionPolicy kongchuo-case-opening
// (config/admission) lets only whoever holds it create a DropoutCase, so people cannot open a
// second case for a child by hand.
// +kubebuilder:rbac:groups=kongchuo.io,resources=dropoutcases,verbs=open
// +kubebuilder:rbac:groups=kongchuo.io,resources=responsibilityagreements,verbs=get;list;watch

// Reconcile evaluates the case and writes its status when anything changed.
func (r *DropoutCaseReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var dc v1.DropoutCase
	if err := r.Get(ctx, req.NamespacedName, &dc); err != nil {
		r.Metrics.Forget(req.NamespacedName)
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	s, err := r.studentOf(ctx, &dc)
	if err != nil {
		return ctrl.Result{}, err
	}
	now, today := r.today()
	if held, err := r.holdConflict(ctx, &dc, s, now, today); held || err != nil {
		return ctrl.Result{}, err
	}
	if err := r.adopt(ctx, &dc, s); err != nil {
		return ctrl.Result{}, err
	}
	res, ladder, ladderErr := ladderFor(ctx, r.Agreements, s, today)
	if res.Education == nil && res.Government == nil && ladderErr != nil {
		return ctrl.Result{}, ladderErr
	}
	opened, err := policy.ParseDate(dc.Spec.Opened)
	if err != nil {
		return ctrl.Result{}, reconcile.TerminalError(fmt.Errorf("case opened date: %w", err))
	}
	rules := r.schoolAge(dc.Namespace)
	attendance, err := childAttendance(ctx, r, s, rules.SchoolYearStart(today))
	if err != nil {
		return ctrl.Result{}, err
	}
	counted, ahead, countsFrom := policy.ActionsRecorded(dc.Spec.Actions, today)
	st := policy.EvaluateCase(policy.CaseFacts{
		Type: dc.Spec.Type, Opened: opened, Today: today, Attendance: attendance,
		Standing: policy.AssessEnrolment(s, today, rules), Actions: counted,
		Closure: dc.Spec.Closure, ClosedReason: dc.Status.ClosedReason, Recorded: r.recorded(&dc), Ladder: ladder,
		OnRoster: policy.IsSweepCase(dc.Spec.Type) && policy.SweepCaseOnRoster(s, attendance.Days, policy.CalendarFrom(res.Terms), rules, opened),
	})
	before := dc.DeepCopy()
	assignees := policy.Assign(st.Stage, res)
	handsChanged := r.applyState(&dc, s, st, assignees, now)
	applyConditions(&dc.Status.Conditions, now, policy.CaseConditions(policy.CaseView{
		Type: dc.Spec.Type, State: st, Assignees: assignees, Ladder: ladder, DatedAhead: ahead}))
	if !equality.Semantic.DeepEqual(before.Status, dc.Status) {
		if err := r.Status().Patch(ctx, &dc, client.MergeFrom(before)); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching case status: %w", err)
		}
		r.announce(ctx, before, &dc, s, handsChanged)
		r.inform(policy.VillageNotice(before.Status.Stage == "", dc.Name, st, res, ladder), &dc)
	}
	r.Metrics.Observe(req.NamespacedName, caseSample(&dc, st, opened))
	return r.requeueAt(earliest(st.NextChange, countsFrom)), nil
}

// adopt makes the student the case's owner when a person or an import created the case.
func (r *DropoutCaseReconciler) adopt(ctx context.Context, dc *v1.DropoutCase, s *v1.Student) error {
	if metav1.IsControlledBy(dc, s) {
		return nil
	}
	before := dc.DeepCopy()
	if err := controllerutil.SetControllerReference(s, dc, r.Scheme()); err != nil {
		return fmt.Errorf("owning case: %w", err)
	}
	if err := r.Patch(ctx, dc, client.MergeFrom(before)); err != nil {
		return fmt.Errorf("adopting case: %w", err)
	}
	return nil
}

// recorded is the stage and its day as the case's status has them.
func (r *DropoutCaseReconciler) recorded(dc *v1.DropoutCase) policy.RecordedStage {
	rec := policy.RecordedStage{Stage: dc.Status.Stage}
	if dc.Status.StageEntered != nil {
		rec.Entered = policy.LocalDate(dc.Status.StageEntered.Time, r.Location)
	}
	return rec
}

// applyState writes the evaluation into the case's status, with histories, and
// returns the changes of hands it recorded.
func (r *DropoutCaseReconciler) applyState(dc *v1.DropoutCase, s *v1.Student, st policy.CaseState, assignees v1.Assignees, now time.Time) []v1.AssigneeChange {
	status := &dc.Status
	if status.Stage != st.Stage {
		status.History = appendBounded(status.History, v1.StageChange{Stage: st.Stage, Time: metav1.NewTime(now.Truncate(time.Second)), Reason: st.Reason})
	}
	// The day a stage began is derived from attendance and actions, so it is corrected when late
	// reports or actions arrive, not frozen at the first evaluation.
	status.StageEntered = &metav1.Time{Time: policy.StartOfDay(st.Entered, r.Location)}
	var changes []v1.AssigneeChange
	if status.Stage != "" {
		changes = policy.AssigneeChanges(status.Assignees, assignees, status.Stage != st.Stage, now.Truncate(time.Second))
		for _, c := range changes {
			status.AssigneeHistory = appendBounded(status.AssigneeHistory, c)
		}
	}
	status.ObservedGeneration = dc.Generation
	status.Stage = st.Stage
	status.Assignees = assignees
	status.DaysAbsent = s.Status.Attendance.ConsecutiveUnexcusedDays
	status.VisitsRecorded, status.VisitsRequired, status.FollowUpDays = st.VisitsRecorded, st.VisitsRequired, st.FollowUpDays
	status.ClosedReason = st.ClosedReason
	status.RequiredAction, status.RequiredLine, status.Owner = st.RequiredAction, "", ""
	if st.RequiredAction != "" {
		status.RequiredLine = st.RequiredLine
		status.Owner = ownerName(policy.Owner(st, assignees))
	}
	status.School, status.Village, status.Township = s.Spec.Enrolment.School, s.Spec.Residence.Village, s.Spec.Residence.Township
	status.NextDeadline, status.DueBy = nil, ""
	if st.Deadline != nil {
		status.NextDeadline = &metav1.Time{Time: policy.StartOfDay(policy.AddDays(*st.Deadline, 1), r.Location)}
		status.DueBy = policy.FormatDate(*st.Deadline)
	}
	return changes
}

// ownerName is how listings name who owes the next action: the person, else the role.
func ownerName(a *v1.Assignee) string {
	switch {
	case a == nil:
		return ""
	case a.Name != "":
		return a.Name
	}
	return string(a.Role)
}

func appendBounded[T any](list []T, item T) []T {
	list = append(list, item)
	if len(list) > historyLimit {
		list = list[len(list)-historyLimit:]
	}
	return list
}

// announce emits Events for stage changes, changes of hands and newly overdue actions, on the case
// and on the student, so that `kubectl describe` reads as the case history.
func (r *DropoutCaseReconciler) announce(ctx context.Context, before, after *v1.DropoutCase, s *v1.Student, handsChanged []v1.AssigneeChange) {
	log := logf.FromContext(ctx)
	if before.Status.Stage != after.Status.Stage {
		reason := "Stage" + string(after.Status.Stage)
		note := fmt.Sprintf("stage %s → %s", orNew(before.Status.Stage), after.Status.Stage)
		if h := after.Status.History; len(h) > 0 {
			note += " (" + h[len(h)-1].Reason + ")"
		}
		r.Recorder.Eventf(after, s, "Normal", reason, "Escalate", "%s", note)
		if before.Status.Stage != "" { // the Student's CaseOpened Event already tells the first stage
			r.Recorder.Eventf(s, after, "Normal", reason, "Escalate", "case %s: %s", after.Name, note)
		}
		log.Info("case stage changed", "case", after.Name, "from", before.Status.Stage, "to", after.Status.Stage)
	}
	for _, c := range handsChanged {
		r.Recorder.Eventf(after, nil, "Normal", "Reassigned", "Assign", "%s line %s: %q → %q", c.Line, c.Role, c.From, c.To)
	}
	wasOverdue := conditionTrue(before.Status.Conditions, v1.CaseOverdue)
	if isOverdue := conditionTrue(after.Status.Conditions, v1.CaseOverdue); isOverdue && !wasOverdue {
		msg := conditionMessage(after.Status.Conditions, v1.CaseOverdue)
		r.Recorder.Eventf(after, s, "Warning", "Overdue", "Escalate", "%s", msg)
	}
}

// inform emits a notice policy decided, about its agreement, with the case as the related object:
// `kubectl describe ra` on the village's agreement shows the cases handed to the village.
func (r *DropoutCaseReconciler) inform(n *policy.Notice, dc *v1.DropoutCase) {
	if n != nil {
		r.Recorder.Eventf(n.Regarding, dc, "Normal", n.Reason, "Inform", "%s", n.Message)
	}
}

func orNew(s v1.Stage) string {
	if s == "" {
		return "(new)"
	}
	return string(s)
}

func conditionTrue(conds []metav1.Condition, typ string) bool {
	for _, c := range conds {
		if c.Type == typ {
			return c.Status == metav1.ConditionTrue
		}
	}
	return false
}

func conditionMessage(conds []metav1.Condition, typ string) string {
	for _, c := range conds {
		if c.Type == typ {
			return c.Message
		}
	}
	return ""
}

// SetupWithManager watches cases, their students, the attendance records of classes with open
// cases, and the agreements over the students (through the Fanout). Periodic resyncs are filtered
// out: deadlines requeue themselves.
func (r *DropoutCaseReconciler) SetupWithManager(mgr ctrl.Manager, workers int) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.DropoutCase{}, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1.Student{}, handler.EnqueueRequestsFromMapFunc(r.casesOfStudent), builder.WithPredicates(predicate.ResourceVersionChangedPredicate{})).
		Watches(&v1.ClassAttendance{}, recordChanges(r.openCasesOfClass)).
		WatchesRawSource(source.Channel(r.Fanout.cases, &handler.EnqueueRequestForObject{})).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Complete(r)
}

func (r *DropoutCaseReconciler) casesOfStudent(ctx context.Context, o client.Object) []reconcile.Request {
	cases, err := casesOf(ctx, r, o.GetNamespace(), o.GetName())
	if err != nil {
		logf.FromContext(ctx).Error(err, "listing cases to enqueue")
		return nil
	}
	return openCaseRequests(cases)
}

// openCasesOfClass wakes the open cases of a class whose days changed: a returned child's days
// back count towards closing its case even when its own status does not change.
func (r *DropoutCaseReconciler) openCasesOfClass(ctx context.Context, rec *v1.ClassAttendance, _ []v1.ClassDay) []reconcile.Request {
	var list v1.StudentList
	key := classKey(rec.Spec.School, rec.Spec.Grade, rec.Spec.Class)
	if err := r.List(ctx, &list, client.InNamespace(rec.Namespace), client.MatchingFields{indexStudentOpenCase: key}, client.UnsafeDisableDeepCopy); err != nil {
		logf.FromContext(ctx).Error(err, "listing students with open cases to enqueue")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(list.Items))
	for i := range list.Items {
		reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: rec.Namespace, Name: list.Items[i].Status.OpenCase}})
	}
	return reqs
}

func openCaseRequests(cases []*v1.DropoutCase) []reconcile.Request {
	var reqs []reconcile.Request
	for _, dc := range cases {
		if policy.Open(dc.Status.Stage) {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(dc)})
		}
	}
	return reqs
}

// caseSample is what the metrics keep of a case: its type, stage, age and what is overdue.
func caseSample(dc *v1.DropoutCase, st policy.CaseState, opened time.Time) CaseSample {
	c := CaseSample{Type: dc.Spec.Type, Stage: dc.Status.Stage, Opened: opened, Overdue: st.Overdue}
	if st.Overdue {
		c.OverdueLine = st.RequiredLine
	}
	if st.Overdue && dc.Status.NextDeadline != nil {
		c.OverdueSince = dc.Status.NextDeadline.Time
	}
	return c
}
