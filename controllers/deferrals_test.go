package controllers

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// An agreement waits for pending children as long as they keep getting fewer (a long first sync),
// and stops waiting once they have not for maxDeferral (a stuck child).
func TestDeferralsWaitWhileTheSyncProgresses(t *testing.T) {
	var d deferrals
	key := types.NamespacedName{Namespace: "county", Name: "county-education"}
	start := time.Now()
	for i, pending := range []int32{1000, 900, 500, 10} {
		if !d.wait(key, pending, start.Add(time.Duration(i)*maxDeferral)) {
			t.Fatalf("stopped waiting while the pending children fell to %d", pending)
		}
	}
	stuck := start.Add(4 * maxDeferral) // the last progress was at 3 × maxDeferral
	if !d.wait(key, 10, stuck.Add(-time.Second)) {
		t.Fatal("stopped waiting before the children were stuck for maxDeferral")
	}
	if d.wait(key, 10, stuck.Add(time.Second)) {
		t.Fatal("went on waiting for children stuck for longer than maxDeferral")
	}
	d.done(key)
	if !d.wait(key, 10, stuck.Add(time.Minute)) {
		t.Fatal("a new wait did not start afresh after done")
	}
}
