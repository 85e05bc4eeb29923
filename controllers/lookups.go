package controllers

import (
	"context"
	"fmt"
	"sort"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// agreementsFor finds, through the scope index, every agreement that could cover a student. The
// agreements are the cache's own: read them, never change them.
func agreementsFor(ctx context.Context, agreements cachedAgreements, s *v1.Student) ([]*v1.ResponsibilityAgreement, error) {
	seen := map[string]bool{}
	var out []*v1.ResponsibilityAgreement
	for _, key := range policy.StudentScopeKeys(s) {
		found, err := agreements.byField(ctx, s.Namespace, indexAgreementScope, key)
		if err != nil {
			return nil, fmt.Errorf("listing agreements for scope %s: %w", key, err)
		}
		for _, a := range found {
			if !seen[a.Name] {
				seen[a.Name] = true
				out = append(out, a)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// casesOf lists a student's cases, newest episode first: the cache's own objects, to read only
// (DeepCopy one before changing it).
func casesOf(ctx context.Context, c client.Reader, namespace, student string) ([]*v1.DropoutCase, error) {
	var list v1.DropoutCaseList
	if err := c.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{indexCaseStudent: student}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, fmt.Errorf("listing cases of student %s: %w", student, err)
	}
	out := make([]*v1.DropoutCase, 0, len(list.Items))
	for i := range list.Items {
		out = append(out, &list.Items[i])
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Spec.Opened != out[j].Spec.Opened {
			return out[i].Spec.Opened > out[j].Spec.Opened
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// openCaseOf is the student's case that is not closed, if any; a case held in Conflict is not the
// child's case.
func openCaseOf(cases []*v1.DropoutCase) *v1.DropoutCase {
	for _, dc := range cases {
		if policy.Open(dc.Status.Stage) && !conditionTrue(dc.Status.Conditions, v1.CaseConflict) {
			return dc
		}
	}
	return nil
}

func toClassReport(r *v1.AttendanceReport) (policy.ClassReport, bool) {
	date, err := policy.ParseDate(r.Spec.Date)
	if err != nil {
		return policy.ClassReport{}, false
	}
	at := r.CreationTimestamp.Time
	if r.Spec.ReportedAt != nil {
		at = r.Spec.ReportedAt.Time
	}
	absences := make(map[string]v1.Mark, len(r.Spec.Absences))
	for _, a := range r.Spec.Absences {
		absences[a.Student] = v1.Mark(a.Kind)
	}
	return policy.ClassReport{Name: r.Name, Date: date, ReportedAt: at, Absences: absences}, true
}

// ladderFor resolves who answers for a student and which ladder applies.
func ladderFor(ctx context.Context, store cachedAgreements, s *v1.Student, today time.Time) (policy.Resolution, policy.Ladder, error) {
	agreements, err := agreementsFor(ctx, store, s)
	if err != nil {
		return policy.Resolution{}, policy.Ladder{}, err
	}
	res := policy.Resolve(agreements, s, today)
	ladder, ladderErr := policy.LadderFrom(res.Terms)
	return res, ladder, ladderErr
}

// forStudentsInScope calls fn, once each, for the Students an agreement covers, found through the
// student scope index. fn gets the cache's own object: it must not change it.
func forStudentsInScope(ctx context.Context, c client.Reader, store cachedStudents, a *v1.ResponsibilityAgreement, fn func(*v1.Student) error) error {
	if policy.ScopeLevel(a.Spec.Scope) == policy.LevelStudents {
		return forNamedStudents(ctx, c, a, fn)
	}
	seen := map[string]bool{}
	for _, key := range scopeLookupKeys(a) {
		students, err := store.studentsUnder(ctx, a.Namespace, key)
		if err != nil {
			return fmt.Errorf("listing students in scope %s: %w", key, err)
		}
		for _, s := range students {
			if seen[s.Name] || !policy.Covers(a, s) {
				continue
			}
			seen[s.Name] = true
			if err := fn(s); err != nil {
				return err
			}
		}
	}
	return nil
}

// forNamedStudents calls fn for the named students (包人) of an agreement that exist.
func forNamedStudents(ctx context.Context, c client.Reader, a *v1.ResponsibilityAgreement, fn func(*v1.Student) error) error {
	for _, name := range a.Spec.Scope.Students {
		var s v1.Student
		err := c.Get(ctx, client.ObjectKey{Namespace: a.Namespace, Name: name}, &s)
		if apierrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return fmt.Errorf("reading a named student: %w", err)
		}
		if err := fn(&s); err != nil {
			return err
		}
	}
	return nil
}

// studentLookupKeys are the keys of the student scope index: few per child, since every key
// costs memory per child. Narrower scopes are found under them and filtered (policy.Covers).
func studentLookupKeys(s *v1.Student) []string {
	e, r := s.Spec.Enrolment, s.Spec.Residence
	keys := []string{"township/" + string(r.Township)}
	if r.Village != "" {
		keys = append(keys, "village/"+string(r.Village))
	}
	if e.School != "" {
		keys = append(keys, "school/"+string(e.School))
	}
	return keys
}

// scopeLookupKeys are the student scope index keys under which an agreement's children are; ""
// stands for the whole county (the namespace). Named students are read one by one instead.
func scopeLookupKeys(a *v1.ResponsibilityAgreement) []string {
	sc := a.Spec.Scope
	switch policy.ScopeLevel(sc) {
	case policy.LevelCounty:
		return []string{""}
	case policy.LevelSchool, policy.LevelGrade, policy.LevelClass:
		keys := []string{"school/" + string(sc.School)}
		for _, v := range sc.Catchment {
			keys = append(keys, "village/"+string(v))
		}
		return keys
	case policy.LevelVillage, policy.LevelGroup:
		return []string{"village/" + string(sc.Village)}
	}
	return []string{"township/" + string(sc.Township)}
}
