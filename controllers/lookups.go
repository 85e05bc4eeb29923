package controllers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// agreementsFor finds, through the scope index, every agreement that could cover a student.
func agreementsFor(ctx context.Context, c client.Reader, s *v1.Student) ([]*v1.ResponsibilityAgreement, error) {
	seen := map[string]bool{}
	var out []*v1.ResponsibilityAgreement
	for _, key := range policy.StudentScopeKeys(s) {
		var list v1.ResponsibilityAgreementList
		if err := c.List(ctx, &list, client.InNamespace(s.Namespace), client.MatchingFields{indexAgreementScope: key}); err != nil {
			return nil, fmt.Errorf("listing agreements for scope %s: %w", key, err)
		}
		for i := range list.Items {
			if a := &list.Items[i]; !seen[a.Name] {
				seen[a.Name] = true
				out = append(out, a)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// casesOf lists a student's cases, newest episode first.
func casesOf(ctx context.Context, c client.Reader, namespace, student string) ([]*v1.DropoutCase, error) {
	var list v1.DropoutCaseList
	if err := c.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{indexCaseStudent: student}); err != nil {
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

// classReports lists the reports of a class as the attendance summary needs them.
func classReports(ctx context.Context, c client.Reader, namespace, class string) ([]policy.ClassReport, error) {
	var list v1.AttendanceReportList
	if err := c.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{indexReportClass: class}); err != nil {
		return nil, fmt.Errorf("listing reports of class %s: %w", class, err)
	}
	out := make([]policy.ClassReport, 0, len(list.Items))
	for i := range list.Items {
		if r, ok := toClassReport(&list.Items[i]); ok {
			out = append(out, r)
		}
	}
	return out, nil
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
func ladderFor(ctx context.Context, c client.Reader, s *v1.Student, today time.Time) (policy.Resolution, policy.Ladder, error) {
	agreements, err := agreementsFor(ctx, c, s)
	if err != nil {
		return policy.Resolution{}, policy.Ladder{}, err
	}
	res := policy.Resolve(agreements, s, today)
	ladder, ladderErr := policy.LadderFrom(res.Terms)
	return res, ladder, ladderErr
}

// forStudentsInScope calls fn, once each, for the Students an agreement covers, found through the
// scope index.
func forStudentsInScope(ctx context.Context, c client.Reader, a *v1.ResponsibilityAgreement, fn func(*v1.Student) error) error {
	seen := map[string]bool{}
	for _, key := range policy.ScopeIndexKeys(a) {
		var list v1.StudentList
		if err := c.List(ctx, &list, client.InNamespace(a.Namespace), client.MatchingFields{indexStudentScope: key}); err != nil {
			return fmt.Errorf("listing students in scope %s: %w", key, err)
		}
		for i := range list.Items {
			s := &list.Items[i]
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
