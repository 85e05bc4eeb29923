package controllers

import (
	"sync"
	"time"

	"k8s.io/apimachinery/pkg/types"
)

// recheckAfterWrite is when a reconciler looks again at an object it has just written. By then
// the cache holds the write, and anything that changed while the write was in flight is seen:
// a watch event that arrived during the write may have been routed by the object's old status
// (the student-running index), so it may not have woken the object.
const recheckAfterWrite = time.Second

// staleCacheLimit bounds how long a recheck waits for the cache to show the reconciler's own
// write before it evaluates anyway.
const staleCacheLimit = 10 * time.Second

// ownWrites remembers the resource version each object got from this reconciler's last status
// write, until the cache shows it: evaluating against an older copy would compare with a status
// that is no longer there and write again.
type ownWrites struct {
	mu      sync.Mutex
	written map[types.NamespacedName]ownWrite
}

type ownWrite struct {
	resourceVersion string
	at              time.Time
}

// record notes a status write and the resource version it produced.
func (w *ownWrites) record(key types.NamespacedName, resourceVersion string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.written == nil {
		w.written = map[types.NamespacedName]ownWrite{}
	}
	w.written[key] = ownWrite{resourceVersion: resourceVersion, at: now}
}

// stale reports whether the cached copy (of the given resource version) is older than this
// reconciler's last write of it. Resource versions are compared for equality only, as the API
// conventions require; a copy that differs after staleCacheLimit is taken as newer.
func (w *ownWrites) stale(key types.NamespacedName, cached string, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	last, ok := w.written[key]
	if !ok {
		return false
	}
	if cached == last.resourceVersion || now.Sub(last.at) > staleCacheLimit {
		delete(w.written, key)
		return false
	}
	return true
}

// forget drops what is known of a deleted object.
func (w *ownWrites) forget(key types.NamespacedName) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.written, key)
}
