package controllers

import (
	"context"
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/event"

	"kongchuo.io/kongchuo/internal/policy"
)

// wakeups holds the objects whose status changes with the date alone (a child's birthday, the
// school age turning, a sweep day, support ending) under the local date they change, and wakes
// them at the start of that date. It stands in for a RequeueAfter per object: nearly every
// Student waits for such a date, and a delayed item in the controller's priority queue costs
// about 500 bytes (its item, its place in the queue's tree, the queue's metrics entry), the
// largest part of the manager's memory per child after the cached Student itself. A date here
// costs two map entries.
//
// It is in memory only: a manager that starts reconciles every object, which records each one's
// date again.
type wakeups struct {
	clock interface{ Now() time.Time }
	loc   *time.Location
	// poll is how often the clock is read; a test clock jumps, so the date is read, not timed.
	poll time.Duration

	mu     sync.Mutex
	dateOf map[types.NamespacedName]int32              // local date as days since 1970-01-01
	byDate map[int32]map[types.NamespacedName]struct{} // the objects due on each date
	out    chan event.GenericEvent
}

func newWakeups(o Options) *wakeups {
	return &wakeups{clock: o.Clock, loc: o.Location, poll: time.Second,
		dateOf: map[types.NamespacedName]int32{}, byDate: map[int32]map[types.NamespacedName]struct{}{},
		out: make(chan event.GenericEvent, 4096)}
}

// dayNumber is a local calendar date as days since 1970-01-01.
func dayNumber(date time.Time) int32 {
	y, m, d := date.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// set records the date an object is to be woken on, replacing the one before; nil forgets it.
func (w *wakeups) set(key types.NamespacedName, date *time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	prev, had := w.dateOf[key]
	if date != nil && had && prev == dayNumber(*date) {
		return
	}
	if had {
		delete(w.byDate[prev], key)
		if len(w.byDate[prev]) == 0 {
			delete(w.byDate, prev)
		}
		delete(w.dateOf, key)
	}
	if date == nil {
		return
	}
	day := dayNumber(*date)
	if w.byDate[day] == nil {
		w.byDate[day] = map[types.NamespacedName]struct{}{}
	}
	w.byDate[day][key] = struct{}{}
	w.dateOf[key] = day
}

// due takes out the objects whose date has come.
func (w *wakeups) due(now time.Time) []types.NamespacedName {
	today := dayNumber(policy.LocalDate(now, w.loc))
	w.mu.Lock()
	defer w.mu.Unlock()
	var keys []types.NamespacedName
	for day, set := range w.byDate {
		if day > today {
			continue
		}
		for key := range set {
			keys = append(keys, key)
			delete(w.dateOf, key)
		}
		delete(w.byDate, day)
	}
	return keys
}

// Start wakes the due objects, reading the clock every poll, until the manager stops.
func (w *wakeups) Start(ctx context.Context) error {
	tick := time.NewTicker(w.poll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			for _, key := range w.due(w.clock.Now()) {
				if err := send(ctx, w.out, key.Namespace, key.Name); err != nil {
					return nil
				}
			}
		}
	}
}

// NeedLeaderElection: only the leader reconciles, so only the leader wakes.
func (w *wakeups) NeedLeaderElection() bool { return true }
