package main

import (
	"context"
	"fmt"
	"reflect"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/watch"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// burstDay has every class report at once (zero reports included).
func (b *bench) burstDay(day int) func(context.Context) error {
	return func(ctx context.Context) error {
		reports := make([]*v1.AttendanceReport, 0, len(b.county.Classes))
		for _, cl := range b.county.Classes {
			reports = append(reports, b.rollCall(cl, day))
		}
		name := fmt.Sprintf("burst day %d (%s)", day+1, b.days[day].Format("01-02"))
		return b.schoolDay(ctx, name, day, func() error {
			return parallel(ctx, b.o.workers, reports, func(r *v1.AttendanceReport) error { return b.c.Create(ctx, r) })
		})
	}
}

// trickleDay has the roll calls arrive at a steady rate, and times each new case from its class's
// roll call to the case's arrival at a watch.
func (b *bench) trickleDay(ctx context.Context) error {
	const day = 3
	w, err := b.watchCases(ctx)
	if err != nil {
		return err
	}
	defer w.Stop()
	seen := make(chan struct{})
	go b.timeCases(w, seen)
	interval := time.Duration(float64(time.Second) / b.o.trickleRate)
	err = b.schoolDay(ctx, fmt.Sprintf("trickle day (%s, %.0f roll calls/s)", b.days[day].Format("01-02"), b.o.trickleRate), day, func() error {
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for _, cl := range b.county.Classes {
			<-tick.C
			rep := b.rollCall(cl, day)
			if err := b.c.Create(ctx, rep); err != nil {
				return err
			}
			b.reported.Store(classKey(cl.School, cl.Grade, cl.Class), time.Now())
		}
		return nil
	})
	w.Stop()
	<-seen
	return err
}

func (b *bench) watchCases(ctx context.Context) (watch.Interface, error) {
	wc, err := client.NewWithWatch(b.cfg, client.Options{Scheme: b.env.Scheme})
	if err != nil {
		return nil, err
	}
	return wc.Watch(ctx, &v1.DropoutCaseList{}, client.InNamespace(namespace))
}

// timeCases records, for each case that arrives, the time since its class's trickle-day roll call.
func (b *bench) timeCases(w watch.Interface, done chan<- struct{}) {
	defer close(done)
	for ev := range w.ResultChan() {
		dc, ok := ev.Object.(*v1.DropoutCase)
		if !ok || ev.Type != watch.Added {
			continue
		}
		if at, ok := b.reported.Load(b.classOf[dc.Spec.Student]); ok {
			b.latency = append(b.latency, time.Since(at.(time.Time)))
		}
	}
}

// schoolDay sends a day's roll calls, waits for the manager to settle, and records the day's
// writes against what changed.
func (b *bench) schoolDay(ctx context.Context, name string, day int, send func() error) error {
	casesBefore, err := b.caseStatuses(ctx)
	if err != nil {
		return err
	}
	agreementsBefore, err := b.agreementStatuses(ctx)
	if err != nil {
		return err
	}
	before, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	b.profileAPIServer(ctx, name, 20)
	if err := send(); err != nil {
		return fmt.Errorf("sending roll calls: %w", err)
	}
	sent := time.Since(started)
	last, err := b.settle(ctx, started, 30*time.Minute)
	if err != nil {
		return err
	}
	after, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	if err := b.checkFolded(ctx, day); err != nil {
		return err
	}
	casesAfter, err := b.caseStatuses(ctx)
	if err != nil {
		return err
	}
	agreementsAfter, err := b.agreementStatuses(ctx)
	if err != nil {
		return err
	}
	children := b.childrenWhoseRunChanged(day)
	cases, agreements := changed(casesBefore, casesAfter), changed(agreementsBefore, agreementsAfter)
	opened := len(casesAfter) - len(casesBefore)
	classes := len(b.county.Classes)
	// A new case is two writes however it is done: the create, and its first status.
	necessary := children + classes + cases + opened + agreements
	var floor time.Duration
	if day == 3 {
		floor = sent // the roll calls themselves arrive over the morning
	}
	b.phases = append(b.phases, phase{name: name, took: last.Sub(started), writes: diff(before, after), necessary: necessary, creates: classes, patches: necessary, floor: floor,
		memory: b.managerMemory(ctx, name),
		note: fmt.Sprintf("%d classes, %d children whose run started, grew or ended, %d cases changed (%d of them new), %d agreements changed; roll calls sent in %s",
			classes, children, cases, opened, agreements, round(sent))})
	b.logf("%s: settled after %s", name, round(last.Sub(started)))
	if day == 0 {
		return b.measureSize(ctx, "Student, present every day, after the first day", "students/"+b.presentChild())
	}
	return nil
}

// checkFolded verifies that every class record holds the day.
func (b *bench) checkFolded(ctx context.Context, day int) error {
	var list v1.ClassAttendanceList
	if err := b.c.List(ctx, &list, client.InNamespace(namespace)); err != nil {
		return err
	}
	date := v1.Date(b.days[day].Format("2006-01-02"))
	have := 0
	for _, rec := range list.Items {
		for _, d := range rec.Spec.Days {
			if d.Date == date {
				have++
			}
		}
	}
	if have != len(b.county.Classes) {
		return fmt.Errorf("%d of %d class records hold %s", have, len(b.county.Classes), date)
	}
	return nil
}

func (b *bench) caseStatuses(ctx context.Context) (map[string]any, error) {
	var list v1.DropoutCaseList
	if err := b.c.List(ctx, &list, client.InNamespace(namespace)); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, dc := range list.Items {
		out[dc.Name] = dc.Status
	}
	return out, nil
}

func (b *bench) agreementStatuses(ctx context.Context) (map[string]any, error) {
	var list v1.ResponsibilityAgreementList
	if err := b.c.List(ctx, &list, client.InNamespace(namespace)); err != nil {
		return nil, err
	}
	out := map[string]any{}
	for _, a := range list.Items {
		out[a.Name] = a.Status
	}
	return out, nil
}

func changed(before, after map[string]any) int {
	n := 0
	for k, v := range after {
		if old, ok := before[k]; !ok || !reflect.DeepEqual(old, v) {
			n++
		}
	}
	return n
}

// idlePhase counts the manager's writes while nothing happens.
func (b *bench) idlePhase(ctx context.Context) error {
	before, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	time.Sleep(b.o.idle)
	after, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	b.phases = append(b.phases, phase{name: fmt.Sprintf("idle %s", b.o.idle), took: b.o.idle, writes: diff(before, after), memory: b.managerMemory(ctx, "idle")})
	return nil
}

func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := append([]time.Duration{}, ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := int(p*float64(len(s))+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}
