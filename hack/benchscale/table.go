package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// table renders the results as Markdown.
// runtimeLimit is the manager's runtime soft limit, as its first measured phase read it.
func (b *bench) runtimeLimit() uint64 {
	for _, p := range b.phases {
		if p.memory.runtimeLimit > 0 {
			return p.memory.runtimeLimit
		}
	}
	return 0
}

func (b *bench) table() string {
	var s strings.Builder
	n := float64(b.o.children)
	fmt.Fprintf(&s, "\n### County-scale benchmark: %d children, %d classes, %d agreements\n\n", b.o.children, len(b.county.Classes), len(b.county.Agreements))
	fmt.Fprintf(&s, "API server ceiling in this run (%d workers): %.0f creates/s and %.0f merge patches/s of %d small ConfigMaps; "+
		"%.0f creates/s (server-side apply) and %.0f status merge patches/s of %d Students.\n\n",
		b.o.workers, b.ceiling.creates, b.ceiling.patches, ceilingObjects, b.ceiling.kindCreates, b.ceiling.kindPatch, ceilingObjects)
	if env, err := b.o.managerEnvironment(); err == nil {
		fmt.Fprintf(&s, "Manager environment: `%s`", strings.Join(env, " "))
		if limit, _ := b.o.memoryLimitBytes(); limit > 0 {
			fmt.Fprintf(&s, " (limits.memory %.0f MiB, %.2f KiB per child)", float64(limit)/(1<<20), float64(limit)/1024/n)
		}
		if rt := b.runtimeLimit(); rt > 0 && rt < math.MaxInt64 {
			fmt.Fprintf(&s, "; the runtime's soft limit as the manager set it: %.0f MiB, %.2f KiB per child", float64(rt)/(1<<20), float64(rt)/1024/n)
		}
		s.WriteString(".\n\n")
	}
	s.WriteString("| phase | time | controller writes | Events | writes / child | necessary | writes / necessary | efficiency (Student ceiling) | efficiency (ConfigMap ceiling) | manager peak RSS / child | manager live heap / child |\n")
	s.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, p := range b.phases {
		events := p.writes["POST events"] + p.writes["PATCH events"]
		w := total(p.writes) - events
		ratio, eff, kindEff := "–", "–", "–"
		if p.necessary > 0 {
			ratio = fmt.Sprintf("%.2f", w/float64(p.necessary))
		}
		if p.necessary > 0 && p.took > 0 {
			ideal := max(p.floor, b.ceiling.createTime(p.creates)+b.ceiling.patchTime(p.patches))
			kindIdeal := max(p.floor, b.ceiling.kindTime(p.creates, p.patches))
			eff = fmt.Sprintf("%.2f", ideal.Seconds()/p.took.Seconds())
			kindEff = fmt.Sprintf("%.2f", kindIdeal.Seconds()/p.took.Seconds())
		}
		fmt.Fprintf(&s, "| %s | %s | %.0f | %.0f | %.3f | %d | %s | %s | %s | %s | %s |\n", p.name, round(p.took), w, events, w/n, p.necessary, ratio, kindEff, eff,
			perChild(p.memory.peakRSS, n), perChild(p.memory.liveHeap, n))
	}
	s.WriteString("\nWrites by kind, and what changed:\n\n")
	for _, p := range b.phases {
		fmt.Fprintf(&s, "- **%s**: %s", p.name, orNone(writesSummary(p.writes)))
		if p.note != "" {
			fmt.Fprintf(&s, ". %s", p.note)
		}
		s.WriteString("\n")
	}
	fmt.Fprintf(&s, "\nTrickle day, roll call → DropoutCase seen at a watch: %d cases, p50 %s, p99 %s, max %s.\n",
		len(b.latency), percentile(b.latency, 0.5).Round(time.Millisecond), percentile(b.latency, 0.99).Round(time.Millisecond),
		percentile(b.latency, 1).Round(time.Millisecond))
	s.WriteString(b.reconcileTable())
	s.WriteString("\n| stored object | bytes |\n|---|---:|\n")
	for _, z := range b.sizes {
		fmt.Fprintf(&s, "| %s | %d |\n", z.what, z.bytes)
	}
	s.WriteString("\nEfficiency = (the necessary writes, and the day's roll calls, at the ceiling's rates) ÷ the time the manager took to settle; " +
		"against the Student ceiling (writes of a kongchuo kind, the cost the manager's writes have) and against the ConfigMap ceiling (the API server's cheapest write). " +
		"Necessary = children whose run of absence started, grew or ended + classes + cases whose status changed (twice for a new case: create and status) + agreements whose status changed. " +
		"Events are counted apart: they are the case history people read, not state. " +
		"Peak RSS is the manager's high-water mark since it started (VmHWM), run with -manager-env as the Deployment sets it; " +
		"live heap is what the manager holds right after a collection forced at the phase's end, the memory no GC setting can take away.\n")
	return s.String()
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// perChild renders bytes as KiB per child, or "–" when not measured.
func perChild(bytes uint64, children float64) string {
	if bytes == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f KiB", float64(bytes)/1024/children)
}
