package main

import (
	"context"
	"fmt"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// reportPhase measures the time to produce the county's monthly reports (月报) at N children: the
// county's terms move the cut-off days of all three levels to today, and each school, township
// and county agreement is asked to look now, as its requeue for the cut-off day would at midnight.
// The phase ends when every school, township and the county report exists; its time is the
// county report's, from the cut-off to the report a county officer confirms.
func (b *bench) reportPhase(ctx context.Context) error {
	today := time.Now().In(shanghai())
	if today.Day() > 28 {
		b.phases = append(b.phases, phase{name: "monthly reports", note: "not measured: cut-off days run 1–28, today is the " + today.Format("2nd")})
		return nil
	}
	month := today.Format("2006-01")
	var scopes []client.Object
	want := map[string]bool{}
	for _, a := range b.county.Agreements {
		if name, ok := reportOf(a, month); ok {
			want[name] = true
			scopes = append(scopes, agreementRef(a.Name))
		}
	}
	before, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	cut := today.Day()
	terms := client.RawPatch("application/merge-patch+json", []byte(fmt.Sprintf(
		`{"spec":{"terms":{"reporting":{"schoolCutOff":%d,"townshipCutOff":%d,"countyCutOff":%d}}}}`, cut, cut, cut)))
	for _, name := range []string{"county-education", "county-government"} {
		if err := b.c.Patch(ctx, agreementRef(name), terms); err != nil {
			return fmt.Errorf("moving the cut-off days of %s: %w", name, err)
		}
	}
	look := client.RawPatch("application/merge-patch+json", []byte(fmt.Sprintf(
		`{"metadata":{"annotations":{"kongchuo.io/bench-cut-off":%q}}}`, started.Format(time.RFC3339))))
	if err := parallel(ctx, b.o.workers, scopes, func(o client.Object) error { return b.c.Patch(ctx, o, look) }); err != nil {
		return fmt.Errorf("asking the agreements to look: %w", err)
	}
	countyName := policy.ReportName(v1.ReportCounty, "", month)
	var countyAt time.Duration
	for deadline := time.Now().Add(10 * time.Minute); ; time.Sleep(200 * time.Millisecond) {
		if time.Now().After(deadline) {
			return fmt.Errorf("the reports of %s did not all appear within 10 minutes", month)
		}
		var list v1.MonthlyReportList
		if err := b.c.List(ctx, &list, client.InNamespace(namespace)); err != nil {
			return err
		}
		got := 0
		for _, r := range list.Items {
			if want[r.Name] {
				got++
			}
			if r.Name == countyName && countyAt == 0 {
				countyAt = time.Since(started)
			}
		}
		if got == len(want) {
			break
		}
	}
	all := time.Since(started)
	if _, err := b.settle(ctx, started, 10*time.Minute); err != nil {
		return err
	}
	after, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	b.phases = append(b.phases, phase{name: "monthly reports (cut-off day)", took: countyAt, writes: diff(before, after),
		necessary: len(want), creates: len(want), memory: b.managerMemory(ctx, "monthly reports"),
		note: fmt.Sprintf("%d reports of %s (schools, townships, the county); the county report %s after the cut-off, all %s; the benchmark's own %d patches (terms, look) are counted among the writes",
			len(want), month, round(countyAt), round(all), 2+len(scopes))})
	b.logf("monthly reports: county in %s, all %d in %s", round(countyAt), len(want), round(all))
	return nil
}

// reportOf is the name of the report an agreement answers for this month, as the writer names it:
// a school's (education line), a township's (government line) or the county's (education line).
func reportOf(a *v1.ResponsibilityAgreement, month string) (string, bool) {
	sc := a.Spec.Scope
	switch level := policy.ScopeLevel(sc); {
	case level == policy.LevelSchool && a.Spec.Line == v1.LineEducation:
		return policy.ReportName(v1.ReportSchool, string(sc.School), month), true
	case level == policy.LevelTownship && a.Spec.Line == v1.LineGovernment:
		return policy.ReportName(v1.ReportTownship, string(sc.Township), month), true
	case level == policy.LevelCounty && a.Spec.Line == v1.LineEducation:
		return policy.ReportName(v1.ReportCounty, "", month), true
	}
	return "", false
}

// agreementRef is an agreement of the bench county by name, to patch.
func agreementRef(name string) *v1.ResponsibilityAgreement {
	a := &v1.ResponsibilityAgreement{}
	a.SetName(name)
	a.SetNamespace(namespace)
	return a
}
