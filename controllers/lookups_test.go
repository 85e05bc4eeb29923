package controllers

import (
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// Every child an agreement covers is found under one of the agreement's lookup keys.
func TestScopeLookupFindsEveryCoveredChild(t *testing.T) {
	kid := func(name string, st v1.EnrolmentStatus, school v1.SchoolCode, grade, class int32, village v1.VillageCode) *v1.Student {
		return &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: name}, Spec: v1.StudentSpec{
			Residence: v1.Residence{Township: "520121100", Village: village, Group: v1.GroupCode(string(village) + "001")},
			Enrolment: v1.Enrolment{Status: st, School: school, Grade: grade, Class: class}}}
	}
	kids := []*v1.Student{
		kid("amy", v1.EnrolmentEnrolled, "5201210001", 5, 3, "520121100201"),
		kid("bob", v1.EnrolmentEnrolled, "5201210002", 1, 1, "520121100202"),
		kid("dan", v1.EnrolmentNotEnrolled, "", 0, 0, "520121100201"),
		kid("eve", v1.EnrolmentTransferredOut, "5201210001", 0, 0, "520121100203"),
	}
	scopes := []v1.Scope{{}, {School: "5201210001", Catchment: []v1.VillageCode{"520121100201"}}, {School: "5201210001", Grade: 5},
		{School: "5201210001", Grade: 5, Class: 3}, {Township: "520121100"}, {Township: "520121100", Village: "520121100201"},
		{Township: "520121100", Village: "520121100201", Group: "520121100201001"}}
	for _, line := range []v1.Line{v1.LineEducation, v1.LineGovernment} {
		for _, sc := range scopes {
			if (line == v1.LineGovernment) != (sc.School == "" && len(sc.Students) == 0) && !(sc.School == "" && sc.Township == "") {
				continue
			}
			a := &v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: line, Scope: sc}}
			for _, s := range kids {
				if !policy.Covers(a, s) {
					continue
				}
				if !meets(scopeLookupKeys(a), studentLookupKeys(s)) {
					t.Errorf("%s %s covers %s, found under none of %v", line, policy.ScopeSummary(sc), s.Name, scopeLookupKeys(a))
				}
			}
		}
	}
}

func meets(scope, student []string) bool {
	for _, k := range scope {
		if k == "" {
			return true
		}
		for _, sk := range student {
			if k == sk {
				return true
			}
		}
	}
	return false
}
