package controllers

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"sigs.k8s.io/controller-runtime/pkg/metrics"
)

// AgreementMetrics times agreement reconciles by scope level (county, township, school, class…)
// and part: "evaluate" (gather and compute, what grows with a scope if anything does),
// "reconcile" (the whole, status write included) and "write" (the status write alone, observed
// only when there is one: its count is the agreement's status writes), the figures the
// county-scale benchmark reports: a county's reconcile must not grow with its children.
type AgreementMetrics struct {
	reconcile *prometheus.HistogramVec
}

// NewAgreementMetrics creates the histogram and registers it with controller-runtime's registry;
// a second manager in the same process (tests) shares the first one's.
func NewAgreementMetrics() *AgreementMetrics {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "kongchuo_agreement_reconcile_seconds",
		Help:    "Time to reconcile one ResponsibilityAgreement, by scope level.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
	}, []string{"level", "part"})
	var already prometheus.AlreadyRegisteredError
	if err := metrics.Registry.Register(h); errors.As(err, &already) {
		h = already.ExistingCollector.(*prometheus.HistogramVec)
	}
	return &AgreementMetrics{reconcile: h}
}

// Observe records one part of one reconcile.
func (m *AgreementMetrics) Observe(level, part string, d time.Duration) {
	m.reconcile.WithLabelValues(level, part).Observe(d.Seconds())
}
