package controllers_test

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/casework"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/importer"
)

// demoToday is a Monday: the demo's roll calls run to the Friday before, and the school day the
// benchmark adds is this day itself, so the clock need not move between the two snapshots.
var demoToday = time.Date(2026, time.November, 23, 0, 0, 0, 0, time.UTC)

// BenchmarkDemoSchoolDay loads the demo county (336 children, 15 school days of roll calls, the
// agreements and the recorded case actions), lets the controllers settle, then imports one more
// school day of roll calls (one report per class) and counts the controllers' API writes against
// the objects whose status actually changed. Writes are counted at the manager's client; Events
// are counted as the Events created in the namespace.
//
//	go test ./controllers -run '^$' -bench DemoSchoolDay -benchtime 1x -v
func BenchmarkDemoSchoolDay(b *testing.B) {
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ns := newNamespace(b)
		county := demo.Generate(demoToday, demo.DefaultSeed)
		setToday(v1.Date(demoToday.Format("2006-01-02")))
		loadDemo(b, ns, county)
		settle(b, ns)
		before := statuses(b, ns)
		eventsBefore := countEvents(b, ns)
		writes.take(ns)

		day := county.AppendSchoolDay()
		b.StartTimer()
		importDemoAttendance(b, ns, county.AttendanceCSVFrom(day))
		settle(b, ns)
		b.StopTimer()

		counted := writes.take(ns)
		changed := changedStatuses(before, statuses(b, ns))
		events := countEvents(b, ns) - eventsBefore
		total, changedTotal := 0, 0
		for _, n := range counted {
			total += n
		}
		for _, n := range changed {
			changedTotal += n
		}
		b.Logf("one school day, %d class reports: %d controller writes %v, %d Events; objects whose status changed: %v",
			len(county.Classes), total, sorted(counted), events, sorted(changed))
		b.ReportMetric(float64(changed["Student"]), "students-changed")
		b.ReportMetric(float64(counted["Student status patch"]), "student-writes")
		b.ReportMetric(float64(total), "writes")
		b.ReportMetric(float64(changedTotal), "objects-changed")
		b.ReportMetric(float64(total)/float64(changedTotal), "writes/changed-object")
	}
}

func loadDemo(b *testing.B, ns string, county *demo.County) {
	b.Helper()
	ctx := context.Background()
	im := &importer.Importer{Client: k8s, Namespace: ns}
	res, err := im.ImportRegistry(ctx, bytes.NewReader(county.RegistryCSV()))
	if err != nil || len(res.Rejected) > 0 {
		b.Fatalf("registry import: %v %+v", err, res)
	}
	for _, a := range county.Agreements {
		a = a.DeepCopy()
		a.Namespace = ns
		if err := k8s.Create(ctx, a); err != nil {
			b.Fatalf("agreement %s: %v", a.Name, err)
		}
	}
	importDemoAttendance(b, ns, county.AttendanceCSV())
	rec := &casework.Recorder{Client: k8s, Namespace: ns}
	if fr, err := rec.RecordFile(ctx, bytes.NewReader(county.ActionsCSV()), time.Minute, nil); err != nil || len(fr.Failed) > 0 {
		b.Fatalf("recording actions: %v %+v", err, fr)
	}
}

func importDemoAttendance(b *testing.B, ns string, csv []byte) {
	b.Helper()
	im := &importer.Importer{Client: k8s, Namespace: ns}
	res, err := im.ImportAttendance(context.Background(), bytes.NewReader(csv))
	if err != nil || len(res.Rejected) > 0 {
		b.Fatalf("attendance import: %v %+v", err, res)
	}
}

// settle waits until every report is folded into its class record and the controllers wrote nothing for two seconds.
func settle(b *testing.B, ns string) {
	b.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	last, quietSince := -1, time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		if n := writes.total(ns); n != last {
			last, quietSince = n, time.Now()
			continue
		}
		if time.Since(quietSince) >= 2*time.Second && allReportsFolded(b, ns) {
			return
		}
	}
	b.Fatalf("the controllers did not settle within 3 minutes (%d writes so far)", last)
}

// allReportsFolded tells whether every report's day is in its class's record.
func allReportsFolded(b *testing.B, ns string) bool {
	var reports v1.AttendanceReportList
	var records v1.ClassAttendanceList
	for _, l := range []client.ObjectList{&reports, &records} {
		if err := k8s.List(context.Background(), l, client.InNamespace(ns)); err != nil {
			b.Fatal(err)
		}
	}
	folded := map[string]bool{}
	for _, rec := range records.Items {
		for _, d := range rec.Spec.Days {
			folded[fmt.Sprintf("%s/%d/%d/%s", rec.Spec.School, rec.Spec.Grade, rec.Spec.Class, d.Date)] = true
		}
	}
	for _, r := range reports.Items {
		if !folded[fmt.Sprintf("%s/%d/%d/%s", r.Spec.School, r.Spec.Grade, r.Spec.Class, r.Spec.Date)] {
			return false
		}
	}
	return true
}

// statuses is what the controllers write of every kongchuo object in the namespace, by kind and
// name: the status, and a class record's days.
func statuses(b *testing.B, ns string) map[string]any {
	b.Helper()
	out := map[string]any{}
	ctx := context.Background()
	var students v1.StudentList
	var cases v1.DropoutCaseList
	var agreements v1.ResponsibilityAgreementList
	var reports v1.AttendanceReportList
	var records v1.ClassAttendanceList
	for _, l := range []client.ObjectList{&students, &cases, &agreements, &reports, &records} {
		if err := k8s.List(ctx, l, client.InNamespace(ns)); err != nil {
			b.Fatal(err)
		}
	}
	for _, o := range students.Items {
		out["Student/"+o.Name] = o.Status
	}
	for _, o := range cases.Items {
		out["DropoutCase/"+o.Name] = o.Status
	}
	for _, o := range agreements.Items {
		out["ResponsibilityAgreement/"+o.Name] = o.Status
	}
	for _, o := range reports.Items {
		out["AttendanceReport/"+o.Name] = o.Status
	}
	for _, o := range records.Items {
		// The record's days are what the controller writes: spec, not status.
		out["ClassAttendance/"+o.Name] = o.Spec
	}
	return out
}

// changedStatuses counts, by kind, the objects that are new or whose status differs.
func changedStatuses(before, after map[string]any) map[string]int {
	out := map[string]int{}
	for key, st := range after {
		if old, ok := before[key]; !ok || !reflect.DeepEqual(old, st) {
			out[strings.SplitN(key, "/", 2)[0]]++
		}
	}
	return out
}

func countEvents(b *testing.B, ns string) int {
	b.Helper()
	var list eventsv1.EventList
	if err := k8s.List(context.Background(), &list, client.InNamespace(ns)); err != nil {
		b.Fatal(err)
	}
	return len(list.Items)
}

func sorted(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s: %d", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
