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

// recordName is the name of a class's ClassAttendance record for the month of a date, for
// example 5201210001-3-2-202611.
func recordName(school v1.SchoolCode, grade, class int32, day time.Time) string {
	return fmt.Sprintf("%s-%d-%d-%s", school, grade, class, day.Format("200601"))
}

// reportRecordName names the record a roll call is folded into.
func reportRecordName(rep *v1.AttendanceReport) (string, bool) {
	d, err := policy.ParseDate(rep.Spec.Date)
	if err != nil {
		return "", false
	}
	return recordName(rep.Spec.School, rep.Spec.Grade, rep.Spec.Class, d), true
}

// classDays gathers the recorded days of a class in the school year that starts on yearStart,
// oldest first, from its monthly records in the cache.
func classDays(ctx context.Context, c client.Reader, namespace, class string, yearStart time.Time) ([]v1.ClassDay, error) {
	var list v1.ClassAttendanceList
	if err := c.List(ctx, &list, client.InNamespace(namespace), client.MatchingFields{indexRecordClass: class}, client.UnsafeDisableDeepCopy); err != nil {
		return nil, fmt.Errorf("listing attendance records of class %s: %w", class, err)
	}
	year := policy.FormatDate(yearStart)
	var months []*v1.ClassAttendance
	for i := range list.Items {
		if list.Items[i].Spec.SchoolYear == year {
			months = append(months, &list.Items[i])
		}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Spec.Month < months[j].Spec.Month })
	var days []v1.ClassDay
	for _, m := range months {
		days = append(days, m.Spec.Days...)
	}
	return days, nil
}

// childAttendance is a child's attendance this school year, derived from its class's records: the
// Student's status is never the only copy of a day.
func childAttendance(ctx context.Context, c client.Reader, s *v1.Student, yearStart time.Time) (policy.ChildAttendance, error) {
	e := s.Spec.Enrolment
	if e.Status != v1.EnrolmentEnrolled {
		return policy.Summarize(nil, yearStart), nil
	}
	days, err := classDays(ctx, c, s.Namespace, classKey(e.School, e.Grade, e.Class), yearStart)
	if err != nil {
		return policy.ChildAttendance{}, err
	}
	return policy.Summarize(policy.ChildDays(days, s.Name, e.Since), yearStart), nil
}
