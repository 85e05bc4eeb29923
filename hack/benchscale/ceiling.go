package main

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// ceiling is the API server's raw write rate on this machine in this run: small ConfigMaps
// created, then merge-patched, by as many workers as the benchmark uses.
type ceiling struct {
	creates, patches float64 // per second
}

func (c ceiling) createTime(n int) time.Duration {
	return time.Duration(float64(n) / c.creates * float64(time.Second))
}

func (c ceiling) patchTime(n int) time.Duration {
	return time.Duration(float64(n) / c.patches * float64(time.Second))
}

const ceilingObjects = 5000

func (b *bench) measureCeiling(ctx context.Context) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ceiling"}}
	if err := b.c.Create(ctx, ns); err != nil {
		return err
	}
	maps := make([]*corev1.ConfigMap, ceilingObjects)
	for i := range maps {
		maps[i] = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ceiling", Name: fmt.Sprintf("cm-%05d", i)},
			Data: map[string]string{"day": "0"}}
	}
	start := time.Now()
	if err := parallel(ctx, b.o.workers, maps, func(cm *corev1.ConfigMap) error { return b.c.Create(ctx, cm) }); err != nil {
		return fmt.Errorf("creates: %w", err)
	}
	b.ceiling.creates = ceilingObjects / time.Since(start).Seconds()
	start = time.Now()
	err := parallel(ctx, b.o.workers, maps, func(cm *corev1.ConfigMap) error {
		patch := client.RawPatch("application/merge-patch+json", []byte(`{"data":{"day":"1"}}`))
		return b.c.Patch(ctx, cm, patch)
	})
	if err != nil {
		return fmt.Errorf("patches: %w", err)
	}
	b.ceiling.patches = ceilingObjects / time.Since(start).Seconds()
	b.logf("ceiling: %.0f creates/s, %.0f merge patches/s", b.ceiling.creates, b.ceiling.patches)
	return b.c.Delete(ctx, ns)
}
