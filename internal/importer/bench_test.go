package importer

import (
	"bytes"
	"context"
	"testing"
	"time"

	"kongchuo.io/kongchuo/internal/demo"
)

// BenchmarkImportRegistry20k imports a 20,000-row registry extract into an empty namespace of the
// envtest control plane (first import: 20,000 server-side applies), then imports it again
// (re-import: one List, no writes). It reports rows per second for both.
//
//	go test ./internal/importer -run '^$' -bench ImportRegistry20k -benchtime 1x
func BenchmarkImportRegistry20k(b *testing.B) {
	const rows = 20000
	data := demo.SyntheticRegistry(rows, 1, time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC))
	var first, again time.Duration
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
	}
	b.ReportMetric(float64(rows*b.N)/first.Seconds(), "first-rows/s")
	b.ReportMetric(float64(rows*b.N)/again.Seconds(), "reimport-rows/s")
	b.ReportMetric(0, "ns/op") // the rates above are the result; time per op mixes both imports
}
