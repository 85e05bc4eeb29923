package controllers

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"kongchuo.io/kongchuo/internal/policy"
)

// An agreement waits for pending children as long as they keep getting fewer (a long first sync),
// and stops waiting once they have not for maxDeferral (a stuck child).
func TestDeferralsWaitWhileTheSyncProgresses(t *testing.T) {
	var d deferrals
	key := types.NamespacedName{Namespace: "county", Name: "county-education"}
	start := time.Now()
	for i, pending := range []int32{1000, 900, 500, 10} {
		if !d.wait(key, pending, 5000, start.Add(time.Duration(i)*maxDeferral)) {
			t.Fatalf("stopped waiting while the pending children fell to %d", pending)
		}
	}
	stuck := start.Add(4 * maxDeferral) // the last progress was at 3 × maxDeferral
	if !d.wait(key, 10, 5000, stuck.Add(-time.Second)) {
		t.Fatal("stopped waiting before the children were stuck for maxDeferral")
	}
	if d.wait(key, 10, 5000, stuck.Add(time.Second)) {
		t.Fatal("went on waiting for children stuck for longer than maxDeferral")
	}
	d.done(key)
	if !d.wait(key, 10, 5000, stuck.Add(time.Minute)) {
		t.Fatal("a new wait did not start afresh after done")
	}
}

// A class whose own children wait longer than maxDeferral between two of them keeps waiting while
// the rest of its county's first sync goes on: a class writes its figures once, not twice.
func TestDeferralsWaitWhileTheCountyProgresses(t *testing.T) {
	var d deferrals
	key := types.NamespacedName{Namespace: "county", Name: "class-7-3"}
	start := time.Now()
	at := func(minutes int) time.Time { return start.Add(time.Duration(minutes) * time.Minute) }
	county := int32(100000)
	for m := 0; m <= 10; m++ { // ten minutes without one of the class's own children
		county -= 5000
		if !d.wait(key, 12, county, at(m)) {
			t.Fatalf("stopped waiting after %d minutes while the county's pending children kept falling", m)
		}
	}
	if !d.wait(key, 12, county, at(10).Add(maxDeferral-time.Second)) {
		t.Fatal("stopped waiting less than maxDeferral after the county's last progress")
	}
	if d.wait(key, 12, county, at(10).Add(maxDeferral+time.Second)) {
		t.Fatal("went on waiting although nothing in the county progressed for maxDeferral")
	}
}

// A county's figures are written once they have not moved for the quiet period, and at the
// latest after the limit while a morning's roll calls keep moving them.
func TestSettlingWaitsForFiguresToStopMoving(t *testing.T) {
	var s settling
	key := types.NamespacedName{Namespace: "county", Name: "county-education"}
	const quiet, limit = 2 * time.Second, time.Minute
	start := time.Now()
	at := func(d time.Duration) time.Time { return start.Add(d) }
	if !s.wait(key, policy.Tally{Children: 10}, at(0), quiet, limit) {
		t.Fatal("wrote the figures the moment they first moved")
	}
	if !s.wait(key, policy.Tally{Children: 10}, at(time.Second), quiet, limit) {
		t.Fatal("wrote figures that moved less than the quiet period ago")
	}
	if s.wait(key, policy.Tally{Children: 10}, at(quiet), quiet, limit) {
		t.Fatal("went on waiting for figures that stopped moving")
	}
	// A morning: the figures move every second for longer than the limit.
	for i := range 59 {
		if !s.wait(key, policy.Tally{Children: int32(i)}, at(10*time.Second+time.Duration(i)*time.Second), quiet, limit) {
			t.Fatalf("wrote figures still moving after %ds", i)
		}
	}
	if s.wait(key, policy.Tally{Children: 99}, at(10*time.Second+limit), quiet, limit) {
		t.Fatal("waited past the limit")
	}
	if s.wait(key, policy.Tally{Children: 99}, at(time.Hour), 0, limit) {
		t.Fatal("waited with no quiet period")
	}
}
