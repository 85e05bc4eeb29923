package controllers_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/metrics"
	"sigs.k8s.io/yaml"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestDomainMetricsFollowTheManagersInformers: an agreement applied to the API server shows up in
// the manager's metrics registry, labelled by county, level and scope, once the controller has
// measured it; deleted, it goes.
func TestDomainMetricsFollowTheManagersInformers(t *testing.T) {
	ns := newNamespace(t)
	raw, err := os.ReadFile(filepath.Join("..", "config", "samples", "agreement-government.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var a v1.ResponsibilityAgreement
	if err := yaml.Unmarshal(raw, &a); err != nil {
		t.Fatal(err)
	}
	a.Namespace = ns
	ctx := context.Background()
	if err := k8s.Create(ctx, &a); err != nil {
		t.Fatal(err)
	}
	exported := func() (bool, error) {
		families, err := metrics.Registry.Gather()
		if err != nil {
			return false, err
		}
		for _, f := range families {
			if f.GetName() != "kongchuo_agreement_targets_met" {
				continue
			}
			for _, m := range f.GetMetric() {
				labels := map[string]string{}
				for _, l := range m.GetLabel() {
					labels[l.GetName()] = l.GetValue()
				}
				if labels["namespace"] == ns && labels["level"] == "Village" && labels["scope"] == "520121100201" && labels["line"] == "Government" {
					return true, nil
				}
			}
		}
		return false, nil
	}
	eventually(t, "the agreement's series", func() error {
		if ok, err := exported(); err != nil || !ok {
			return fmt.Errorf("not exported (%v)", err)
		}
		return nil
	})
	if err := k8s.Delete(ctx, &a); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the series to go", func() error {
		if ok, err := exported(); err != nil || ok {
			return fmt.Errorf("still exported (%v)", err)
		}
		return nil
	})
}
