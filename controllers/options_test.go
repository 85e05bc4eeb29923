package controllers

import (
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
)

// Deadlines requeue at the start of the local day they fall on, measured from the injected clock,
// never sooner than a second and never as a poll.
func TestRequeueAt(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 20, 22, 30, 0, 0, shanghai)
	opts := Options{Clock: clocktesting.NewFakePassiveClock(now), Location: shanghai}
	day := func(s string) *time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	tests := []struct {
		name string
		date *time.Time
		want time.Duration
	}{
		{"nothing due: no requeue", nil, 0},
		{"tomorrow, local midnight", day("2026-11-21"), 90 * time.Minute},
		{"in three days", day("2026-11-23"), 90*time.Minute + 48*time.Hour},
		{"already past: at once, but not a hot loop", day("2026-11-20"), time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := opts.requeueAt(tt.date).RequeueAfter; got != tt.want {
				t.Errorf("RequeueAfter = %v, want %v", got, tt.want)
			}
		})
	}
}
