package controllers

// The Grafana dashboard and the alert rules may only use kongchuo metrics that these collectors
// export (and controller-runtime's own): renaming a metric without them breaks this test, not a
// provincial dashboard.

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/prometheus/promql/parser"
	"sigs.k8s.io/yaml"
)

// runtimeMetrics are the controller-runtime and Prometheus series the files may use.
var runtimeMetrics = map[string]bool{
	"up": true, "leader_election_master_status": true, "controller_runtime_reconcile_total": true,
	"controller_runtime_reconcile_errors_total": true, "workqueue_depth": true,
}

func exportedMetrics(t *testing.T) map[string]bool {
	t.Helper()
	names := map[string]bool{}
	ch := make(chan *prometheus.Desc, 64)
	newCaseMetrics().Describe(ch)
	newDomainMetrics(func() bool { return true }).Describe(ch)
	close(ch)
	name := regexp.MustCompile(`fqName: "([^"]+)"`)
	for d := range ch {
		m := name.FindStringSubmatch(d.String())
		if m == nil {
			t.Fatalf("cannot read the name of %s", d)
		}
		names[m[1]] = true
	}
	return names
}

// metricsIn parses a PromQL expression (Grafana variables replaced) and lists the metric names.
func metricsIn(t *testing.T, expr string) []string {
	t.Helper()
	expr = regexp.MustCompile(`\$\{?\w+\}?`).ReplaceAllString(expr, "x")
	parsed, err := parser.NewParser(parser.Options{}).ParseExpr(expr)
	if err != nil {
		t.Errorf("%q does not parse: %v", expr, err)
		return nil
	}
	var names []string
	parser.Inspect(parsed, func(node parser.Node, _ []parser.Node) error {
		if vs, ok := node.(*parser.VectorSelector); ok {
			names = append(names, vs.Name)
		}
		return nil
	})
	return names
}

func dashboardExprs(t *testing.T) []string {
	raw, err := os.ReadFile(filepath.Join("..", "config", "grafana", "kongchuo-dashboard.json"))
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Targets []struct{ Expr string } `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("the dashboard is not JSON: %v", err)
	}
	var exprs []string
	for _, p := range dash.Panels {
		for _, target := range p.Targets {
			exprs = append(exprs, target.Expr)
		}
	}
	return exprs
}

func alertExprs(t *testing.T) []string {
	raw, err := os.ReadFile(filepath.Join("..", "config", "prometheus", "prometheusrule.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var rule struct {
		Spec struct {
			Groups []struct {
				Rules []struct{ Expr string } `json:"rules"`
			} `json:"groups"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal(raw, &rule); err != nil {
		t.Fatal(err)
	}
	var exprs []string
	for _, g := range rule.Spec.Groups {
		for _, r := range g.Rules {
			exprs = append(exprs, r.Expr)
		}
	}
	return exprs
}

func TestDashboardAndAlertsUseExportedMetrics(t *testing.T) {
	exported := exportedMetrics(t)
	for file, exprs := range map[string][]string{"dashboard": dashboardExprs(t), "alerts": alertExprs(t)} {
		if len(exprs) == 0 {
			t.Errorf("no queries in the %s", file)
		}
		for _, expr := range exprs {
			for _, name := range metricsIn(t, expr) {
				if !exported[name] && !runtimeMetrics[name] {
					t.Errorf("the %s uses %s, which nothing exports (%s)", file, name, strings.TrimSpace(expr))
				}
			}
		}
	}
}
