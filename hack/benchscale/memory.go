package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"k8s.io/apimachinery/pkg/api/resource"
)

// managerMemory is what the manager held at a phase's end.
type managerMemory struct {
	peakRSS      uint64 // high-water mark of its resident memory since it started
	liveHeap     uint64 // heap in use right after a forced collection
	runtimeLimit uint64 // the Go runtime's soft memory limit, as the manager set it
}

// managerMemory measures the manager after a phase. The heap profile endpoint with gc=1 runs a
// collection before it answers, so the heap figure read just after is the live data alone, not
// the garbage the collector has yet to reach (which GOGC and GOMEMLIMIT decide, and RSS shows).
// With -profile the profile is kept: it says which objects and indexes the memory is made of.
func (b *bench) managerMemory(ctx context.Context, phase string) managerMemory {
	out := managerMemory{peakRSS: b.manager.peakRSS()}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.manager.pprof+"/heap?gc=1", nil)
	if err == nil {
		err = b.keepHeapProfile(req, phase)
	}
	if err != nil {
		b.logf("heap profile of the manager (%s): %v", phase, err)
		return out
	}
	families, err := scrapeURL(ctx, b.manager.metrics)
	if err != nil {
		b.logf("the manager's metrics (%s): %v", phase, err)
		return out
	}
	for _, m := range families["go_memstats_heap_alloc_bytes"].GetMetric() {
		out.liveHeap = uint64(m.GetGauge().GetValue())
	}
	for _, m := range families["go_gc_gomemlimit_bytes"].GetMetric() {
		out.runtimeLimit = uint64(m.GetGauge().GetValue())
	}
	return out
}

// keepHeapProfile fetches the heap profile, into -profile's folder when it names one.
func (b *bench) keepHeapProfile(req *http.Request, phase string) error {
	if b.o.profile != "" {
		path := filepath.Join(b.o.profile, "manager-heap-"+fileName(phase)+".pprof")
		b.logf("manager heap profile: %s", path)
		return fetchTo(req, path)
	}
	return fetch(req, io.Discard)
}

// Sizing of the manager's memory limit, as docs/scaling.md gives it: 5 KiB per child plus 64 MiB,
// and never less than 256 MiB. The manager keeps its Go runtime under 60 % of it
// (--memory-limit-ratio); the rest is for the binary's pages and a burst's overshoot. At 100,000
// children the live heap measured 2.05–2.61 KiB per child and the peak RSS 3.72–4.12 KiB under
// this rule (docs/scaling.md).
const (
	limitPerChild = 5 << 10  // bytes
	limitFixed    = 64 << 20 // bytes
	limitFloor    = 256 << 20
)

// memoryLimitBytes is the limits.memory the manager runs under, in bytes, 0 for none.
func (o options) memoryLimitBytes() (int64, error) {
	switch o.memoryLimit {
	case "none":
		return 0, nil
	case "":
		return max(limitFloor, int64(o.children)*limitPerChild+limitFixed), nil
	}
	q, err := resource.ParseQuantity(o.memoryLimit)
	if err != nil {
		return 0, fmt.Errorf("-memory-limit %q: %w", o.memoryLimit, err)
	}
	return q.Value(), nil
}

// managerEnvironment is -manager-env, and MEMORY_LIMIT as the Deployment's resourceFieldRef on
// limits.memory sets it: the limit in bytes, from which the manager sets its runtime's soft limit.
func (o options) managerEnvironment() ([]string, error) {
	env := strings.Fields(o.managerEnv)
	limit, err := o.memoryLimitBytes()
	if err != nil || limit == 0 {
		return env, err
	}
	return append(env, fmt.Sprintf("MEMORY_LIMIT=%d", limit)), nil
}
