package controllers

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/types"
	toolscache "k8s.io/client-go/tools/cache"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// DomainMetrics exports the county figures provincial IT watches, from the statuses the
// reconcilers write: children at risk and out of school per township, per agreement above class
// level its rates, dropout cap and targets, and per class its missing roll calls. Informer event
// handlers keep one small sample per object, so a scrape walks no Student list; Students with
// nothing to report are not kept at all. Labels are the county namespace, a scope level and an
// administrative code (township, village, group, school, school-grade or school-grade-class):
// never a child or a person. Agreements for named students are not exported: their scope is a
// list of children.
//
// A class agreement exports its missing roll calls alone (the KongchuoClassSilent alert reads
// them): a class's rates are the figures of thirty children, which its status and the monthly
// reports carry, and as series they were nine in ten of the county's (30,000 of 38,000 at
// 100,000 children, some 20 MB allocated on every scrape; make bench-scale, docs/scaling.md).
type DomainMetrics struct {
	mu         sync.Mutex
	students   map[types.NamespacedName]studentSample
	agreements map[types.NamespacedName]agreementSample
	// leading reports whether this replica is the leader; the standby reports nothing, so that
	// sums over both replicas count each child once.
	leading func() bool

	atRisk, outOfSchool, rate, dropoutCap, targetsMet, missingRollCalls *prometheus.Desc
}

type studentSample struct {
	township            string
	atRisk, outOfSchool bool
}

type agreementSample struct {
	line, level, scope string
	// figures are nil for a class agreement: it exports its missing roll calls alone.
	figures *agreementFigures
	// missingRollCalls is -1 for agreements above class level.
	missingRollCalls int
}

// agreementFigures are what an agreement above class level exports.
type agreementFigures struct {
	rates      map[string]v1.Percent
	dropoutCap v1.Percent
	targetsMet bool
}

// scopeLabels are the labels of every per-scope metric.
var scopeLabels = []string{"namespace", "level", "scope"}

func newDomainMetrics(leading func() bool) *DomainMetrics {
	agreementLabels := []string{"namespace", "line", "level", "scope"}
	return &DomainMetrics{
		students:    map[types.NamespacedName]studentSample{},
		agreements:  map[types.NamespacedName]agreementSample{},
		leading:     leading,
		atRisk:      prometheus.NewDesc("kongchuo_students_at_risk", "Enrolled children with unexcused absences not yet long enough for a case (AtRisk), by township of residence.", scopeLabels, nil),
		outOfSchool: prometheus.NewDesc("kongchuo_children_out_of_school", "School-age children with an open dropout case (辍学 or 失学), by township of residence.", scopeLabels, nil),
		rate: prometheus.NewDesc("kongchuo_agreement_rate_percent", "A rate measured in the scope of an active agreement above class level (docs/rates.md).",
			append(agreementLabels, "rate"), nil),
		dropoutCap:       prometheus.NewDesc("kongchuo_agreement_dropout_cap_percent", "The dropout rate cap of an active agreement above class level, after inheritance.", agreementLabels, nil),
		targetsMet:       prometheus.NewDesc("kongchuo_agreement_targets_met", "1 when every target of an active agreement above class level is met (TargetsMet), else 0.", agreementLabels, nil),
		missingRollCalls: prometheus.NewDesc("kongchuo_class_missing_roll_calls", "Recent school days on which a class with an active agreement sent no roll call (零报告 missing).", scopeLabels, nil),
	}
}

// RegisterDomainMetrics feeds DomainMetrics from the manager's informers and registers it with
// controller-runtime's metrics registry.
func RegisterDomainMetrics(mgr ctrl.Manager) error {
	ctx := context.Background() // getting an informer before the manager starts does not block
	elected := mgr.Elected()
	m := newDomainMetrics(func() bool {
		select {
		case <-elected:
			return true
		default:
			return false
		}
	})
	if err := m.watch(ctx, mgr, &v1.Student{}, m.observeStudent); err != nil {
		return err
	}
	if err := m.watch(ctx, mgr, &v1.ResponsibilityAgreement{}, m.observeAgreement); err != nil {
		return err
	}
	return replaceCollector("domain", m)
}

// watch calls observe with every added or changed object of a kind, and with nil on deletion.
func (m *DomainMetrics) watch(ctx context.Context, mgr ctrl.Manager, obj client.Object, observe func(types.NamespacedName, client.Object)) error {
	informer, err := mgr.GetCache().GetInformer(ctx, obj)
	if err != nil {
		return fmt.Errorf("metrics informer for %T: %w", obj, err)
	}
	update := func(o any) {
		if co, ok := o.(client.Object); ok {
			observe(client.ObjectKeyFromObject(co), co)
		}
	}
	_, err = informer.AddEventHandler(toolscache.ResourceEventHandlerFuncs{
		AddFunc:    update,
		UpdateFunc: func(_, o any) { update(o) },
		DeleteFunc: func(o any) {
			if tomb, ok := o.(toolscache.DeletedFinalStateUnknown); ok {
				o = tomb.Obj
			}
			if co, ok := o.(client.Object); ok {
				observe(client.ObjectKeyFromObject(co), nil)
			}
		},
	})
	if err != nil {
		return fmt.Errorf("metrics event handler for %T: %w", obj, err)
	}
	return nil
}

