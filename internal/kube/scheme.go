// Package kube holds the runtime scheme shared by the manager, the kubectl plugin and the tests.
package kube

import (
	k8sruntime "k8s.io/apimachinery/pkg/runtime"
	clientgoscheme "k8s.io/client-go/kubernetes/scheme"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// NewScheme returns a scheme with the built-in kinds and the kongchuo kinds.
func NewScheme() *k8sruntime.Scheme {
	s := k8sruntime.NewScheme()
	if err := clientgoscheme.AddToScheme(s); err != nil {
		panic(err)
	}
	if err := v1.AddToScheme(s); err != nil {
		panic(err)
	}
	return s
}
