package controllers

import (
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// CacheOptions trims what the manager keeps in memory of each object: managedFields (half of a
// Student, read by nothing here) and, of Students, the child's name and guardians, which no
// controller reads. The manager only ever patches a Student's status, computed from two copies
// that both lack those fields, so trimming them cannot write them away; and a manager that does
// not hold names or phone numbers cannot leak them.
func CacheOptions(opts cache.Options) cache.Options {
	strip := cache.TransformStripManagedFields()
	opts.DefaultTransform = strip
	opts.ByObject = map[client.Object]cache.ByObject{
		&v1.Student{}: {Transform: func(in any) (any, error) {
			out, err := strip(in)
			if s, ok := out.(*v1.Student); ok && err == nil {
				s.Spec.Name, s.Spec.Guardians = "", nil
			}
			return out, err
		}},
	}
	return opts
}
