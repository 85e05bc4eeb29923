package install_test

// The alert rules of config/prometheus/prometheusrule.yaml evaluated on sample series with
// Prometheus' own rule engine (rules.Manager over promqltest's storage, as `promtool test rules`
// does): each alert fires on the series it is meant for, after its `for`, and not on the others.

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/common/promslog"
	"github.com/prometheus/prometheus/model/labels"
	"github.com/prometheus/prometheus/promql/promqltest"
	"github.com/prometheus/prometheus/rules"
	"sigs.k8s.io/yaml"
)

const evalInterval = time.Minute

// ruleGroupsFile writes the PrometheusRule's spec as a Prometheus rule file.
func ruleGroupsFile(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "config", "prometheus", "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rule struct {
		Spec map[string]any `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &rule); err != nil {
		t.Fatal(err)
	}
	groups, err := yaml.Marshal(rule.Spec)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(file, groups, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// firing evaluates every rule each minute from 0 to until on the series (promqltest's `load`
// syntax) and returns the firing alerts named alert at until, as "label=value,…" with the
// summary annotation.
func firing(t *testing.T, file, alert, series string, until time.Duration) []string {
	t.Helper()
	suite, err := promqltest.NewLazyLoader("load 1m\n"+series, promqltest.LazyLoaderOpts{EnableAtModifier: true, EnableNegativeOffset: true})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = suite.Close() }()
	manager := rules.NewManager(&rules.ManagerOptions{
		QueryFunc:    rules.EngineQueryFunc(suite.QueryEngine(), suite.Storage()),
		AppendableV2: suite.Storage(),
		Context:      context.Background(),
		NotifyFunc:   func(context.Context, string, ...*rules.Alert) {},
		Logger:       promslog.NewNopLogger(),
	})
	groups, errs := manager.LoadGroups(evalInterval, labels.EmptyLabels(), "", nil, false, file)
	if len(errs) > 0 {
		t.Fatalf("loading the rules: %v", errs)
	}
	start := time.Unix(0, 0).UTC()
	for ts := start; !ts.After(start.Add(until)); ts = ts.Add(evalInterval) {
		suite.WithSamplesTill(ts, func(err error) {
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range groups {
				g.Eval(suite.Context(), ts)
				for _, r := range g.Rules() {
					if r.LastError() != nil {
						t.Fatalf("rule %s at %s: %v", r.Name(), ts.Sub(start), r.LastError())
					}
				}
			}
		})
	}
	var out []string
	found := false
	for _, g := range groups {
		for _, r := range g.Rules() {
			ar, ok := r.(*rules.AlertingRule)
			if !ok || ar.Name() != alert {
				continue
			}
			found = true
			for _, a := range ar.ActiveAlerts() {
				if a.State == rules.StateFiring {
					l := a.Labels.DropMetricName()
					l = labels.NewBuilder(l).Del("alertname", "severity").Labels()
					out = append(out, l.String()+" "+a.Annotations.Get("summary"))
				}
			}
		}
	}
	if !found {
		t.Fatalf("no alert %s in the rules", alert)
	}
	slices.Sort(out)
	return out
}

func TestAlertRulesFire(t *testing.T) {
	file := ruleGroupsFile(t)
	const days = 24 * time.Hour
	for _, tc := range []struct {
		alert  string
		series string
		// before: nothing fires yet (the `for` has not passed); after: exactly want fires.
		before, after time.Duration
		want          []string
	}{{
		alert: "KongchuoCaseOverdue",
		// county-a's oldest overdue action became late at t=0, county-b's two days later.
		series: `kongchuo_overdue_since_timestamp_seconds{namespace="county-a", line="Government", pod="kongchuo-manager-1"} 0x5000
			kongchuo_overdue_since_timestamp_seconds{namespace="county-b", line="Education", pod="kongchuo-manager-1"} 172800x5000`,
		before: 3*days + 10*time.Minute, after: 3*days + 20*time.Minute,
		want: []string{`{line="Government", namespace="county-a"} county-a: an action on the Government line is more than 3 days overdue`},
	}, {
		alert: "KongchuoTownshipOverDropoutCap",
		series: `kongchuo_agreement_rate_percent{namespace="county-a", line="Government", level="Township", scope="520121100", rate="dropout"} 1.5x90
			kongchuo_agreement_dropout_cap_percent{namespace="county-a", line="Government", level="Township", scope="520121100"} 1x90
			kongchuo_agreement_rate_percent{namespace="county-a", line="Government", level="Township", scope="520121101", rate="dropout"} 0.5x90
			kongchuo_agreement_dropout_cap_percent{namespace="county-a", line="Government", level="Township", scope="520121101"} 1x90
			kongchuo_agreement_rate_percent{namespace="county-a", line="Government", level="Village", scope="520121100201", rate="dropout"} 5x90
			kongchuo_agreement_dropout_cap_percent{namespace="county-a", line="Government", level="Village", scope="520121100201"} 1x90`,
		before: 50 * time.Minute, after: 70 * time.Minute,
		want: []string{`{line="Government", namespace="county-a", scope="520121100"} county-a: township 520121100 is over its dropout cap (1.5 %)`},
	}, {
		alert: "KongchuoClassSilent",
		series: `kongchuo_class_missing_roll_calls{namespace="county-a", level="Class", scope="5201210001-5-2"} 3x90
			kongchuo_class_missing_roll_calls{namespace="county-a", level="Class", scope="5201210001-5-3"} 2x90`,
		before: 50 * time.Minute, after: 70 * time.Minute,
		want: []string{`{namespace="county-a", scope="5201210001-5-2"} county-a: class 5201210001-5-2 missed 3 roll calls`},
	}, {
		alert: "KongchuoManagerDown",
		// Both replicas are scraped for 10 minutes, then neither.
		series: `up{job="kongchuo-manager-metrics", instance="10.0.0.1:8443"} 1x10 0x30
			up{job="kongchuo-manager-metrics", instance="10.0.0.2:8443"} 1x10 0x30`,
		before: 14 * time.Minute, after: 20 * time.Minute,
		want: []string{`{} No kongchuo manager replica is being scraped`},
	}, {
		alert: "KongchuoNoLeader",
		// Replica 1 leads for 10 minutes, then loses the lease; replica 2 never takes it.
		series: `leader_election_master_status{job="kongchuo-manager-metrics", name="kongchuo-manager.kongchuo.io", pod="kongchuo-manager-1"} 1x10 0x30
			leader_election_master_status{job="kongchuo-manager-metrics", name="kongchuo-manager.kongchuo.io", pod="kongchuo-manager-2"} 0x40`,
		before: 14 * time.Minute, after: 20 * time.Minute,
		want: []string{`{} kongchuo managers are running but none leads`},
	}, {
		alert: "KongchuoReconcileErrors",
		// 12 errors a minute (0.2/s) on the case controller, none on the others.
		series: `controller_runtime_reconcile_errors_total{job="kongchuo-manager-metrics", controller="dropoutcase", pod="kongchuo-manager-1"} 0+12x80
			controller_runtime_reconcile_errors_total{job="kongchuo-manager-metrics", controller="student", pod="kongchuo-manager-1"} 0x80`,
		before: 25 * time.Minute, after: 40 * time.Minute,
		want: []string{`{controller="dropoutcase"} kongchuo controller dropoutcase keeps failing to reconcile`},
	}, {
		alert:  "KongchuoWorkQueueBacklog",
		series: `workqueue_depth{job="kongchuo-manager-metrics", name="student", pod="kongchuo-manager-1"} 5000x80`,
		before: 25 * time.Minute, after: 40 * time.Minute,
		want: []string{`{name="student"} kongchuo work queue student holds 5000 items`},
	}} {
		t.Run(tc.alert, func(t *testing.T) {
			if got := firing(t, file, tc.alert, tc.series, tc.before); len(got) != 0 {
				t.Errorf("at %s already firing: %q", tc.before, got)
			}
			if got := firing(t, file, tc.alert, tc.series, tc.after); !slices.Equal(got, tc.want) {
				t.Errorf("at %s:\n got %q\nwant %q", tc.after, got, tc.want)
			}
		})
	}
}

// TestEveryAlertIsTested: a new rule needs its scenario above.
func TestEveryAlertIsTested(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "config", "prometheus", "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	test, err := os.ReadFile("alerts_test.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if name, ok := strings.CutPrefix(strings.TrimSpace(line), "- alert: "); ok && !strings.Contains(string(test), `"`+name+`",`) {
			t.Errorf("alert %s has no scenario in TestAlertRulesFire", name)
		}
	}
}
