package controllers

import (
	"fmt"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestIdentityBucketsCompareFullKeys: two children whose hashed ID numbers fall in the same index
// bucket are not duplicates; the same number, as resident ID on one and national student number
// (G + ID) on the other, is.
func TestIdentityBucketsCompareFullKeys(t *testing.T) {
	withID := func(id string) *v1.Student {
		return &v1.Student{Spec: v1.StudentSpec{ResidentID: id, StudentNumber: "G" + id}}
	}
	first := withID("520121201806200029")
	var neighbour *v1.Student
	for i := 0; neighbour == nil; i++ {
		if s := withID(fmt.Sprintf("5201212018%08d", i)); s.Spec.ResidentID != first.Spec.ResidentID &&
			identityBuckets(s)[0] == identityBuckets(first)[0] {
			neighbour = s
		}
	}
	if sameIdentity(first, neighbour) || sameIdentity(neighbour, first) {
		t.Errorf("%s and %s share a bucket, not an ID number", first.Spec.ResidentID, neighbour.Spec.ResidentID)
	}
	copyByNumber := &v1.Student{Spec: v1.StudentSpec{StudentNumber: "G" + first.Spec.ResidentID}}
	if !sameIdentity(first, copyByNumber) || !sameIdentity(copyByNumber, first) {
		t.Error("the same ID number as resident ID and as student number is one child")
	}
	if got := identityBuckets(first); len(got) != 1 || len(got[0]) != identityBucketDigits {
		t.Errorf("buckets %v: want one of %d hex digits", got, identityBucketDigits)
	}
}
