package main

import "testing"

// TestMemoryLimitFollowsTheSizingRule: the limit the benchmark runs the manager under is
// docs/scaling.md's rule, 5 KiB per child plus 64 MiB and at least 256 MiB. A limit of 3.75 KiB
// per child, below the collector's target at 100,000 children, let the manager's RSS pass it.
func TestMemoryLimitFollowsTheSizingRule(t *testing.T) {
	for _, c := range []struct {
		children int
		flag     string
		want     int64
	}{
		{100000, "", 100000*5<<10 + 64<<20}, // 552 MiB
		{10000, "", 256 << 20},              // the floor
		{100000, "none", 0},
		{100000, "1Gi", 1 << 30},
	} {
		got, err := options{children: c.children, memoryLimit: c.flag}.memoryLimitBytes()
		if err != nil || got != c.want {
			t.Errorf("-n %d -memory-limit %q: %d (%v), want %d", c.children, c.flag, got, err, c.want)
		}
	}
	if _, err := (options{memoryLimit: "lots"}).memoryLimitBytes(); err == nil {
		t.Error("-memory-limit lots was accepted")
	}
	if got, _ := (options{children: 100000}).memoryLimitBytes(); got>>20 != 552 {
		t.Errorf("a 100,000-child county gets %d MiB, docs/scaling.md says 552", got>>20)
	}
}
