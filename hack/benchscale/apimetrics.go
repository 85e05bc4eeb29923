package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

// apiMetrics reads the API server's own request counters: the writes of the manager, counted
// where they land, by verb and resource.
type apiMetrics struct {
	rest rest.Interface
}

func newAPIMetrics(cfg *rest.Config) (*apiMetrics, error) {
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	return &apiMetrics{rest: cs.Discovery().RESTClient()}, nil
}

// writes counts the write requests to kongchuo kinds and Events so far, keyed like
// "PATCH students/status". The benchmark's own roll calls (POST attendancereports) are left out.
func (m *apiMetrics) writes(ctx context.Context) (map[string]float64, error) {
	families, err := m.scrape(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]float64{}
	for _, metric := range families["apiserver_request_total"].GetMetric() {
		l := labels(metric)
		if !isWrite(l["verb"]) || !(l["group"] == "kongchuo.io" || l["resource"] == "events") {
			continue
		}
		if l["verb"] == "POST" && l["resource"] == "attendancereports" {
			continue
		}
		key := l["verb"] + " " + l["resource"]
		if l["subresource"] != "" {
			key += "/" + l["subresource"]
		}
		out[key] += metric.GetCounter().GetValue()
	}
	return out, nil
}

// storageBytes is the etcd database size the API server reports.
func (m *apiMetrics) storageBytes(ctx context.Context) (float64, error) {
	families, err := m.scrape(ctx)
	if err != nil {
		return 0, err
	}
	total := 0.0
	for _, metric := range families["apiserver_storage_size_bytes"].GetMetric() {
		total += metric.GetGauge().GetValue()
	}
	return total, nil
}

func (m *apiMetrics) scrape(ctx context.Context) (map[string]*dto.MetricFamily, error) {
	raw, err := m.rest.Get().AbsPath("/metrics").DoRaw(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the API server's metrics: %w", err)
	}
	return parseMetrics(raw)
}

func parseMetrics(raw []byte) (map[string]*dto.MetricFamily, error) {
	p := expfmt.NewTextParser(model.UTF8Validation)
	return p.TextToMetricFamilies(bytes.NewReader(raw))
}

// scrapeURL reads a plain-HTTP metrics endpoint (the manager's).
func scrapeURL(ctx context.Context, url string) (map[string]*dto.MetricFamily, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return nil, err
	}
	return parseMetrics(buf.Bytes())
}

func labels(m *dto.Metric) map[string]string {
	out := map[string]string{}
	for _, l := range m.GetLabel() {
		out[l.GetName()] = l.GetValue()
	}
	return out
}

func isWrite(verb string) bool {
	switch strings.ToUpper(verb) {
	case "POST", "PUT", "PATCH", "APPLY", "DELETE":
		return true
	}
	return false
}

// diff is after − before, without the keys that did not move.
func diff(before, after map[string]float64) map[string]float64 {
	out := map[string]float64{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	return out
}

func total(m map[string]float64) float64 {
	t := 0.0
	for _, v := range m {
		t += v
	}
	return t
}
