// Package v1alpha1 contains the kongchuo.io/v1alpha1 API: Student, AttendanceReport,
// ResponsibilityAgreement and DropoutCase. Every kind is namespaced; one namespace is one county.
// +kubebuilder:object:generate=true
// +groupName=kongchuo.io
package v1alpha1

import (
	"k8s.io/apimachinery/pkg/runtime/schema"
	"sigs.k8s.io/controller-runtime/pkg/scheme"
)

var (
	// GroupVersion is the group and version of every kongchuo kind.
	GroupVersion = schema.GroupVersion{Group: "kongchuo.io", Version: "v1alpha1"}

	// SchemeBuilder registers the kongchuo kinds with a runtime.Scheme.
	SchemeBuilder = &scheme.Builder{GroupVersion: GroupVersion}

	// AddToScheme adds the kongchuo kinds to a runtime.Scheme.
	AddToScheme = SchemeBuilder.AddToScheme
)
