package controllers

import (
	"encoding/json"
	"hash/fnv"
	"sync"

	"k8s.io/apimachinery/pkg/types"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// reach remembers, per agreement, a hash of the part of its spec its children read
// (policy.ChildFacing) as this manager last reconciled it. A new generation whose child-facing
// part is the same (a target, the assessment, a cut-off day) then wakes no child: at 100,000
// children a county's new cut-off day was 100,000 Student reconciles competing with the very
// reports it moved. An agreement not seen since the manager started is taken as changed.
type reach struct {
	mu   sync.Mutex
	seen map[types.NamespacedName]uint64
}

// note records the agreement's child-facing spec and reports whether it differs from the one
// recorded before, or none was.
func (r *reach) note(key types.NamespacedName, spec v1.ResponsibilityAgreementSpec) bool {
	sum := childFacingSum(spec)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.seen == nil {
		r.seen = map[types.NamespacedName]uint64{}
	}
	prev, known := r.seen[key]
	r.seen[key] = sum
	return !known || prev != sum
}

// forget drops a deleted agreement.
func (r *reach) forget(key types.NamespacedName) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.seen, key)
}

func childFacingSum(spec v1.ResponsibilityAgreementSpec) uint64 {
	// A spec of plain fields and strings always encodes; the error cannot happen.
	raw, _ := json.Marshal(policy.ChildFacing(spec))
	h := fnv.New64a()
	_, _ = h.Write(raw)
	return h.Sum64()
}
