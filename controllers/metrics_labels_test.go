package controllers

// Label-set tests of the domain metrics: which series exist, with which labels and values, and
// that no label carries a child's or a person's data. In-memory objects; no API server needed.

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

const metricsNS = "county-520121"

// personal is every personal value in the fixtures; none may appear in a label.
var personal = []string{"stu-0a1b2c3d", "测试学生", "52012120150315000X", "G52012120150315000X", "13800000000", "测试老师", "case-0a1b2c3d", "ra-class-5-2"}

func gather(t *testing.T, c prometheus.Collector) map[string][]*dto.Metric {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gathering: %v", err)
	}
	out := map[string][]*dto.Metric{}
	for _, f := range families {
		out[f.GetName()] = f.GetMetric()
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				for _, p := range personal {
					if strings.Contains(l.GetValue(), p) {
						t.Errorf("%s label %s=%q carries personal data", f.GetName(), l.GetName(), l.GetValue())
					}
				}
			}
		}
	}
	return out
}

// series renders a metric as "label=value,… value" for comparison.
func series(m *dto.Metric) string {
	var parts []string
	for _, l := range m.GetLabel() {
		parts = append(parts, l.GetName()+"="+l.GetValue())
	}
	return strings.Join(parts, ",") + " " + formatFloat(m.GetGauge().GetValue())
}

func formatFloat(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func assertSeries(t *testing.T, got map[string][]*dto.Metric, name string, want ...string) {
	t.Helper()
	var have []string
	for _, m := range got[name] {
		have = append(have, series(m))
	}
	slices.Sort(have)
	slices.Sort(want)
	if !slices.Equal(have, want) {
		t.Errorf("%s:\n got %q\nwant %q", name, have, want)
	}
}

func student(name string, atRisk bool, openCase string) *v1.Student {
	s := &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: metricsNS}}
	s.Spec.Name = "测试学生"
	s.Spec.ResidentID = "52012120150315000X"
	s.Spec.Residence.Township = "520121100"
	s.Status.OpenCase = openCase
	status := metav1.ConditionFalse
	if atRisk {
		status = metav1.ConditionTrue
	}
	s.Status.Conditions = []metav1.Condition{{Type: v1.StudentAtRisk, Status: status}}
	return s
}

func classAgreement(name string, active bool) *v1.ResponsibilityAgreement {
	a := &v1.ResponsibilityAgreement{ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: metricsNS}}
	a.Spec.Line = v1.LineEducation
	a.Spec.Scope = v1.Scope{School: "5201210001", Grade: 5, Class: 2}
	a.Status.Rates = v1.Rates{Enrolment: "100", Dropout: "1.5"}
	a.Status.EffectiveMaxDropout = "1"
	a.Status.Reporting = &v1.ReportingCompliance{MissingDays: []v1.Date{"2026-11-02", "2026-11-03", "2026-11-04"}}
	activeStatus := metav1.ConditionFalse
	if active {
		activeStatus = metav1.ConditionTrue
	}
	a.Status.Conditions = []metav1.Condition{
		{Type: v1.AgreementActive, Status: activeStatus},
		{Type: v1.AgreementTargetsMet, Status: metav1.ConditionFalse},
	}
	return a
}

