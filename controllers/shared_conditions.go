package controllers

import (
	"hash/maphash"
	"runtime"
	"sync"
	"weak"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// sharedConditionsMax is the longest list of conditions shared: a Student has three or four.
const sharedConditionsMax = 4

// conditionSet is the backing array of a shared list of conditions.
type conditionSet [sharedConditionsMax]metav1.Condition

// sharedConditions holds one copy of each list of conditions the cached Students carry. Children
// reconciled in the same second have the same conditions down to lastTransitionTime (a first
// sync writes a few hundred a second, a class's roll call moves its 30 children together), so a
// county of 100,000 holds a few thousand lists instead of one each: about 350 bytes a child. The
// lists are held weakly: one that no cached Student points at any more is collected, and its
// entry goes with it, so the table follows the cache instead of growing with every transition.
// The cache's objects are read-only (a reconciler changes a deep copy), so the sharing is never
// seen.
var sharedConditions = struct {
	mu   sync.Mutex
	seed maphash.Seed
	sets map[uint64][]weak.Pointer[conditionSet] // by hash; a list of those with the same hash
}{seed: maphash.MakeSeed(), sets: map[uint64][]weak.Pointer[conditionSet]{}}

// shareConditions returns the shared copy of a list of conditions.
func shareConditions(in []metav1.Condition) []metav1.Condition {
	if len(in) == 0 || len(in) > sharedConditionsMax {
		return in
	}
	var set conditionSet
	copy(set[:], in)
	h := maphash.Comparable(sharedConditions.seed, set)
	s := &sharedConditions
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, w := range s.sets[h] {
		if p := w.Value(); p != nil && *p == set {
			return p[:len(in):len(in)]
		}
	}
	p := &set
	s.sets[h] = append(s.sets[h], weak.Make(p))
	runtime.AddCleanup(p, forgetConditionSet, h)
	return p[:len(in):len(in)]
}

// forgetConditionSet drops the collected lists under a hash.
func forgetConditionSet(h uint64) {
	s := &sharedConditions
	s.mu.Lock()
	defer s.mu.Unlock()
	live := s.sets[h][:0]
	for _, w := range s.sets[h] {
		if w.Value() != nil {
			live = append(live, w)
		}
	}
	if len(live) == 0 {
		delete(s.sets, h)
		return
	}
	s.sets[h] = live
}
