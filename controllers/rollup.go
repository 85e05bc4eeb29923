package controllers

import (
	"context"
	"fmt"
	"sync"
	"time"
	"unique"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	logf "sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// Rollup keeps every scope's figures in memory as the sum of its children's contributions
// (policy.Tally), updated one child at a time as Students and cases change: an agreement's
// reconcile reads its scope's tally instead of measuring every child in it, so a county costs
// the same as a class. It also keeps the days each school reported, for the classes' reporting
// compliance. Nothing here is stored: it is rebuilt from the cache whenever the manager starts.
type Rollup struct {
	reader     client.Reader
	students   cachedStudents
	agreements cachedAgreements
	opts       Options
	// Coalesce delays an agreement's reconcile after a change of its figures, so that a burst of
	// changes (a school's roll calls arriving together) costs one write.
	coalesce time.Duration

	mu         sync.Mutex
	children   map[types.NamespacedName]childTally
	tallies    map[scopeRef]policy.Tally
	schoolDays map[scopeRef]map[v1.Date]bool
	yearStart  map[string]time.Time
}

// childTally is a child's contribution, packed, and what decides the keys it is counted under.
// The scope is held once for all the children who share it (a class's children mostly do): a
// handle is 8 bytes where the scope's strings are 88, and the map holds one per child.
type childTally struct {
	scope unique.Handle[policy.TallyScope]
	tally policy.PackedTally
}

// scopeRef is one scope key (or school code) of one county.
type scopeRef struct{ namespace, key string }

// NewRollup makes an empty rollup over the cache.
func NewRollup(reader client.Reader, students cachedStudents, agreements cachedAgreements, opts Options, coalesce time.Duration) *Rollup {
	return &Rollup{reader: reader, students: students, agreements: agreements, opts: opts, coalesce: coalesce, children: map[types.NamespacedName]childTally{},
		tallies: map[scopeRef]policy.Tally{}, schoolDays: map[scopeRef]map[v1.Date]bool{}, yearStart: map[string]time.Time{}}
}

// TallyOf is the sum of the contributions of the children an agreement covers.
func (r *Rollup) TallyOf(a *v1.ResponsibilityAgreement) policy.Tally {
	r.mu.Lock()
	defer r.mu.Unlock()
	var t policy.Tally
	if policy.ScopeLevel(a.Spec.Scope) == policy.LevelStudents {
		for _, name := range a.Spec.Scope.Students {
			if c, ok := r.children[types.NamespacedName{Namespace: a.Namespace, Name: name}]; ok {
				t.Add(c.tally.Unpack(), 1)
			}
		}
		return t
	}
	for _, key := range policy.ScopeIndexKeys(a) {
		t.Add(r.tallies[scopeRef{a.Namespace, key}], 1)
	}
	return t
}

// CountyPending counts the children of a county whose status does not describe their spec yet.
func (r *Rollup) CountyPending(namespace string) int32 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tallies[scopeRef{namespace, policy.CountyScopeKey}].Pending
}

// SchoolDays lists the days a school reported in the school year starting yearStart.
func (r *Rollup) SchoolDays(namespace string, school v1.SchoolCode, yearStart time.Time) []v1.Date {
	r.mu.Lock()
	defer r.mu.Unlock()
	first := policy.FormatDate(yearStart)
	var out []v1.Date
	for d := range r.schoolDays[scopeRef{namespace, string(school)}] {
		if d >= first {
			out = append(out, d)
		}
	}
	return out
}

// Refresh recomputes every child of a county once the school year has turned: this year's cases
// and the primary/junior split change with the date alone, without an event. It reads the
// cache's Students in place: a list would copy the whole county at once.
func (r *Rollup) Refresh(ctx context.Context, namespace string, today time.Time) error {
	year := r.opts.schoolAge(namespace).SchoolYearStart(today)
	r.mu.Lock()
	last, seen := r.yearStart[namespace]
	r.yearStart[namespace] = year
	r.mu.Unlock()
	if !seen || last.Equal(year) {
		return nil
	}
	students, err := r.students.studentsUnder(ctx, namespace, "")
	if err != nil {
		return fmt.Errorf("walking the county's children: %w", err)
	}
	for _, s := range students {
		r.observeStudent(ctx, s)
	}
	return nil
}

// observeStudent recomputes a child's contribution and returns the scope keys whose tallies moved.
func (r *Rollup) observeStudent(ctx context.Context, s *v1.Student) []string {
	key := client.ObjectKeyFromObject(s)
	next, err := r.contribution(ctx, s)
	if err != nil {
		logf.FromContext(ctx).Error(err, "computing a child's contribution to its scopes")
		return nil
	}
	return r.replace(key, &next)
}

// forget removes a deleted child.
func (r *Rollup) forget(key types.NamespacedName) []string { return r.replace(key, nil) }

func (r *Rollup) replace(key types.NamespacedName, next *childTally) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev, had := r.children[key]
	if had && next != nil && *next == prev {
		return nil
	}
	var moved []string
	if had {
		moved = append(moved, r.addTo(key.Namespace, prev, -1)...)
		delete(r.children, key)
	}
	if next != nil {
		moved = append(moved, r.addTo(key.Namespace, *next, 1)...)
		r.children[key] = *next
	}
	return append(moved, "student/"+key.Name)
}

