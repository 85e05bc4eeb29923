package controllers

import (
	"context"
	"fmt"
	"strings"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// ResponsibilityAgreementReconciler measures an agreement's scope against its terms and reports
// conflicts with other agreements.
type ResponsibilityAgreementReconciler struct {
	client.Client
	Options
}

// +kubebuilder:rbac:groups=kongchuo.io,resources=responsibilityagreements,verbs=get;list;watch
// +kubebuilder:rbac:groups=kongchuo.io,resources=responsibilityagreements/status,verbs=get;patch

// Reconcile computes the agreement's status.
func (r *ResponsibilityAgreementReconciler) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	var a v1.ResponsibilityAgreement
	if err := r.Get(ctx, req.NamespacedName, &a); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	now, today := r.today()
	var all v1.ResponsibilityAgreementList
	if err := r.List(ctx, &all, client.InNamespace(a.Namespace), client.MatchingFields{indexAgreementLine: string(a.Spec.Line)}); err != nil {
		return ctrl.Result{}, fmt.Errorf("listing agreements of the %s line: %w", a.Spec.Line, err)
	}
	conflicts := policy.Conflicts(pointers(all.Items), today)[a.Name]
	terms, err := r.inheritedTerms(&a, all.Items, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	children, err := r.childrenInScope(ctx, &a, today)
	if err != nil {
		return ctrl.Result{}, err
	}
	m := policy.Measure(children, terms)

	before := a.DeepCopy()
	st := &a.Status
	st.ObservedGeneration = a.Generation
	st.Level = policy.ScopeLevel(a.Spec.Scope).String()
	st.ScopeSummary = policy.ScopeSummary(a.Spec.Scope)
	st.Coverage, st.Rates, st.Assessment = m.Coverage, m.Rates, m.Assessment
	st.EffectiveMaxDropout = ""
	if terms.Targets.MaxDropout != nil {
		st.EffectiveMaxDropout = *terms.Targets.MaxDropout
	}
	st.ConflictsWith = conflicts
	if st.Reporting, err = r.reporting(ctx, &a); err != nil {
		return ctrl.Result{}, err
	}
	r.setConditions(&a, now, today, m, conflicts)
	if !equality.Semantic.DeepEqual(before.Status, a.Status) {
		if err := r.Status().Patch(ctx, &a, client.MergeFrom(before)); err != nil {
			return ctrl.Result{}, fmt.Errorf("patching agreement status: %w", err)
		}
	}
	return r.requeueAt(r.nextChange(&a, today)), nil
}

func pointers(items []v1.ResponsibilityAgreement) []*v1.ResponsibilityAgreement {
	out := make([]*v1.ResponsibilityAgreement, len(items))
	for i := range items {
		out[i] = &items[i]
	}
	return out
}

// inheritedTerms merges the agreement's terms with those of the wider active agreements on the
// same line whose scope contains it.
func (r *ResponsibilityAgreementReconciler) inheritedTerms(a *v1.ResponsibilityAgreement, all []v1.ResponsibilityAgreement, today time.Time) (v1.Terms, error) {
	var wider []*v1.ResponsibilityAgreement
	for i := range all {
		o := &all[i]
		if o.Name != a.Name && o.Spec.Line == a.Spec.Line && policy.IsActive(o, today) && policy.Contains(o.Spec.Scope, a.Spec.Scope) {
			wider = append(wider, o)
		}
	}
	policy.SortNarrowestFirst(wider) // the order Resolve uses, conflicts included
	terms := []v1.Terms{a.Spec.Terms}
	for _, w := range wider {
		terms = append(terms, w.Spec.Terms)
	}
	return policy.MergeTerms(terms...), nil
}

// childrenInScope gathers, through the scope index, the children the agreement covers and what
// the measurement needs about each.
func (r *ResponsibilityAgreementReconciler) childrenInScope(ctx context.Context, a *v1.ResponsibilityAgreement, today time.Time) ([]policy.ChildFacts, error) {
	var children []policy.ChildFacts
	rules := r.schoolAge(a.Namespace)
	yearStart := policy.FormatDate(rules.SchoolYearStart(today))
	err := forStudentsInScope(ctx, r, a, func(s *v1.Student) error {
		cases, err := casesOf(ctx, r, s.Namespace, s.Name)
		if err != nil {
			return err
		}
		var thisYear []*v1.DropoutCase
		for _, dc := range cases {
			if dc.Spec.Opened >= yearStart || policy.Open(dc.Status.Stage) {
				thisYear = append(thisYear, dc)
			}
		}
		birth, _ := policy.ParseDate(s.Spec.BirthDate)
		children = append(children, policy.ChildFacts{
			Student:   s,
			Standing:  policy.AssessEnrolment(s, today, rules),
			SchoolAge: rules.IsSchoolAge(birth, today),
			Primary:   policy.IsPrimaryAge(rules, birth, today),
			AtRisk:    conditionTrue(s.Status.Conditions, v1.StudentAtRisk),
			Attending: conditionTrue(s.Status.Conditions, v1.StudentAttending),
			Cases:     thisYear,
		})
		return nil
	})
	return children, err
}

// reporting measures a class agreement's daily reporting against its school's school days.
func (r *ResponsibilityAgreementReconciler) reporting(ctx context.Context, a *v1.ResponsibilityAgreement) (*v1.ReportingCompliance, error) {
	sc := a.Spec.Scope
	if policy.ScopeLevel(sc) != policy.LevelClass {
		return nil, nil
	}
	var school v1.AttendanceReportList
	if err := r.List(ctx, &school, client.InNamespace(a.Namespace), client.MatchingFields{indexReportSchool: string(sc.School)}); err != nil {
		return nil, fmt.Errorf("listing reports of school %s: %w", sc.School, err)
	}
	var schoolDays, classDays []time.Time
	for _, rep := range school.Items {
		d, err := policy.ParseDate(rep.Spec.Date)
		if err != nil {
			continue
		}
		schoolDays = append(schoolDays, d)
		if rep.Spec.Grade == sc.Grade && rep.Spec.Class == sc.Class {
			classDays = append(classDays, d)
		}
	}
	c := policy.ClassCompliance(schoolDays, classDays)
	return &c, nil
}

func (r *ResponsibilityAgreementReconciler) setConditions(a *v1.ResponsibilityAgreement, now, today time.Time, m policy.Measurement, conflicts []string) {
	gen, conds := a.Generation, &a.Status.Conditions
	active := policy.IsActive(a, today)
	switch {
	case active:
		setCondition(conds, gen, now, v1.AgreementActive, true, "InEffect", "in effect since "+string(a.Spec.Effective.From))
	case string(policy.FormatDate(today)) < string(a.Spec.Effective.From):
		setCondition(conds, gen, now, v1.AgreementActive, false, "NotYetInEffect", "in effect from "+string(a.Spec.Effective.From))
	default:
		setCondition(conds, gen, now, v1.AgreementActive, false, "Expired", "ended on "+string(a.Spec.Effective.Until))
	}
	if m.TargetsMet {
		setCondition(conds, gen, now, v1.AgreementTargetsMet, true, "TargetsMet", "every target of the terms is met")
	} else {
		setCondition(conds, gen, now, v1.AgreementTargetsMet, false, "TargetsMissed", strings.Join(m.Unmet, "; "))
	}
	if len(conflicts) > 0 {
		setCondition(conds, gen, now, v1.AgreementConflict, true, "SameScope",
			fmt.Sprintf("claims the same scope on the %s line as %s; the one in effect latest (then first by name) names the responsible party", a.Spec.Line, strings.Join(conflicts, ", ")))
	} else {
		setCondition(conds, gen, now, v1.AgreementConflict, false, "NoConflict", "no other active agreement claims this scope")
	}
	setCondition(conds, gen, now, v1.ConditionReady, true, "Measured", "coverage and rates are current")
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

// SetupWithManager watches agreements, the Students and cases in their scope, and reports.
func (r *ResponsibilityAgreementReconciler) SetupWithManager(mgr ctrl.Manager) error {
	specOnly := builder.WithPredicates(predicate.GenerationChangedPredicate{})
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1.ResponsibilityAgreement{}, specOnly).
		Watches(&v1.ResponsibilityAgreement{}, handler.EnqueueRequestsFromMapFunc(r.sameLine), builder.WithPredicates(agreementInForceChanged())).
		Watches(&v1.Student{}, handler.EnqueueRequestsFromMapFunc(r.agreementsOfStudent), builder.WithPredicates(measuredFieldsChanged{})).
		Watches(&v1.DropoutCase{}, handler.EnqueueRequestsFromMapFunc(r.agreementsOfCase), builder.WithPredicates(caseStageChanged{})).
		Watches(&v1.AttendanceReport{}, handler.EnqueueRequestsFromMapFunc(r.classAgreementsOfReport), builder.WithPredicates(predicate.Funcs{UpdateFunc: func(ev event.UpdateEvent) bool { return false }})).
		Complete(r)
}

// sameLine wakes the other agreements of the namespace on the same line: conflicts and inherited
// terms depend on them.
func (r *ResponsibilityAgreementReconciler) sameLine(ctx context.Context, o client.Object) []reconcile.Request {
	a := o.(*v1.ResponsibilityAgreement)
	return r.agreementRequests(ctx, a.Namespace, indexAgreementLine, string(a.Spec.Line), a.Name)
}

func (r *ResponsibilityAgreementReconciler) agreementRequests(ctx context.Context, namespace, index, key, except string) []reconcile.Request {
	var list v1.ResponsibilityAgreementList
	if err := r.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{index: key}); err != nil {
		logf.FromContext(ctx).Error(err, "listing agreements to enqueue", "index", index)
		return nil
	}
	var reqs []reconcile.Request
	for i := range list.Items {
		if o := &list.Items[i]; o.Name != except {
			reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(o)})
		}
	}
	return reqs
}

