package main

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
)

// managerMemory is what the manager held at a phase's end.
type managerMemory struct {
	peakRSS  uint64 // high-water mark of its resident memory since it started
	liveHeap uint64 // heap in use right after a forced collection
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
