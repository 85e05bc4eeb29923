package ledger

import (
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestRosterListsChildrenOfSilentClasses: a child whose Attending is Unknown (its class stopped
// reporting) is named under the roster; a present child is not.
func TestRosterListsChildrenOfSilentClasses(t *testing.T) {
	child := func(name string, attending metav1.ConditionStatus) v1.Student {
		return v1.Student{ObjectMeta: metav1.ObjectMeta{Name: name, Generation: 1},
			Spec: v1.StudentSpec{Enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled, School: "5201210001", Grade: 5, Class: 3}},
			Status: v1.StudentStatus{ObservedGeneration: 1, SchoolAge: true,
				Conditions: []metav1.Condition{{Type: v1.StudentAttending, Status: attending, Reason: "x"}}}}
	}
	table := BuildRoster(Input{Students: []v1.Student{child("stu-here", metav1.ConditionTrue), child("stu-silent", metav1.ConditionUnknown)}})
	var found string
	for _, n := range table.Notes {
		if strings.HasPrefix(n.Format, "attendance unknown") {
			found = n.Args[0].(string)
		}
	}
	if found != "stu-silent" {
		t.Errorf("want stu-silent listed as unknown, got %q (notes %+v)", found, table.Notes)
	}
}
