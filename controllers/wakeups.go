package controllers

import (
	"context"
	"math"
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
// costs one map entry; the map is read through once on a day something is due (a day's
// birthdays), which at 100,000 children takes about a millisecond, instead of being kept a
// second time by date.
//
// It is in memory only: a manager that starts reconciles every object, which records each one's
// date again.
type wakeups struct {
	clock interface{ Now() time.Time }
	loc   *time.Location
	// poll is how often the clock is read; a test clock jumps, so the date is read, not timed.
	poll time.Duration

	mu     sync.Mutex
	dateOf map[types.NamespacedName]int32 // local date as days since 1970-01-01
	// earliest is no later than every date in dateOf: before it, nothing is due.
	earliest int32
	out      chan event.GenericEvent
}

func newWakeups(o Options) *wakeups {
	return &wakeups{clock: o.Clock, loc: o.Location, poll: time.Second,
		dateOf: map[types.NamespacedName]int32{}, earliest: math.MaxInt32, out: make(chan event.GenericEvent, 4096)}
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
	if date == nil {
		delete(w.dateOf, key)
		return
	}
	day := dayNumber(*date)
	w.dateOf[key] = day
	w.earliest = min(w.earliest, day)
}

// due takes out the objects whose date has come.
func (w *wakeups) due(now time.Time) []types.NamespacedName {
	today := dayNumber(policy.LocalDate(now, w.loc))
	w.mu.Lock()
	defer w.mu.Unlock()
	if today < w.earliest {
		return nil
	}
	var keys []types.NamespacedName
	next := int32(math.MaxInt32)
	for key, day := range w.dateOf {
		if day > today {
			next = min(next, day)
			continue
		}
		keys = append(keys, key)
		delete(w.dateOf, key)
	}
	w.earliest = next
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