func (r *ResponsibilityAgreementReconciler) agreementsOfStudent(ctx context.Context, o client.Object) []reconcile.Request {
	agreements, err := agreementsFor(ctx, r, o.(*v1.Student))
	if err != nil {
		logf.FromContext(ctx).Error(err, "listing agreements to enqueue")
		return nil
	}
	reqs := make([]reconcile.Request, 0, len(agreements))
	for _, a := range agreements {
		reqs = append(reqs, reconcile.Request{NamespacedName: client.ObjectKeyFromObject(a)})
	}
	return reqs
}

func (r *ResponsibilityAgreementReconciler) agreementsOfCase(ctx context.Context, o client.Object) []reconcile.Request {
	var s v1.Student
	if err := r.Get(ctx, client.ObjectKey{Namespace: o.GetNamespace(), Name: o.(*v1.DropoutCase).Spec.Student}, &s); err != nil {
		return nil
	}
	return r.agreementsOfStudent(ctx, &s)
}

// classAgreementsOfReport wakes the class agreements of a report's school: every class of the
// school may now have missed a day.
func (r *ResponsibilityAgreementReconciler) classAgreementsOfReport(ctx context.Context, o client.Object) []reconcile.Request {
	rep := o.(*v1.AttendanceReport)
	return r.agreementRequests(ctx, rep.Namespace, indexClassAgreement, string(rep.Spec.School), "")
}

// measuredFieldsChanged passes Student events that can change an agreement's measurement: the
// spec, or the conditions the coverage counts.
type measuredFieldsChanged struct{ predicate.Funcs }

func (measuredFieldsChanged) Update(e event.UpdateEvent) bool {
	o, n := e.ObjectOld.(*v1.Student), e.ObjectNew.(*v1.Student)
	if o.Generation != n.Generation || o.Status.SchoolAge != n.Status.SchoolAge {
		return true
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

// agreementInForceChanged passes agreement events that change who answers or on which terms: a
// spec edit, or the agreement coming into or going out of force at a date boundary.
func agreementInForceChanged() predicate.Predicate {
	return predicate.Or(predicate.GenerationChangedPredicate{}, predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			o, n := e.ObjectOld.(*v1.ResponsibilityAgreement), e.ObjectNew.(*v1.ResponsibilityAgreement)
			return conditionTrue(o.Status.Conditions, v1.AgreementActive) != conditionTrue(n.Status.Conditions, v1.AgreementActive)
		},
		CreateFunc: func(event.CreateEvent) bool { return false }, DeleteFunc: func(event.DeleteEvent) bool { return false },
		GenericFunc: func(event.GenericEvent) bool { return false },
	})
}
