package controllers_test

import (
	"context"
	"fmt"
	"testing"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestCountyAgreementChangeReachesEveryChild: a county agreement's change wakes the children of
// the whole county (the walk reads the county's Students from the cache in place), and they show
// it.
func TestCountyAgreementChangeReachesEveryChild(t *testing.T) {
	ns := newNamespace(t)
	county := agreement(ns, "county", v1.LineEducation, v1.RoleCountyBureau, "Officer Zhou", v1.Scope{})
	create(t, county, agreement(ns, "township", v1.LineGovernment, v1.RoleTownshipCadre, "Cadre Chen", v1.Scope{Township: township}))
	names := []string{"stu-a", "stu-b", "stu-c"}
	for i, name := range names {
		create(t, student(ns, name, int32(i+1), village))
	}
	for _, name := range names {
		waitStudent(t, ns, name, "answered for by the county", educationBy("Officer Zhou"))
	}

	ra := get(t, ns, "county", &v1.ResponsibilityAgreement{})
	patch := client.MergeFrom(ra.DeepCopy())
	ra.Spec.Responsible.Name = "Officer Wu"
	if err := k8s.Patch(context.Background(), ra, patch); err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		waitStudent(t, ns, name, "the county's new officer", educationBy("Officer Wu"))
	}
}

func educationBy(person string) func(*v1.Student) error {
	return func(s *v1.Student) error {
		if p := s.Status.Responsible.Education; p == nil || p.Name != person {
			return fmt.Errorf("education line %+v, want %s", p, person)
		}
		return nil
	}
}
