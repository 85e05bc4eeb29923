package main

import (
	"context"
	"fmt"
	"math"
	"strings"

	dto "github.com/prometheus/client_model/go"
)

// reconcileBuckets is the manager's agreement reconcile histogram at one moment: cumulative
// counts per bucket, by level and part ("county reconcile", "township evaluate", …).
type reconcileBuckets map[string][]bucket

type bucket struct {
	upper float64
	count uint64
}

// phaseReconciles is what one phase added to the histogram.
type phaseReconciles struct {
	phase   string
	buckets reconcileBuckets
}

// reconcileSnapshot scrapes the manager's agreement reconcile histogram; nil when no manager
// runs.
func (b *bench) reconcileSnapshot(ctx context.Context) reconcileBuckets {
	if b.manager == nil {
		return nil
	}
	families, err := scrapeURL(ctx, b.manager.metrics)
	if err != nil {
		return nil
	}
	out := reconcileBuckets{}
	for _, m := range families["kongchuo_agreement_reconcile_seconds"].GetMetric() {
		l := labels(m)
		out[l["level"]+" "+l["part"]] = buckets(m.GetHistogram())
	}
	return out
}

func buckets(h *dto.Histogram) []bucket {
	out := make([]bucket, 0, len(h.GetBucket())+1)
	for _, bk := range h.GetBucket() {
		out = append(out, bucket{upper: bk.GetUpperBound(), count: bk.GetCumulativeCount()})
	}
	return append(out, bucket{upper: math.Inf(1), count: h.GetSampleCount()})
}

// since is what the histogram gained after an earlier snapshot: a phase's own reconciles, so a
// slow first sync does not hide in (or spoil) a school day's figure.
func (r reconcileBuckets) since(earlier reconcileBuckets) reconcileBuckets {
	out := reconcileBuckets{}
	for key, now := range r {
		then := earlier[key]
		d := make([]bucket, len(now))
		for i, bk := range now {
			d[i] = bk
			if i < len(then) {
				d[i].count -= then[i].count
			}
		}
		out[key] = d
	}
	return out
}

// quantile is the upper bound of the bucket that holds the q-quantile (a conservative figure),
// and the number of samples.
func quantile(bks []bucket, q float64) (float64, uint64) {
	if len(bks) == 0 {
		return 0, 0
	}
	n := bks[len(bks)-1].count
	want := uint64(math.Ceil(q * float64(n)))
	for _, bk := range bks {
		if bk.count >= want {
			return bk.upper, n
		}
	}
	return math.Inf(1), n
}

// reconcileTable renders, per phase, the county and township agreement reconciles: how many, and
// their p50 and p99 (evaluation alone, and the whole reconcile including its status write).
func (b *bench) reconcileTable() string {
	var s strings.Builder
	s.WriteString("\nAgreement reconciles by phase (p50 / p99 as histogram bucket upper bounds; \"reconcile\" includes the status write):\n\n")
	s.WriteString("| phase | county reconciles (writes) | county evaluate p50 / p99 | county reconcile p50 / p99 | county write p50 / p99 | township reconciles (writes) | township reconcile p50 / p99 | status writes by level |\n")
	s.WriteString("|---|---:|---:|---:|---:|---:|---:|---|\n")
	for _, p := range b.reconciles {
		county, township := p.buckets.level("County"), p.buckets.level("Township")
		fmt.Fprintf(&s, "| %s | %s | %s | %s | %s | %s | %s | %s |\n", p.phase, county.counts(), county.quantiles("evaluate"),
			county.quantiles("reconcile"), county.quantiles("write"), township.counts(), township.quantiles("reconcile"), p.buckets.writesByLevel())
	}
	return s.String()
}

// levelBuckets are one level's parts.
type levelBuckets map[string][]bucket

func (r reconcileBuckets) level(level string) levelBuckets {
	out := levelBuckets{}
	for key, bks := range r {
		if l, part, ok := strings.Cut(key, " "); ok && l == level {
			out[part] = bks
		}
	}
	return out
}

// counts is "reconciles (status writes)".
func (l levelBuckets) counts() string {
	_, n := quantile(l["reconcile"], 0.5)
	_, w := quantile(l["write"], 0.5)
	return fmt.Sprintf("%d (%d)", n, w)
}

func (l levelBuckets) quantiles(part string) string {
	p50, n := quantile(l[part], 0.5)
	if n == 0 {
		return "–"
	}
	p99, _ := quantile(l[part], 0.99)
	return fmt.Sprintf("%gs / %gs", p50, p99)
}

// writesByLevel counts the agreement status writes of each level.
func (r reconcileBuckets) writesByLevel() string {
	var parts []string
	for _, key := range sortedKeys(r) {
		if level, part, _ := strings.Cut(key, " "); part == "write" {
			if _, n := quantile(r[key], 0.5); n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", level, n))
			}
		}
	}
	return orNone(strings.Join(parts, ", "))
}