// addTo adds a child's tally to (or takes it from) its scopes, and returns their keys.
func (r *Rollup) addTo(namespace string, c childTally, sign int32) []string {
	keys := c.scope.Value().Keys()
	for _, k := range keys {
		ref := scopeRef{namespace, k}
		t := r.tallies[ref]
		t.Add(c.tally.Unpack(), sign)
		if t == (policy.Tally{}) {
			delete(r.tallies, ref)
			continue
		}
		r.tallies[ref] = t
	}
	return keys
}

// contribution gathers what the figures need about one child, from the cache.
func (r *Rollup) contribution(ctx context.Context, s *v1.Student) (childTally, error) {
	_, today := r.opts.today()
	rules := r.opts.schoolAge(s.Namespace)
	cases, err := casesOf(ctx, r.reader, s.Namespace, s.Name)
	if err != nil {
		return childTally{}, err
	}
	yearStart := policy.FormatDate(rules.SchoolYearStart(today))
	var thisYear []*v1.DropoutCase
	for _, dc := range cases {
		if dc.Spec.Opened >= yearStart || policy.Open(dc.Status.Stage) {
			thisYear = append(thisYear, dc)
		}
	}
	birth, _ := policy.ParseDate(s.Spec.BirthDate)
	facts := policy.ChildFacts{
		Student:   s,
		Standing:  policy.AssessEnrolment(s, today, rules),
		SchoolAge: rules.IsSchoolAge(birth, today),
		Primary:   policy.IsPrimaryAge(rules, birth, today),
		AtRisk:    conditionTrue(s.Status.Conditions, v1.StudentAtRisk),
		Attending: conditionTrue(s.Status.Conditions, v1.StudentAttending),
		Cases:     thisYear,
	}
	packed, err := policy.Pack(policy.Contribution(facts))
	if err != nil {
		return childTally{}, fmt.Errorf("student %s/%s: %w", s.Namespace, s.Name, err)
	}
	return childTally{scope: unique.Make(policy.TallyScopeOf(s)), tally: packed}, nil
}

// observeRecord notes the days a class record holds for its school, and reports whether the
// school has a day it did not have before: every class of the school may now miss that day.
func (r *Rollup) observeRecord(rec *v1.ClassAttendance) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	ref := scopeRef{rec.Namespace, string(rec.Spec.School)}
	days := r.schoolDays[ref]
	if days == nil {
		days = map[v1.Date]bool{}
		r.schoolDays[ref] = days
	}
	added := false
	for _, d := range rec.Spec.Days {
		if !days[d.Date] {
			days[d.Date], added = true, true
		}
	}
	return added
}

// The event handlers below keep the rollup current and wake the agreements whose figures moved.
// Each does index lookups only: the agreements under the moved keys.

func (r *Rollup) studentEvents() handler.EventHandler {
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			r.wake(ctx, q, e.Object.GetNamespace(), r.observeStudent(ctx, e.Object.(*v1.Student)))
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			r.wake(ctx, q, e.ObjectNew.GetNamespace(), r.observeStudent(ctx, e.ObjectNew.(*v1.Student)))
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			r.wake(ctx, q, e.Object.GetNamespace(), r.forget(client.ObjectKeyFromObject(e.Object)))
		},
	}
}

func (r *Rollup) caseEvents() handler.EventHandler {
	observe := func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], o client.Object) {
		dc, ok := o.(*v1.DropoutCase)
		if !ok {
			return
		}
		var s v1.Student
		if err := r.reader.Get(ctx, types.NamespacedName{Namespace: dc.Namespace, Name: dc.Spec.Student}, &s); err != nil {
			return // the Student's own events keep its contribution
		}
		r.wake(ctx, q, dc.Namespace, r.observeStudent(ctx, &s))
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			observe(ctx, q, e.Object)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			observe(ctx, q, e.ObjectNew)
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			observe(ctx, q, e.Object)
		},
	}
}

// recordEvents wakes a class's agreements when its days change, and every class agreement of the
// school when the school has a new day.
func (r *Rollup) recordEvents() handler.EventHandler {
	observe := func(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], o client.Object) {
		rec, ok := o.(*v1.ClassAttendance)
		if !ok {
			return
		}
		sp := rec.Spec
		r.wake(ctx, q, rec.Namespace, []string{classScopeKey(sp.School, sp.Grade, sp.Class)})
		if r.observeRecord(rec) {
			r.wakeIndexed(ctx, q, rec.Namespace, indexClassAgreement, string(sp.School))
		}
	}
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			observe(ctx, q, e.Object)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			observe(ctx, q, e.ObjectNew)
		},
	}
}

func classScopeKey(school v1.SchoolCode, grade, class int32) string {
	return "class/" + classKey(school, grade, class)
}

// wake queues, after the coalescing delay, the agreements under the moved keys.
func (r *Rollup) wake(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], namespace string, keys []string) {
	for _, key := range keys {
		r.wakeIndexed(ctx, q, namespace, indexAgreementScope, key)
	}
}

func (r *Rollup) wakeIndexed(ctx context.Context, q workqueue.TypedRateLimitingInterface[reconcile.Request], namespace, index, key string) {
	agreements, err := r.agreements.byField(ctx, namespace, index, key)
	if err != nil {
		logf.FromContext(ctx).Error(err, "listing agreements to wake", "index", index)
		return
	}
	for _, a := range agreements {
		q.AddAfter(reconcile.Request{NamespacedName: client.ObjectKeyFromObject(a)}, r.coalesce)
	}
}
