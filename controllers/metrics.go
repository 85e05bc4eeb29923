package controllers

import (
	"fmt"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// CaseMetrics exports open and overdue cases per namespace (county), stage, type, age and line.
// Labels carry no personal data: never a student, a case name or a person. The case reconciler
// feeds it, so only the leader reports.
type CaseMetrics struct {
	mu    sync.Mutex
	cases map[types.NamespacedName]CaseSample
	// now is the wall clock of a scrape, for the age of a case.
	now          func() time.Time
	open         *prometheus.Desc
	late         *prometheus.Desc
	byAge        *prometheus.Desc
	lateByLine   *prometheus.Desc
	lateSinceMin *prometheus.Desc
}

// CaseSample is what the metrics keep of one case.
type CaseSample struct {
	Type   v1.CaseType
	Stage  v1.Stage
	Opened time.Time
	// Overdue: the action the stage requires is late, owed by OverdueLine since OverdueSince.
	Overdue      bool
	OverdueLine  v1.Line
	OverdueSince time.Time
}

// caseAges are the buckets of kongchuo_open_cases_by_age: days since the case opened.
var caseAges = []struct {
	label   string
	maxDays int
}{{"0-7d", 7}, {"8-30d", 30}, {"31-90d", 90}, {"over-90d", int(^uint(0) >> 1)}}

// NewCaseMetrics creates the collector and registers it with controller-runtime's registry, in
// place of the one of a manager set up before in this process (tests restart managers).
func NewCaseMetrics() *CaseMetrics {
	m := newCaseMetrics()
	if err := replaceCollector("cases", m); err != nil {
		panic(err) // the descriptors are constants: only a programming error gets here
	}
	return m
}

var (
	collectorsMu sync.Mutex
	collectors   = map[string]prometheus.Collector{}
)

// replaceCollector registers c under name with controller-runtime's registry, unregistering the
// collector registered under that name before, whose manager is gone.
func replaceCollector(name string, c prometheus.Collector) error {
	collectorsMu.Lock()
	defer collectorsMu.Unlock()
	if old, ok := collectors[name]; ok {
		metrics.Registry.Unregister(old)
	}
	if err := metrics.Registry.Register(c); err != nil {
		return fmt.Errorf("registering the %s metrics: %w", name, err)
	}
	collectors[name] = c
	return nil
}

func newCaseMetrics() *CaseMetrics {
	return &CaseMetrics{
		cases:        map[types.NamespacedName]CaseSample{},
		now:          time.Now,
		open:         prometheus.NewDesc("kongchuo_open_cases", "Open dropout cases by county namespace, stage and type.", []string{"namespace", "stage", "type"}, nil),
		late:         prometheus.NewDesc("kongchuo_overdue_cases", "Open dropout cases with an overdue action, by county namespace.", []string{"namespace"}, nil),
		byAge:        prometheus.NewDesc("kongchuo_open_cases_by_age", "Open dropout cases by county namespace, stage and days since the case opened.", []string{"namespace", "stage", "age"}, nil),
		lateByLine:   prometheus.NewDesc("kongchuo_overdue_actions", "Open cases whose required action is overdue, by county namespace and the line that owes it.", []string{"namespace", "line"}, nil),
		lateSinceMin: prometheus.NewDesc("kongchuo_overdue_since_timestamp_seconds", "When the longest-overdue action of the county and line became late (Unix time).", []string{"namespace", "line"}, nil),
	}
}

// Observe records a case's current state.
func (m *CaseMetrics) Observe(key types.NamespacedName, c CaseSample) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cases[key] = c
}

// Forget drops a deleted case.
func (m *CaseMetrics) Forget(key types.NamespacedName) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.cases, key)
}

// Describe implements prometheus.Collector.
func (m *CaseMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.open, m.late, m.byAge, m.lateByLine, m.lateSinceMin} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (m *CaseMetrics) Collect(ch chan<- prometheus.Metric) {
	type nsLine struct{ ns, line string }
	open, byAge := counts{}, counts{}
	late := map[string]int{}
	lateByLine := map[nsLine]int{}
	lateSince := map[nsLine]time.Time{}
	now := m.now()
	m.mu.Lock()
	for key, c := range m.cases {
		if c.Stage == v1.StageClosed {
			continue
		}
		open.add(key.Namespace, string(c.Stage), string(c.Type))
		byAge.add(key.Namespace, string(c.Stage), ageBucket(now.Sub(c.Opened)))
		if !c.Overdue {
			continue
		}
		late[key.Namespace]++
		k := nsLine{key.Namespace, string(c.OverdueLine)}
		lateByLine[k]++
		if since, ok := lateSince[k]; !ok || c.OverdueSince.Before(since) {
			lateSince[k] = c.OverdueSince
		}
	}
	m.mu.Unlock()
	open.emit(ch, m.open)
	byAge.emit(ch, m.byAge)
	for ns, n := range late {
		ch <- prometheus.MustNewConstMetric(m.late, prometheus.GaugeValue, float64(n), ns)
	}
	for k, n := range lateByLine {
		ch <- prometheus.MustNewConstMetric(m.lateByLine, prometheus.GaugeValue, float64(n), k.ns, k.line)
		ch <- prometheus.MustNewConstMetric(m.lateSinceMin, prometheus.GaugeValue, float64(lateSince[k].Unix()), k.ns, k.line)
	}
}

func ageBucket(age time.Duration) string {
	days := int(age.Hours() / 24)
	for _, b := range caseAges {
		if days <= b.maxDays {
			return b.label
		}
	}
	return caseAges[len(caseAges)-1].label
}

// counts tallies gauge values by their three label values.
type counts map[[3]string]int

func (c counts) add(a, b, d string) { c[[3]string{a, b, d}]++ }

func (c counts) emit(ch chan<- prometheus.Metric, desc *prometheus.Desc) {
	for k, n := range c {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, float64(n), k[0], k[1], k[2])
	}
}
