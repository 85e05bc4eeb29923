package controllers

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// ReportMetrics counts the monthly reports that are Late, per county and level, from what the
// report reconciler last judged (it runs on the leader only, and judges every report at start).
// Labels carry no person: a county namespace and a level.
type ReportMetrics struct {
	mu   sync.Mutex
	late map[types.NamespacedName]v1.ReportLevel
	desc *prometheus.Desc
}

var reportMetrics = &ReportMetrics{late: map[types.NamespacedName]v1.ReportLevel{},
	desc: prometheus.NewDesc("kongchuo_monthly_reports_late", "Monthly reports (月报) not confirmed by their due day (Late), by level.", []string{"namespace", "level"}, nil)}

func registerReportMetrics(ctrl.Manager) error { return replaceCollector("reports", reportMetrics) }

// observe notes whether a report is late; a deleted report is passed with late false.
func (m *ReportMetrics) observe(key types.NamespacedName, level v1.ReportLevel, late bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if late {
		m.late[key] = level
	} else {
		delete(m.late, key)
	}
}

// Describe implements prometheus.Collector.
func (m *ReportMetrics) Describe(ch chan<- *prometheus.Desc) { ch <- m.desc }

// Collect implements prometheus.Collector.
func (m *ReportMetrics) Collect(ch chan<- prometheus.Metric) {
	m.mu.Lock()
	counts := map[[2]string]int{}
	for key, level := range m.late {
		counts[[2]string{key.Namespace, string(level)}]++
	}
	m.mu.Unlock()
	for k, n := range counts {
		ch <- prometheus.MustNewConstMetric(m.desc, prometheus.GaugeValue, float64(n), k[0], k[1])
	}
}
