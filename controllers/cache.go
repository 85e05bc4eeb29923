package controllers

import (
	"sync"
	"unique"

	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// CacheOptions trims what the manager keeps in memory of each object: managedFields (half of a
// Student, read by nothing here) and, of Students, the child's name and guardians, which no
// controller reads. The manager only ever patches a Student's status, computed from two copies
// that both lack those fields, so trimming them cannot write them away; and a manager that does
// not hold names or phone numbers cannot leak them.
//
// The strings a Student shares with thousands of others (codes, dates, roles, agreement names,
// condition reasons and messages) are interned: the cache holds each once instead of once per
// child, which is about a third of a cached Student.
func CacheOptions(opts cache.Options) cache.Options {
	strip := cache.TransformStripManagedFields()
	opts.DefaultTransform = strip
	opts.ByObject = map[client.Object]cache.ByObject{
		&v1.Student{}: {Transform: func(in any) (any, error) {
			out, err := strip(in)
			if s, ok := out.(*v1.Student); ok && err == nil {
				s.Spec.Name, s.Spec.Guardians = "", nil
				internStudent(s)
			}
			return out, err
		}},
	}
	return opts
}

// intern returns the one shared copy of a string.
func intern[S ~string](s S) S {
	if s == "" {
		return s
	}
	return S(unique.Make(string(s)).Value())
}

// internStudent interns the fields of a Student that repeat across children. Names, UIDs, ID
// numbers and resource versions are each child's own and are left alone.
func internStudent(s *v1.Student) {
	s.APIVersion, s.Kind, s.Namespace = intern(s.APIVersion), intern(s.Kind), intern(s.Namespace)
	spec := &s.Spec
	spec.Sex, spec.BirthDate = intern(spec.Sex), intern(spec.BirthDate)
	r := &spec.Residence
	r.Township, r.Village, r.Group = intern(r.Township), intern(r.Village), intern(r.Group)
	e := &spec.Enrolment
	e.Status, e.School, e.Since = intern(e.Status), intern(e.School), intern(e.Since)
	for i := range spec.FocusGroups {
		spec.FocusGroups[i] = intern(spec.FocusGroups[i])
	}
	st := &s.Status
	st.Attendance.AbsentSince, st.Attendance.TermStart = intern(st.Attendance.AbsentSince), intern(st.Attendance.TermStart)
	st.Responsible.Education = internParty(st.Responsible.Education)
	st.Responsible.Government = internParty(st.Responsible.Government)
	for i := range st.Conditions {
		c := &st.Conditions[i]
		c.Type, c.Status, c.Reason, c.Message = intern(c.Type), intern(c.Status), intern(c.Reason), intern(c.Message)
	}
	st.Conditions = shareConditions(st.Conditions)
}

// parties holds one copy of each responsible party: a teacher or cadre answers for dozens of
// children, so the cached Students point at the same party instead of carrying a copy each. The
// cache's objects are read-only (a reconciler changes a deep copy), so the sharing is never seen.
// The map grows with the parties of the watched counties, a few per agreement.
var parties sync.Map // v1.ResponsibleParty → *v1.ResponsibleParty

// internParty returns the shared copy of a party.
func internParty(p *v1.ResponsibleParty) *v1.ResponsibleParty {
	if p == nil {
		return nil
	}
	shared, _ := parties.LoadOrStore(*p, &v1.ResponsibleParty{Agreement: intern(p.Agreement), Role: intern(p.Role), Name: intern(p.Name)})
	return shared.(*v1.ResponsibleParty)
}
