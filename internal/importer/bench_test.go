package importer

import (
	"bytes"
	"context"
	"sync/atomic"
	"testing"
	"time"

	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/registry"
)

// BenchmarkImportRegistry20k imports a 20,000-row registry extract into an empty namespace of the
// envtest control plane (first import: 20,000 server-side applies), then imports it again
// (re-import: one List, no writes). It reports rows per second for both, and, as the yardstick
// measured in the same run, plain creates of the same 20,000 Students with as many workers: the
// API server's own cost of storing and validating them (CEL rules included).
//
//	go test ./internal/importer -run '^$' -bench ImportRegistry20k -benchtime 1x
func BenchmarkImportRegistry20k(b *testing.B) {
	const rows = 20000
	data := demo.SyntheticRegistry(rows, 1, time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC))
	var first, again, raw time.Duration
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		ns := newNamespace(b)
		im := &Importer{Client: k8s, Namespace: ns}
		b.StartTimer()

		start := time.Now()
		res, err := im.ImportRegistry(context.Background(), bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		first += time.Since(start)
		if res.Created != rows || len(res.Rejected) != 0 {
			b.Fatalf("first import: %d created, %d rejected", res.Created, len(res.Rejected))
		}

		start = time.Now()
		res, err = im.ImportRegistry(context.Background(), bytes.NewReader(data))
		if err != nil {
			b.Fatal(err)
		}
		again += time.Since(start)
		if res.Unchanged != rows {
			b.Fatalf("re-import: %d unchanged of %d", res.Unchanged, rows)
		}

		raw += rawCreates(b, data)
	}
	b.ReportMetric(float64(rows*b.N)/first.Seconds(), "first-rows/s")
	b.ReportMetric(float64(rows*b.N)/again.Seconds(), "reimport-rows/s")
	b.ReportMetric(float64(rows*b.N)/raw.Seconds(), "raw-create-rows/s")
	b.ReportMetric(raw.Seconds()/first.Seconds(), "import/raw-create")
	b.ReportMetric(0, "ns/op") // the rates above are the result; time per op mixes all three
}

// rawCreates creates the Students of a registry extract with plain creates into a fresh namespace,
// with the importer's number of workers, and returns how long it took.
func rawCreates(b *testing.B, data []byte) time.Duration {
	b.Helper()
	b.StopTimer()
	defer b.StartTimer()
	f, err := registry.ParseRegistry(bytes.NewReader(data))
	if err != nil || len(f.Errors) > 0 {
		b.Fatalf("parsing: %v %v", err, f.Errors)
	}
	ns := newNamespace(b)
	ctx := context.Background()
	var failed atomic.Int32
	start := time.Now()
	err = forEach(ctx, DefaultWorkers, f.Rows, func(row registry.Row) {
		s := row.Student.DeepCopy()
		s.Namespace = ns
		if err := k8s.Create(ctx, s); err != nil {
			failed.Add(1)
		}
	})
	took := time.Since(start)
	if err != nil || failed.Load() > 0 {
		b.Fatalf("raw creates: %v, %d failed", err, failed.Load())
	}
	return took
}
