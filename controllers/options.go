// Package controllers holds one reconciler per kongchuo kind. Reconcilers are adapters: they read
// from the cache, call internal/policy, and write status once, only when it changed.
package controllers

import (
	"context"
	"time"

	"k8s.io/utils/clock"
	ctrl "sigs.k8s.io/controller-runtime"

	"kongchuo.io/kongchuo/internal/policy"
)

// Options configure every reconciler.
type Options struct {
	// Clock is where "now" comes from; tests inject a fake one.
	Clock clock.PassiveClock
	// Location is the county's time zone; dates are local dates there.
	Location *time.Location
	// SchoolAge decides who is of compulsory-education age, in every county without its own rules.
	SchoolAge policy.SchoolAgeRules
	// CountySchoolAge holds the rules of counties (namespaces) with their own enrolment cut-off.
	CountySchoolAge map[string]policy.SchoolAgeRules
	// ReportRetention is how long attendance reports are kept once folded into the class record.
	ReportRetention time.Duration
	// Workers are the concurrent reconciles of each controller.
	Workers Workers
	// RollupDelay coalesces changes of an agreement's figures into one reconcile; a county's or
	// township's figures are written once they have not moved for as long.
	RollupDelay time.Duration
	// SettleLimit bounds how long a county's or township's figures wait to settle while they keep
	// moving.
	SettleLimit time.Duration
}

// Workers are the concurrent reconciles per controller.
type Workers struct {
	Students, Records, Cases, Agreements int
}

// DefaultOptions: the real clock, Asia/Shanghai, the policy's school-age rules, 30 days retention,
// worker counts sized for one county (reconciles wait on the API server far more than they
// compute, so a worker count above the cores pays), figures coalesced over 2 seconds, a county's
// and a township's written within 5 minutes while a morning's roll calls keep moving them.
func DefaultOptions() (Options, error) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return Options{}, err
	}
	return Options{Clock: clock.RealClock{}, Location: loc, SchoolAge: policy.DefaultSchoolAgeRules, ReportRetention: 30 * 24 * time.Hour,
		Workers: Workers{Students: 32, Records: 8, Cases: 8, Agreements: 4}, RollupDelay: 2 * time.Second, SettleLimit: 5 * time.Minute}, nil
}

// schoolAge is the school-age rules of a county (namespace).
func (o Options) schoolAge(namespace string) policy.SchoolAgeRules {
	if rules, ok := o.CountySchoolAge[namespace]; ok {
		return rules
	}
	return o.SchoolAge
}

// today is the local calendar date now.
func (o Options) today() (time.Time, time.Time) {
	now := o.Clock.Now()
	return now, policy.LocalDate(now, o.Location)
}

// requeueAt asks to be called again at the start of a local date, or not at all.
func (o Options) requeueAt(date *time.Time) ctrl.Result {
	if date == nil {
		return ctrl.Result{}
	}
	d := policy.StartOfDay(*date, o.Location).Sub(o.Clock.Now())
	if d < time.Second {
		d = time.Second
	}
	return ctrl.Result{RequeueAfter: d}
}

// SetupWithManager registers the indexes, the rollup and fan-out, and the four reconcilers.
func SetupWithManager(mgr ctrl.Manager, opts Options) error {
	if err := RegisterIndexes(mgr); err != nil {
		return err
	}
	if err := RegisterDomainMetrics(mgr); err != nil {
		return err
	}
	recorder := mgr.GetEventRecorder("kongchuo")
	c := mgr.GetClient()
	store, err := newCachedStudents(context.Background(), mgr.GetCache(), c)
	if err != nil {
		return err
	}
	agreementStore, err := newCachedAgreements(context.Background(), mgr.GetCache(), c)
	if err != nil {
		return err
	}
	fanout := NewFanout(c, store)
	if err := mgr.Add(fanout); err != nil {
		return err
	}
	w := opts.Workers
	if err := (&StudentReconciler{Client: c, Options: opts, Recorder: recorder, Fanout: fanout, Agreements: agreementStore}).SetupWithManager(mgr, w.Students); err != nil {
		return err
	}
	if err := (&ClassAttendanceReconciler{Client: c, Options: opts, Students: store}).SetupWithManager(mgr, w.Records); err != nil {
		return err
	}
	cases := &DropoutCaseReconciler{Client: c, Options: opts, Recorder: recorder, Metrics: NewCaseMetrics(), Fanout: fanout, Agreements: agreementStore}
	if err := cases.SetupWithManager(mgr, w.Cases); err != nil {
		return err
	}
	agreements := &ResponsibilityAgreementReconciler{Client: c, Options: opts, Rollup: NewRollup(c, store, agreementStore, opts, opts.RollupDelay), Fanout: fanout,
		Metrics: NewAgreementMetrics(), Recorder: recorder, Agreements: agreementStore}
	if err := agreements.SetupWithManager(mgr, w.Agreements); err != nil {
		return err
	}
	return setupMonthlyReports(mgr, opts, agreements, store)
}

// earliestAfter is the earliest of the dates that is after today, or nil.
func earliestAfter(today time.Time, dates []time.Time) *time.Time {
	var best *time.Time
	for i := range dates {
		if d := dates[i]; d.After(today) && (best == nil || d.Before(*best)) {
			best = &dates[i]
		}
	}
	return best
}
