package controllers

import (
	"runtime"
	"strings"
	"testing"
	"time"
	"unsafe"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// decodedStudent is a Student as the informer decodes it: every string its own copy.
func decodedStudent(name string) *v1.Student {
	own := func(s string) string { return strings.Clone(s) }
	return &v1.Student{
		ObjectMeta: metav1.ObjectMeta{Name: own(name), Namespace: own("county"), UID: types.UID("uid-" + name),
			ManagedFields: []metav1.ManagedFieldsEntry{{Manager: "importer"}}},
		Spec: v1.StudentSpec{Name: own("某某"), ResidentID: own("520121201806200029"),
			Guardians: []v1.Guardian{{Name: own("某某"), Phone: own("13800008450")}},
			Enrolment: v1.Enrolment{Status: v1.EnrolmentEnrolled, School: v1.SchoolCode(own("5201210002"))}},
		Status: v1.StudentStatus{Conditions: []metav1.Condition{{Type: own("Ready"), Status: "True",
			Reason: own("Reconciled"), Message: own("status reflects the latest reports")}}},
	}
}

func cached(t *testing.T, s *v1.Student) *v1.Student {
	t.Helper()
	var transform cache.ByObject
	for obj, by := range CacheOptions(cache.Options{}).ByObject {
		if _, ok := obj.(*v1.Student); ok {
			transform = by
		}
	}
	out, err := transform.Transform(s)
	if err != nil {
		t.Fatal(err)
	}
	return out.(*v1.Student)
}

// TestCacheTrimsAndSharesStudentStrings: the cached Student has no managedFields, name or
// guardians; the strings children share are one copy; a child's own stay its own.
func TestCacheTrimsAndSharesStudentStrings(t *testing.T) {
	a, b := cached(t, decodedStudent("stu-a")), cached(t, decodedStudent("stu-b"))
	if a.ManagedFields != nil || a.Spec.Name != "" || a.Spec.Guardians != nil {
		t.Errorf("managedFields %v, name %q, guardians %v: want all trimmed", a.ManagedFields, a.Spec.Name, a.Spec.Guardians)
	}
	same := func(x, y string) bool { return unsafe.StringData(x) == unsafe.StringData(y) }
	shared := map[string][2]string{
		"namespace": {a.Namespace, b.Namespace},
		"school":    {string(a.Spec.Enrolment.School), string(b.Spec.Enrolment.School)},
		"message":   {a.Status.Conditions[0].Message, b.Status.Conditions[0].Message},
		"reason":    {a.Status.Conditions[0].Reason, b.Status.Conditions[0].Reason},
	}
	for field, v := range shared {
		if !same(v[0], v[1]) {
			t.Errorf("%s: two copies of %q", field, v[0])
		}
	}
	if a.Name != "stu-a" || b.Name != "stu-b" || a.Spec.ResidentID != "520121201806200029" {
		t.Errorf("a child's own fields changed: %q %q %q", a.Name, b.Name, a.Spec.ResidentID)
	}
}

// TestCacheSharesResponsibleParties: children with the same teacher point at one party; a child
// with another teacher keeps their own, and the shared party reads as before.
func TestCacheSharesResponsibleParties(t *testing.T) {
	withTeacher := func(name, agreement string) *v1.Student {
		s := decodedStudent(name)
		s.Status.Responsible.Education = &v1.ResponsibleParty{Agreement: strings.Clone(agreement), Role: "ClassTeacher", Name: strings.Clone("张老师")}
		return s
	}
	a, b := cached(t, withTeacher("stu-a", "class-5-1")), cached(t, withTeacher("stu-b", "class-5-1"))
	c := cached(t, withTeacher("stu-c", "class-5-2"))
	if a.Status.Responsible.Education != b.Status.Responsible.Education {
		t.Error("two children of one class teacher hold two copies of the party")
	}
	if c.Status.Responsible.Education == a.Status.Responsible.Education || c.Status.Responsible.Education.Agreement != "class-5-2" {
		t.Errorf("a child of another class got party %+v", *c.Status.Responsible.Education)
	}
	if p := a.Status.Responsible.Education; p.Agreement != "class-5-1" || p.Role != "ClassTeacher" || p.Name != "张老师" {
		t.Errorf("shared party reads %+v", *p)
	}
	if a.Status.Responsible.Government != nil {
		t.Error("a child without a government-line party got one")
	}
}

// TestCacheSharesEqualConditions: children whose conditions are equal down to the transition
// time point at one list; a child whose condition moved at another time keeps its own; the shared
// list reads as before, and a list no cached child holds any more leaves the table.
func TestCacheSharesEqualConditions(t *testing.T) {
	at := func(name string, second int) *v1.Student {
		s := decodedStudent(name)
		s.Status.Conditions[0].LastTransitionTime = metav1.Unix(1_800_000_000+int64(second), 0)
		s.Status.Conditions = append(s.Status.Conditions, metav1.Condition{Type: "Attending", Status: "True", Reason: "Present",
			LastTransitionTime: metav1.Unix(1_800_000_000+int64(second), 0)})
		return s
	}
	a, b, c := cached(t, at("stu-a", 1)), cached(t, at("stu-b", 1)), cached(t, at("stu-c", 2))
	if &a.Status.Conditions[0] != &b.Status.Conditions[0] {
		t.Error("two children with equal conditions hold two lists")
	}
	if &c.Status.Conditions[0] == &a.Status.Conditions[0] {
		t.Error("a child whose conditions moved at another second shares the list of one whose did not")
	}
	if got := a.Status.Conditions; len(got) != 2 || cap(got) != 2 || got[1].Reason != "Present" || got[0].Message != "status reflects the latest reports" {
		t.Errorf("shared conditions read %+v (cap %d)", got, cap(got))
	}

	tables := func() int {
		sharedConditions.mu.Lock()
		defer sharedConditions.mu.Unlock()
		return len(sharedConditions.sets)
	}
	before := tables()
	for i := range 1000 {
		_ = cached(t, at("gone", 1000+i)) // lists only these children held
	}
	for range 50 {
		runtime.GC()
		if tables() <= before {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if n := tables(); n > before {
		t.Errorf("%d lists no child holds are still in the table (%d before)", n-before, before)
	}
	runtime.KeepAlive([]*v1.Student{a, b, c})
}
