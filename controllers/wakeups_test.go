package controllers

import (
	"testing"
	"time"

	"k8s.io/apimachinery/pkg/types"
	clocktesting "k8s.io/utils/clock/testing"
)

// TestWakeupsWakeOnTheirDateOnce: an object is woken on the local date it was last given, once;
// a new date replaces the old; forgetting it (deleted) or no date wakes nothing.
func TestWakeupsWakeOnTheirDateOnce(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	clock := clocktesting.NewFakeClock(time.Date(2026, 11, 2, 10, 0, 0, 0, shanghai))
	w := newWakeups(Options{Clock: clock, Location: shanghai})
	date := func(s string) *time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	birthday, moved, gone, never := types.NamespacedName{Namespace: "c", Name: "birthday"},
		types.NamespacedName{Namespace: "c", Name: "moved"}, types.NamespacedName{Namespace: "c", Name: "gone"},
		types.NamespacedName{Namespace: "c", Name: "never"}
	w.set(birthday, date("2026-11-03"))
	w.set(moved, date("2026-11-03"))
	w.set(moved, date("2026-11-05")) // the next change moved: the first date no longer wakes it
	w.set(gone, date("2026-11-03"))
	w.set(gone, nil) // deleted
	w.set(never, nil)

	// 23:59 local time on 11-02 is still 11-02; 00:00 on 11-03 (16:00 UTC on 11-02) is the date.
	if got := w.due(time.Date(2026, 11, 2, 23, 59, 0, 0, shanghai)); len(got) != 0 {
		t.Errorf("woke %v before their date", got)
	}
	if got := w.due(time.Date(2026, 11, 2, 16, 0, 0, 0, time.UTC)); len(got) != 1 || got[0] != birthday {
		t.Errorf("on 11-03 woke %v, want only %v", got, birthday)
	}
	if got := w.due(time.Date(2026, 11, 4, 10, 0, 0, 0, shanghai)); len(got) != 0 {
		t.Errorf("woke %v a second time or early", got)
	}
	// A manager that was down over the date wakes the object at the first reading after it.
	if got := w.due(time.Date(2026, 11, 9, 10, 0, 0, 0, shanghai)); len(got) != 1 || got[0] != moved {
		t.Errorf("after 11-05 woke %v, want only %v", got, moved)
	}
	if len(w.dateOf) != 0 {
		t.Errorf("woken objects are still held: %v", w.dateOf)
	}
	// A date set after a reading that found nothing due is still woken on time.
	w.set(birthday, date("2026-11-10"))
	if got := w.due(time.Date(2026, 11, 10, 10, 0, 0, 0, shanghai)); len(got) != 1 || got[0] != birthday {
		t.Errorf("on 11-10 woke %v, want only %v", got, birthday)
	}
}