func TestDomainMetricsLabelSets(t *testing.T) {
	m := newDomainMetrics(func() bool { return true })
	key := func(name string) types.NamespacedName { return types.NamespacedName{Namespace: metricsNS, Name: name} }
	m.observeStudent(key("stu-0a1b2c3d"), student("stu-0a1b2c3d", true, ""))
	m.observeStudent(key("stu-0a1b2c3e"), student("stu-0a1b2c3e", false, "case-0a1b2c3d"))
	m.observeStudent(key("stu-0a1b2c3f"), student("stu-0a1b2c3f", false, ""))
	m.observeAgreement(key("ra-class-5-2"), classAgreement("ra-class-5-2", true))
	// A second agreement on the same scope (a Conflict) must not export the series twice.
	m.observeAgreement(key("ra-class-5-2-copy"), classAgreement("ra-class-5-2-copy", true))
	m.observeAgreement(key("ra-expired"), func() *v1.ResponsibilityAgreement {
		a := classAgreement("ra-expired", false)
		a.Spec.Scope.Class = 3
		return a
	}())
	school := classAgreement("ra-school", true)
	school.Spec.Scope = v1.Scope{School: "5201210001"}
	school.Status.Reporting = nil
	m.observeAgreement(key("ra-school"), school)
	named := classAgreement("ra-named", true)
	named.Spec.Scope.Students = []string{"stu-0a1b2c3d"}
	m.observeAgreement(key("ra-named"), named)

	got := gather(t, m)
	township := "level=Township,namespace=" + metricsNS + ",scope=520121100"
	assertSeries(t, got, "kongchuo_students_at_risk", township+" 1")
	assertSeries(t, got, "kongchuo_children_out_of_school", township+" 1")
	// Figures come from the school's agreement; the class's exports its missing roll calls alone.
	schoolLabels := "level=School,line=Education,namespace=" + metricsNS + ",scope=5201210001"
	rate := func(name, value string) string {
		return "level=School,line=Education,namespace=" + metricsNS + ",rate=" + name + ",scope=5201210001 " + value
	}
	assertSeries(t, got, "kongchuo_agreement_rate_percent", rate("dropout", "1.5"), rate("enrolment", "100"))
	assertSeries(t, got, "kongchuo_agreement_dropout_cap_percent", schoolLabels+" 1")
	assertSeries(t, got, "kongchuo_agreement_targets_met", schoolLabels+" 0")
	assertSeries(t, got, "kongchuo_class_missing_roll_calls", "level=Class,namespace="+metricsNS+",scope=5201210001-5-2 3")

	// The child returns: the sample goes, and so do the series.
	m.observeStudent(key("stu-0a1b2c3d"), student("stu-0a1b2c3d", false, ""))
	m.observeStudent(key("stu-0a1b2c3e"), nil)
	got = gather(t, m)
	assertSeries(t, got, "kongchuo_students_at_risk")
	assertSeries(t, got, "kongchuo_children_out_of_school")
	if len(m.students) != 0 {
		t.Errorf("students with nothing to report are kept: %d", len(m.students))
	}
}

func TestDomainMetricsStandbyReportsNothing(t *testing.T) {
	m := newDomainMetrics(func() bool { return false })
	m.observeStudent(types.NamespacedName{Namespace: metricsNS, Name: "stu-0a1b2c3d"}, student("stu-0a1b2c3d", true, ""))
	if got := gather(t, m); len(got) != 0 {
		t.Errorf("the standby replica exported %v", got)
	}
}

func TestCaseMetricsLabelSets(t *testing.T) {
	m := newCaseMetrics()
	now := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }
	since := time.Date(2026, 11, 10, 16, 0, 0, 0, time.UTC)
	key := func(name string) types.NamespacedName { return types.NamespacedName{Namespace: metricsNS, Name: name} }
	m.Observe(key("case-0a1b2c3d"), CaseSample{Type: v1.CaseDroppedOut, Stage: v1.StageSchoolReported, Opened: now.AddDate(0, 0, -3)})
	m.Observe(key("case-0a1b2c3e"), CaseSample{Type: v1.CaseDroppedOut, Stage: v1.StageTownshipReported, Opened: now.AddDate(0, 0, -40),
		Overdue: true, OverdueLine: v1.LineGovernment, OverdueSince: since})
	m.Observe(key("case-0a1b2c3f"), CaseSample{Type: v1.CaseDroppedOut, Stage: v1.StageTownshipReported, Opened: now.AddDate(0, 0, -20),
		Overdue: true, OverdueLine: v1.LineGovernment, OverdueSince: since.AddDate(0, 0, 5)})
	m.Observe(key("case-closed"), CaseSample{Type: v1.CaseNotEnrolled, Stage: v1.StageClosed, Opened: now.AddDate(0, 0, -100)})

	got := gather(t, m)
	ns := "namespace=" + metricsNS
	assertSeries(t, got, "kongchuo_open_cases", ns+",stage=SchoolReported,type=DroppedOut 1", ns+",stage=TownshipReported,type=DroppedOut 2")
	assertSeries(t, got, "kongchuo_open_cases_by_age",
		"age=0-7d,"+ns+",stage=SchoolReported 1", "age=31-90d,"+ns+",stage=TownshipReported 1", "age=8-30d,"+ns+",stage=TownshipReported 1")
	assertSeries(t, got, "kongchuo_overdue_cases", ns+" 2")
	assertSeries(t, got, "kongchuo_overdue_actions", "line=Government,"+ns+" 2")
	assertSeries(t, got, "kongchuo_overdue_since_timestamp_seconds", "line=Government,"+ns+" "+formatFloat(float64(since.Unix())))
}
