package controllers

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// CaseMetrics exports open and overdue cases per namespace (county), stage and type. Labels carry
// no personal data: never a student, a case name or a person.
type CaseMetrics struct {
	mu    sync.Mutex
	cases map[types.NamespacedName]caseSample
	open  *prometheus.Desc
	late  *prometheus.Desc
}

type caseSample struct {
	stage   v1.Stage
	typ     v1.CaseType
	overdue bool
}

var registerOnce sync.Once

// NewCaseMetrics creates the collector and registers it with controller-runtime's registry once.
func NewCaseMetrics() *CaseMetrics {
	m := &CaseMetrics{
		cases: map[types.NamespacedName]caseSample{},
		open:  prometheus.NewDesc("kongchuo_open_cases", "Open dropout cases by county namespace, stage and type.", []string{"namespace", "stage", "type"}, nil),
		late:  prometheus.NewDesc("kongchuo_overdue_cases", "Open dropout cases with an overdue action, by county namespace.", []string{"namespace"}, nil),
	}
	registerOnce.Do(func() { metrics.Registry.MustRegister(m) })
	return m
}

// Observe records a case's current state.
func (m *CaseMetrics) Observe(key types.NamespacedName, typ v1.CaseType, stage v1.Stage, overdue bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.cases[key] = caseSample{stage: stage, typ: typ, overdue: overdue}
}

// Forget drops a deleted case.
func (m *CaseMetrics) Forget(key types.NamespacedName) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.cases, key)
}

// Describe implements prometheus.Collector.
func (m *CaseMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.open
	ch <- m.late
}

// Collect implements prometheus.Collector.
func (m *CaseMetrics) Collect(ch chan<- prometheus.Metric) {
	type openKey struct{ ns, stage, typ string }
	open, late := map[openKey]int{}, map[string]int{}
	m.mu.Lock()
	for key, c := range m.cases {
		if c.stage == v1.StageClosed {
			continue
		}
		open[openKey{key.Namespace, string(c.stage), string(c.typ)}]++
		if c.overdue {
			late[key.Namespace]++
		}
	}
	m.mu.Unlock()
	for k, n := range open {
		ch <- prometheus.MustNewConstMetric(m.open, prometheus.GaugeValue, float64(n), k.ns, k.stage, k.typ)
	}
	for ns, n := range late {
		ch <- prometheus.MustNewConstMetric(m.late, prometheus.GaugeValue, float64(n), ns)
	}
}
