package controllers

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"

	"kongchuo.io/kongchuo/internal/policy"
)

// maxDeferral bounds how long an agreement's figures wait for pending children while nothing in
// the county is getting any fewer: a first sync that keeps making progress is waited for, a
// stuck one is not.
const maxDeferral = 2 * time.Minute

// deferrals remembers, for each agreement waiting for its children's statuses, since when the
// number of pending children last fell, in its scope or in its county. The county's count is what
// shows a first sync progressing: a class's 30 children are reconciled at random moments of a sync
// that can last 20 minutes, minutes apart, and a class that stopped waiting between two of them
// would write its figures twice.
type deferrals struct {
	mu    sync.Mutex
	since map[types.NamespacedName]deferral
}

type deferral struct {
	progress               time.Time
	pending, countyPending int32
}

// wait reports whether the agreement should go on waiting for its pending children: pending in
// its scope, countyPending in its county.
func (d *deferrals) wait(key types.NamespacedName, pending, countyPending int32, now time.Time) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.since == nil {
		d.since = map[types.NamespacedName]deferral{}
	}
	last, ok := d.since[key]
	if !ok || pending < last.pending || countyPending < last.countyPending {
		d.since[key] = deferral{progress: now, pending: pending, countyPending: countyPending}
		return true
	}
	return now.Sub(last.progress) < maxDeferral
}

func (d *deferrals) done(key types.NamespacedName) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.since, key)
}

// settles says which agreements wait for their figures to settle before writing them: the
// levels above the school, whose scopes span many classes, so that a morning of roll calls moves
// them with every class that reports. A class's or a school's figures are written as they move.
func settles(level policy.Level) bool {
	return level == policy.LevelCounty || level == policy.LevelTownship
}

// settling remembers, for each agreement waiting for its figures to settle, the figures it last
// saw, when they last moved, and since when it has been waiting.
type settling struct {
	mu    sync.Mutex
	since map[types.NamespacedName]settle
}

type settle struct {
	tally        policy.Tally
	moved, first time.Time
}

// wait reports whether the agreement should wait longer before writing figures: they moved
// within the last quiet period, and it has not been waiting for limit already.
func (s *settling) wait(key types.NamespacedName, tally policy.Tally, now time.Time, quiet, limit time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.since == nil {
		s.since = map[types.NamespacedName]settle{}
	}
	last, ok := s.since[key]
	switch {
	case !ok:
		s.since[key] = settle{tally: tally, moved: now, first: now}
		return quiet > 0
	case now.Sub(last.first) >= limit:
	case last.tally != tally:
		s.since[key] = settle{tally: tally, moved: now, first: last.first}
		return true
	case now.Sub(last.moved) < quiet:
		return true
	}
	delete(s.since, key)
	return false
}
