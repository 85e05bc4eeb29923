package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/importer"
	"kongchuo.io/kongchuo/internal/testenv"
)

const (
	namespace = "bench-county"
	// quiet is how long no controller write must happen for a phase to count as settled.
	quiet = 5 * time.Second
)

// cohort says how a child's absences run over the four benchmark days.
type cohort int

const (
	present  cohort = iota
	awayAll         // away from day 1 on: cases open on day 3
	awayTwo         // away on days 1 and 2, back on day 3: a run that ends
	awayLate        // away from day 2 on: cases open on the trickle day
)

// absentOn says whether a cohort is away on a day (0-based).
func (c cohort) absentOn(day int) bool {
	switch c {
	case awayAll:
		return true
	case awayTwo:
		return day < 2
	case awayLate:
		return day >= 1
	}
	return false
}

// runChanges says whether the cohort's run of absence started, grew or ended on a day.
func (c cohort) runChanges(day int) bool {
	return c.absentOn(day) || (day > 0 && c.absentOn(day-1))
}

type bench struct {
	o     options
	env   *testenv.Env
	c     client.Client
	cfg   *rest.Config
	api   *apiMetrics
	start time.Time

	county     *demo.County
	days       []time.Time
	cohorts    map[string]cohort
	classOf    map[string]string // student → class key
	rosters    map[string][]string
	objects    int // Students and agreements, for the first sync's writes per object
	ceiling    ceiling
	phases     []phase
	manager    *managerProcess
	sizes      []sizeRow
	reconciles []phaseReconciles
	latency    []time.Duration
	reported   sync.Map // class key → time its trickle-day report was created
}

// phase is one row of the table.
type phase struct {
	name      string
	took      time.Duration
	writes    map[string]float64
	necessary int
	// The necessary writes split into creates and patches, and the least time the phase could
	// take whatever the server (the roll calls of a trickle day arrive over the morning): with
	// the ceiling, measured after the import, they give the ideal time.
	creates, patches int
	floor            time.Duration
	note             string
	memory           managerMemory
}

func (b *bench) logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "[%6.1fs] %s\n", time.Since(b.start).Seconds(), fmt.Sprintf(format, args...))
}

// importCounty generates the county, imports its registry as the plugin does, and creates the
// agreements.
func (b *bench) importCounty(ctx context.Context) error {
	today := time.Now().In(shanghai())
	b.days = lastSchoolDays(today, 4)
	schoolYear := time.Date(b.days[0].Year(), time.September, 1, 0, 0, 0, 0, time.UTC)
	if b.days[0].Before(schoolYear) {
		schoolYear = schoolYear.AddDate(-1, 0, 0)
	}
	b.county = demo.SyntheticCounty(b.o.children, demo.DefaultSeed, schoolYear)
	b.assignCohorts()
	if err := b.c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: namespace}}); err != nil {
		return err
	}
	before, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	started := time.Now()
	im := &importer.Importer{Client: b.c, Namespace: namespace}
	res, err := im.ImportRegistry(ctx, bytes.NewReader(b.county.RegistryCSV()))
	if err != nil {
		return err
	}
	if res.Created != b.o.children || len(res.Rejected) > 0 {
		return fmt.Errorf("import created %d of %d, rejected %d", res.Created, b.o.children, len(res.Rejected))
	}
	importTook := time.Since(started)
	agreements := make([]client.Object, 0, len(b.county.Agreements))
	for _, a := range b.county.Agreements {
		a = a.DeepCopy()
		a.Namespace = namespace
		agreements = append(agreements, a)
	}
	if err := parallel(ctx, b.o.workers, agreements, func(o client.Object) error { return b.c.Create(ctx, o) }); err != nil {
		return fmt.Errorf("creating agreements: %w", err)
	}
	after, err := b.api.writes(ctx)
	if err != nil {
		return err
	}
	b.objects = b.o.children + len(agreements)
	creates := b.o.children + len(agreements)
	b.phases = append(b.phases, phase{name: "import (registry + agreements)", took: time.Since(started), writes: diff(before, after),
		necessary: creates, creates: creates,
		note: fmt.Sprintf("%d rows in %s (%.0f rows/s); %d agreements", b.o.children, round(importTook),
			float64(b.o.children)/importTook.Seconds(), len(agreements))})
	b.logf("imported %d children, %d agreements, %d classes", b.o.children, len(agreements), len(b.county.Classes))
	return nil
}

// assignCohorts picks the absent children deterministically: of every 1000 children, the share
// given by -absent is away on day 1, five sixths of them for good and one sixth for two days; a
// tenth of that share more stays away from day 2 on.
func (b *bench) assignCohorts() {
	b.cohorts, b.classOf, b.rosters = map[string]cohort{}, map[string]string{}, map[string][]string{}
	all := int(b.o.absentShare * 1000 * 5 / 6)
	two := int(b.o.absentShare * 1000 / 6)
	late := int(b.o.absentShare * 1000 / 10)
	for i, ch := range b.county.Children {
		name := ch.Name()
		e := ch.Spec.Enrolment
		key := classKey(string(e.School), e.Grade, e.Class)
		b.classOf[name] = key
		b.rosters[key] = append(b.rosters[key], name)
		switch u := (i * 7919) % 1000; {
		case u < all:
			b.cohorts[name] = awayAll
		case u < all+two:
			b.cohorts[name] = awayTwo
		case u < all+two+late:
			b.cohorts[name] = awayLate
		}
	}
}

func classKey(school string, grade, class int32) string {
	return fmt.Sprintf("%s/%d/%d", school, grade, class)
}

// childrenWhoseRunChanged counts the children whose run of absence started, grew or ended on a day.
func (b *bench) childrenWhoseRunChanged(day int) int {
	n := 0
	for _, c := range b.cohorts {
		if c.runChanges(day) {
			n++
		}
	}
	return n
}

// rollCall is the class's report for a day.
func (b *bench) rollCall(cl demo.Class, day int) *v1.AttendanceReport {
	d := b.days[day]
	rep := &v1.AttendanceReport{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: fmt.Sprintf("att-%s-%d-%d-%s", cl.School, cl.Grade, cl.Class, d.Format("20060102"))},
		Spec: v1.AttendanceReportSpec{School: v1.SchoolCode(cl.School), Grade: cl.Grade, Class: cl.Class,
			Date: v1.Date(d.Format("2006-01-02")), Reporter: "homeroom"},
	}
	for _, name := range b.rosters[classKey(cl.School, cl.Grade, cl.Class)] {
		if b.cohorts[name].absentOn(day) {
			rep.Spec.Absences = append(rep.Spec.Absences, v1.Absence{Student: name, Kind: "Unexcused"})
		}
	}
	return rep
}

func lastSchoolDays(today time.Time, n int) []time.Time {
	var out []time.Time
	for d := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1); len(out) < n; d = d.AddDate(0, 0, -1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

func shanghai() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}

// parallel runs fn over the items with n workers and returns the first error.
func parallel[T any](ctx context.Context, n int, items []T, fn func(T) error) error {
	ch := make(chan T)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range ch {
				if err := fn(it); err != nil {
					select {
					case errs <- err:
					default:
					}
				}
			}
		}()
	}
	for _, it := range items {
		select {
		case ch <- it:
		case <-ctx.Done():
		}
	}
	close(ch)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}

func round(d time.Duration) time.Duration { return d.Round(100 * time.Millisecond) }
