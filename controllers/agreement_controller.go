package controllers

import (
	"context"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"
	"sigs.k8s.io/controller-runtime/pkg/recorder"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// ResponsibilityAgreementReconciler measures an agreement's scope against its terms and reports
// conflicts with other agreements.
type ResponsibilityAgreementReconciler struct {
	client.Client
	Options
	Rollup  *Rollup
	Fanout  *Fanout
	Metrics *AgreementMetrics
	// Recorder emits the Events of a class falling silent or reporting again.
	Recorder recorder.EventRecorder
	// Agreements are the cache's, read in place for the wider terms an agreement inherits.
	Agreements cachedAgreements
	// started is when this manager began: agreements created before it were there when every
	// Student was first reconciled, so they need no fan-out of their own.
	started   time.Time
	deferrals deferrals
	settling  settling
	reach     reach
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=responsibilityagreements,verbs=get;list;watch
// +kubebuilder:rbac:groups=kongchuo.io,resources=responsibilityagreements/status,verbs=get;patch

// Reconcile computes the agreement's status from its scope's rolled-up figures: the cost does not
// depend on how many children the scope holds.
func (r *ResponsibilityAgreementReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	start := time.Now()
	var a v1.ResponsibilityAgreement
	if err := r.Get(ctx, req.NamespacedName, &a); err != nil {
		if apierrors.IsNotFound(err) {
			r.reach.forget(req.NamespacedName)
		}
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	now, today := r.today()
	if err := r.Rollup.Refresh(ctx, a.Namespace, today); err != nil {
		return ctrl.Result{}, fmt.Errorf("refreshing the figures for a new school year: %w", err)
	}
	tally := r.Rollup.TallyOf(&a)
	if tally.Pending > 0 && r.deferrals.wait(req.NamespacedName, tally.Pending, r.Rollup.CountyPending(a.Namespace), time.Now()) {
		// Children in scope are still getting their first status (a fresh import, an edit of the
		// registry): figures written now would be rewritten in a moment.
		return ctrl.Result{RequeueAfter: max(r.RollupDelay, pendingRecheck)}, nil
	}
	r.deferrals.done(req.NamespacedName)
	level := policy.ScopeLevel(a.Spec.Scope)
	if settles(level) && r.settling.wait(req.NamespacedName, tally, time.Now(), r.RollupDelay, r.SettleLimit) {
		// A county's or township's figures move with every class of a school morning: they are
		// written once the morning's roll calls stop moving them, while the API server is not
		// busy with the children's own changes.
		return ctrl.Result{RequeueAfter: r.RollupDelay}, nil
	}
	conflicts, err := r.conflicts(ctx, &a, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	terms, err := r.inheritedTerms(ctx, &a, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	intake, err := r.cohortIntake(ctx, &a, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	m := policy.MeasureCohort(tally, policy.CohortOf(intake, tally), terms)

	before := a.DeepCopy()
	st := &a.Status
	st.ObservedGeneration = a.Generation
	st.Level = policy.ScopeLevel(a.Spec.Scope).String()
	st.ScopeSummary = policy.ScopeSummary(a.Spec.Scope)
	st.Coverage, st.Rates, st.Assessment = m.Coverage, m.Rates, m.Assessment
	st.Retention = policy.RetentionOf(intake, tally)
	st.EffectiveMaxDropout = ""
	if terms.Targets.MaxDropout != nil {
		st.EffectiveMaxDropout = *terms.Targets.MaxDropout
	}
	st.ConflictsWith = conflicts
	reporting, reportedToday, err := r.reporting(ctx, &a, terms, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	st.Reporting = reporting
	conds := policy.AgreementConditions(policy.AgreementView{
		Agreement: &a, Today: today, Measurement: m, Conflicts: conflicts, Pending: tally.Pending})
	if reporting != nil {
		conds = append(conds, policy.ClassSilence(reporting.SilentSince))
	}
	applyConditions(&st.Conditions, now, conds)
	silenceTurned := reporting != nil && r.announceSilence(&a, before)
	r.Metrics.Observe(st.Level, "evaluate", time.Since(start))
	if r.whoOrTermsChanged(before, &a) {
		r.Fanout.Push(a.DeepCopy())
	}
	if !equality.Semantic.DeepEqual(before.Status, a.Status) {
		writing := time.Now()
		if err := r.Status().Patch(ctx, &a, client.MergeFrom(before)); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching agreement status: %w", err)
		}
		r.Metrics.Observe(st.Level, "write", time.Since(writing))
	}
	if silenceTurned {
		r.Fanout.PushAfter(ctx, a.DeepCopy()) // after the patch has reached the cache: the children read the class's silence from it
	}
	r.Metrics.Observe(st.Level, "reconcile", time.Since(start))
	next := r.nextChange(&a, today)
	if reportedToday {
		// The school reported today and this class has not: at midnight the day is missing.
		tomorrow := policy.AddDays(today, 1)
		next = earliestAfter(today, append(optional(next), tomorrow))
	}
	return r.requeueAt(next), nil
}

// cohortIntake is the grade-7 intake of the cohort a school, township or county agreement answers
// for now (policy.CohortIntakeMonth), from its scope's monthly report; nil for other agreements
// and while that report does not exist. The report is read by name from the cache.
func (r *ResponsibilityAgreementReconciler) cohortIntake(ctx context.Context, a *v1.ResponsibilityAgreement, today time.Time) (*policy.Intake, error) {
	level, code, ok := reportScope(a)
	if !ok {
		return nil, nil
	}
	intake, err := intakeReport(ctx, r, a.Namespace, level, code, policy.CohortIntakeMonth(r.schoolAge(a.Namespace), today))
	if err != nil {
		return nil, fmt.Errorf("reading the cohort's intake report: %w", err)
	}
	return intake, nil
}

// whoOrTermsChanged reports whether the Students and cases in the agreement's scope must be
// re-evaluated: it was created while this manager ran, the part of its spec they read changed
// since the status last described it (reach), or it came into or went out of force. An
// agreement that was there when the manager started needs none: every Student was reconciled
// with it then.
func (r *ResponsibilityAgreementReconciler) whoOrTermsChanged(before, after *v1.ResponsibilityAgreement) bool {
	childFacingChanged := r.reach.note(client.ObjectKeyFromObject(after), after.Spec)
	observed := before.Status.ObservedGeneration
	switch {
	case observed == 0:
		return after.CreationTimestamp.After(r.started)
	case observed != after.Generation:
		return childFacingChanged
	}
	return meta.FindStatusCondition(before.Status.Conditions, v1.AgreementActive) != nil &&
		conditionTrue(before.Status.Conditions, v1.AgreementActive) != conditionTrue(after.Status.Conditions, v1.AgreementActive)
}

func optional(t *time.Time) []time.Time {
	if t == nil {
		return nil
	}
	return []time.Time{*t}
}

// pendingRecheck is how often an agreement waiting for pending children looks again.
const pendingRecheck = 5 * time.Second

// conflicts are the other active agreements claiming the same line and scope, found through the
// conflict-key index: the cost does not grow with the county's agreements.
func (r *ResponsibilityAgreementReconciler) conflicts(ctx context.Context, a *v1.ResponsibilityAgreement, today time.Time) ([]string, error) {
	same, err := r.Agreements.byField(ctx, a.Namespace, indexAgreementConflict, policy.ConflictKey(a))
	if err != nil {
		return nil, fmt.Errorf("listing agreements of the same scope: %w", err)
	}
	return policy.Conflicts(same, today)[a.Name], nil
}

// inheritedTerms merges the agreement's terms with those of the wider active agreements on the
// same line whose scope contains it, found through the scope index.
func (r *ResponsibilityAgreementReconciler) inheritedTerms(ctx context.Context, a *v1.ResponsibilityAgreement, today time.Time) (v1.Terms, error) {
	var wider []*v1.ResponsibilityAgreement
	seen := map[string]bool{}
	for _, key := range policy.WiderKeys(a.Spec.Scope) {
		found, err := r.Agreements.byField(ctx, a.Namespace, indexAgreementScope, key)
		if err != nil {
			return v1.Terms{}, fmt.Errorf("listing wider agreements: %w", err)
		}
		for _, o := range found {
			if !seen[o.Name] && o.Name != a.Name && o.Spec.Line == a.Spec.Line && policy.IsActive(o, today) && policy.Contains(o.Spec.Scope, a.Spec.Scope) {
				seen[o.Name] = true
				wider = append(wider, o)
			}
		}
	}
	policy.SortNarrowestFirst(wider) // the order Resolve uses, conflicts included
	terms := []v1.Terms{a.Spec.Terms}
	for _, w := range wider {
		terms = append(terms, w.Spec.Terms)
	}
	return policy.MergeTerms(terms...), nil
}

// reporting measures a class agreement's daily reporting against its school's school days, and
// tells whether a day can still go missing at midnight (the school reported today, the class not).
func (r *ResponsibilityAgreementReconciler) reporting(ctx context.Context, a *v1.ResponsibilityAgreement, terms v1.Terms, today time.Time) (*v1.ReportingCompliance, bool, error) {
	sc := a.Spec.Scope
	if policy.ScopeLevel(sc) != policy.LevelClass {
		return nil, false, nil
	}
	yearStart := r.schoolAge(a.Namespace).SchoolYearStart(today)
	days, err := classDays(ctx, r, a.Namespace, classKey(sc.School, sc.Grade, sc.Class), yearStart)
	if err != nil {
		return nil, false, err
	}
	classDates := make([]v1.Date, 0, len(days))
	reported := false
	todayDate := policy.FormatDate(today)
	for _, d := range days {
		classDates = append(classDates, d.Date)
		reported = reported || d.Date == todayDate
	}
	schoolDates := r.Rollup.SchoolDays(a.Namespace, sc.School, yearStart)
	schoolToday := false
	for _, d := range schoolDates {
		schoolToday = schoolToday || d == todayDate
	}
	c := policy.ClassCompliance(schoolDates, classDates, today)
	n := policy.CalendarFrom(terms).SilentAfterSchoolDays
	c.SilentSince, _ = policy.SilentSince(schoolDates, classDates, todayDate, n)
	return &c, schoolToday && !reported, nil
}

// announceSilence tells the school, with an Event, that a class fell silent or reports again;
// its children are then re-evaluated (their Attending turns Unknown or back) through the fan-out.
func (r *ResponsibilityAgreementReconciler) announceSilence(a, before *v1.ResponsibilityAgreement) bool {
	c := policy.ClassSilence(a.Status.Reporting.SilentSince)
	if (before.Status.Reporting != nil && before.Status.Reporting.SilentSince != "") == c.True {
		return false
	}
	if c.True {
		r.Recorder.Eventf(a, nil, "Warning", v1.ReasonClassSilent, "Measure", "%s", c.Message)
	} else {
		r.Recorder.Eventf(a, nil, "Normal", v1.ReasonReporting, "Measure", "%s", c.Message)
	}
	return true
}

// nextChange is the next day on which time alone changes the measurement: the agreement starts
// or stops being in force, or a new school year begins (its dropouts and returns start afresh).
func (r *ResponsibilityAgreementReconciler) nextChange(a *v1.ResponsibilityAgreement, today time.Time) *time.Time {
	candidates := []time.Time{r.schoolAge(a.Namespace).SchoolYearStart(today).AddDate(1, 0, 0)}
	if from, err := policy.ParseDate(a.Spec.Effective.From); err == nil {
		candidates = append(candidates, from)
	}
	if until, err := policy.ParseDate(a.Spec.Effective.Until); err == nil {
		candidates = append(candidates, policy.AddDays(until, 1))
	}
	return earliestAfter(today, candidates)
}

// SetupWithManager watches agreements, and feeds the rollup from Students, cases and class records:
// their handlers wake only the agreements whose figures moved, after the coalescing delay.
func (r *ResponsibilityAgreementReconciler) SetupWithManager(mgr ctrl.Manager, workers int) error {
	r.started = time.Now()
	specOnly := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.ResponsibilityAgreement{}, specOnly).
		Watches(&v1.ResponsibilityAgreement{}, handler.EnqueueRequestsFromMapFunc(r.sameLine), builder.WithPredicates(agreementInForceChanged())).
		Watches(&v1.ResponsibilityAgreement{}, handler.Funcs{DeleteFunc: r.wakeScopeOfDeleted}).
		Watches(&v1.Student{}, r.Rollup.studentEvents(), builder.WithPredicates(measuredFieldsChanged{})).
		Watches(&v1.DropoutCase{}, r.Rollup.caseEvents(), builder.WithPredicates(predicate.Or[client.Object](caseStageChanged{}, caseOutcomeChanged{}))).
		Watches(&v1.ClassAttendance{}, r.Rollup.recordEvents(), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&v1.MonthlyReport{}, handler.EnqueueRequestsFromMapFunc(reportAgreement), builder.WithPredicates(createdWhileRunning)).
		WithOptions(controller.Options{MaxConcurrentReconciles: workers}).
		Complete(r)
}

// reportAgreement wakes the agreement a new report names: the report may be the intake of the
// cohort it answers for (a county's history imported, or a report written by hand). The
// reports the writer makes name their own agreement, which reads no intake from its own month.
func reportAgreement(_ context.Context, o client.Object) []reconcile.Request {
	mr, ok := o.(*v1.MonthlyReport)
	if !ok || mr.Spec.Agreement == "" {
		return nil
	}
	return []reconcile.Request{{NamespacedName: client.ObjectKey{Namespace: mr.Namespace, Name: mr.Spec.Agreement}}}
}

// createdWhileRunning passes the creates of objects made while the manager runs (at start every
// agreement is reconciled anyway).
var createdWhileRunning = predicate.Funcs{
	CreateFunc:  func(e event.CreateEvent) bool { return !e.IsInInitialList },
	UpdateFunc:  func(event.UpdateEvent) bool { return false },
	DeleteFunc:  func(event.DeleteEvent) bool { return false },
	GenericFunc: func(event.GenericEvent) bool { return false },
}

// wakeScopeOfDeleted re-evaluates who answers for the children of a deleted agreement.
func (r *ResponsibilityAgreementReconciler) wakeScopeOfDeleted(_ context.Context, e event.DeleteEvent, _ workqueue.TypedRateLimitingInterface[reconcile.Request]) {
	if a, ok := e.Object.(*v1.ResponsibilityAgreement); ok {
		r.Fanout.Push(a)
	}
}

// sameLine wakes the other agreements of the namespace on the same line: conflicts and inherited
// terms depend on them.
func (r *ResponsibilityAgreementReconciler) sameLine(ctx context.Context, o client.Object) []reconcile.Request {
	a := o.(*v1.ResponsibilityAgreement)
	// Read in place: a list through the client copies each of the line's agreements (some 1,700
	// in a county of 100,000, 1.4 KB each) on every change of one of them.
	same, err := r.Agreements.byField(ctx, a.Namespace, indexAgreementLine, string(a.Spec.Line))
	if err != nil {
		logf.FromContext(ctx).Error(err, "listing agreements to enqueue")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(same))
	for _, o := range same {
		if o.Name != a.Name {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
		}
	}
	return reqs
}

// measuredFieldsChanged passes Student events that can change an agreement's measurement: the
// spec, or the conditions the coverage counts.
type measuredFieldsChanged struct{ predicate.Funcs }

func (measuredFieldsChanged) Update(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(*v1.Student), e.ObjectNew.(*v1.Student)
	if o.Generation != n.Generation || o.Status.SchoolAge != n.Status.SchoolAge || o.Status.ObservedGeneration != n.Status.ObservedGeneration {
		return true // the observed generation ends a child's pending state (policy.Tally.Pending)
	}
	for _, t := range []string{v1.StudentAtRisk, v1.StudentAttending, v1.StudentEnrolled} {
		if conditionTrue(o.Status.Conditions, t) != conditionTrue(n.Status.Conditions, t) {
			return true
		}
	}
	return false
}

// caseStageChanged passes case events that change a stage or closure.
type caseStageChanged struct{ predicate.Funcs }

func (caseStageChanged) Update(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(*v1.DropoutCase), e.ObjectNew.(*v1.DropoutCase)
	return o.Status.Stage != n.Status.Stage || o.Status.ClosedReason != n.Status.ClosedReason
}

// agreementInForceChanged passes the agreement events that change conflicts and inherited terms
// of the others on its line: an agreement created or deleted while the manager runs, a spec edit,
// or coming into or going out of force at a date boundary. The initial list and an agreement's
// first status do not: the others were reconciled with it, judged by its dates, already.
func agreementInForceChanged() predicate.Predicate {
	return predicate.Funcs{
		CreateFunc: func(e event.CreateEvent) bool { return !e.IsInInitialList },
		DeleteFunc: func(event.DeleteEvent) bool { return true },
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, n := e.ObjectOld.(*v1.ResponsibilityAgreement), e.ObjectNew.(*v1.ResponsibilityAgreement)
			if o.Generation != n.Generation {
				return true
			}
			return meta.FindStatusCondition(o.Status.Conditions, v1.AgreementActive) != nil &&
				conditionTrue(o.Status.Conditions, v1.AgreementActive) != conditionTrue(n.Status.Conditions, v1.AgreementActive)
		},
		GenericFunc: func(event.GenericEvent) bool { return false },
	}
}