func (m *DomainMetrics) observeStudent(key types.NamespacedName, obj client.Object) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := obj.(*v1.Student)
	if !ok {
		delete(m.students, key)
		return
	}
	sample := studentSample{
		township:    string(s.Spec.Residence.Township),
		atRisk:      meta.IsStatusConditionTrue(s.Status.Conditions, v1.StudentAtRisk),
		outOfSchool: s.Status.OpenCase != "",
	}
	if !sample.atRisk && !sample.outOfSchool {
		delete(m.students, key)
		return
	}
	m.students[key] = sample
}

func (m *DomainMetrics) observeAgreement(key types.NamespacedName, obj client.Object) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, ok := obj.(*v1.ResponsibilityAgreement)
	level := policy.LevelStudents
	if ok {
		level = policy.ScopeLevel(a.Spec.Scope)
	}
	if !ok || level == policy.LevelStudents || !meta.IsStatusConditionTrue(a.Status.Conditions, v1.AgreementActive) {
		delete(m.agreements, key)
		return
	}
	sample := agreementSample{line: string(a.Spec.Line), level: level.String(), scope: scopeCode(a.Spec.Scope, level), missingRollCalls: -1}
	if level == policy.LevelClass {
		if a.Status.Reporting != nil {
			sample.missingRollCalls = len(a.Status.Reporting.MissingDays)
		}
	} else {
		sample.figures = figuresOf(a)
	}
	m.agreements[key] = sample
}

// figuresOf are the figures an agreement above class level exports.
func figuresOf(a *v1.ResponsibilityAgreement) *agreementFigures {
	r := a.Status.Rates
	return &agreementFigures{
		rates: map[string]v1.Percent{
			"enrolment": r.Enrolment, "primaryEnrolment": r.PrimaryEnrolment, "juniorEnrolment": r.JuniorEnrolment,
			"consolidation": r.Consolidation, "dropout": r.Dropout, "disabilityEnrolment": r.DisabilityEnrolment,
		},
		dropoutCap: a.Status.EffectiveMaxDropout,
		targetsMet: meta.IsStatusConditionTrue(a.Status.Conditions, v1.AgreementTargetsMet),
	}
}

// scopeCode is the administrative code of a scope at its level.
func scopeCode(s v1.Scope, level policy.Level) string {
	switch level {
	case policy.LevelTownship:
		return string(s.Township)
	case policy.LevelVillage:
		return string(s.Village)
	case policy.LevelGroup:
		return string(s.Group)
	case policy.LevelSchool:
		return string(s.School)
	case policy.LevelGrade:
		return fmt.Sprintf("%s-%d", s.School, s.Grade)
	case policy.LevelClass:
		return fmt.Sprintf("%s-%d-%d", s.School, s.Grade, s.Class)
	default:
		return "county"
	}
}

// Describe implements prometheus.Collector.
func (m *DomainMetrics) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{m.atRisk, m.outOfSchool, m.rate, m.dropoutCap, m.targetsMet, m.missingRollCalls} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (m *DomainMetrics) Collect(ch chan<- prometheus.Metric) {
	if !m.leading() {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.collectStudents(ch)
	// Two agreements on the same scope and line (a Conflict) would export the same series twice,
	// which the registry refuses: the first by name speaks for the scope.
	// Compared field by field: NamespacedName.String allocates, twice per comparison.
	keys := slices.SortedFunc(maps.Keys(m.agreements), func(a, b types.NamespacedName) int {
		return cmp.Or(strings.Compare(a.Namespace, b.Namespace), strings.Compare(a.Name, b.Name))
	})
	seen := map[[3]string]bool{}
	for _, key := range keys {
		a := m.agreements[key]
		if id := [3]string{key.Namespace, a.line, a.scope}; !seen[id] {
			seen[id] = true
			m.collectAgreement(ch, key.Namespace, a)
		}
	}
}

func (m *DomainMetrics) collectStudents(ch chan<- prometheus.Metric) {
	atRisk, out := counts{}, counts{}
	for key, s := range m.students {
		if s.atRisk {
			atRisk.add(key.Namespace, policy.LevelTownship.String(), s.township)
		}
		if s.outOfSchool {
			out.add(key.Namespace, policy.LevelTownship.String(), s.township)
		}
	}
	atRisk.emit(ch, m.atRisk)
	out.emit(ch, m.outOfSchool)
}

func (m *DomainMetrics) collectAgreement(ch chan<- prometheus.Metric, ns string, a agreementSample) {
	if a.missingRollCalls >= 0 {
		ch <- prometheus.MustNewConstMetric(m.missingRollCalls, prometheus.GaugeValue, float64(a.missingRollCalls), ns, a.level, a.scope)
	}
	f := a.figures
	if f == nil {
		return
	}
	labels := []string{ns, a.line, a.level, a.scope}
	gauge := func(desc *prometheus.Desc, v float64, extra ...string) {
		ch <- prometheus.MustNewConstMetric(desc, prometheus.GaugeValue, v, append(labels, extra...)...)
	}
	for name, p := range f.rates {
		if v, ok := percent(p); ok {
			gauge(m.rate, v, name)
		}
	}
	if v, ok := percent(f.dropoutCap); ok {
		gauge(m.dropoutCap, v)
	}
	met := 0.0
	if f.targetsMet {
		met = 1
	}
	gauge(m.targetsMet, met)
}

// percent reads a Percent; an empty one (not measured, or no target) is not exported.
func percent(p v1.Percent) (float64, bool) {
	if p == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(p), 64)
	return v, err == nil
}
