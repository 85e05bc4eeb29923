package controllers

import (
	"context"
	"fmt"
	"sort"
	"time"

	"k8s.io/apimachinery/pkg/api/equality"
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
	months, err := classRecords(ctx, c, namespace, class, yearStart)
	if err != nil {
		return nil, err
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Spec.Month < months[j].Spec.Month })
	var days []v1.ClassDay
	for _, m := range months {
		days = append(days, m.Spec.Days...)
	}
	return days, nil
}

// classMonths is each of a class's monthly records of a school year, by record name: its days.
func classMonths(ctx context.Context, c client.Reader, namespace, class string, yearStart time.Time) (map[string][]v1.ClassDay, error) {
	months, err := classRecords(ctx, c, namespace, class, yearStart)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]v1.ClassDay, len(months))
	for _, m := range months {
		out[m.Name] = m.Spec.Days
	}
	return out, nil
}

// classRecords are a class's monthly records of a school year, the cache's own (not to be
// changed).
func classRecords(ctx context.Context, c client.Reader, namespace, class string, yearStart time.Time) ([]*v1.ClassAttendance, error) {
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
	return months, nil
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

// classRecordsBehind tells whether a class's records of the school year that starts on yearStart
// lack what its roll calls say: a roll call not yet folded in, a correction not yet applied. A
// case is named for the first day of the child's run, so it waits for a record that has caught
// up: a manager killed between the folds of two months, or an API server slow for one record,
// would otherwise name it for the first day of the later month.
func (o Options) classRecordsBehind(ctx context.Context, c client.Reader, namespace string, e v1.Enrolment, yearStart, now, today time.Time) (bool, error) {
	if e.Status != v1.EnrolmentEnrolled {
		return false, nil
	}
	recorded, err := classMonths(ctx, c, namespace, classKey(e.School, e.Grade, e.Class), yearStart)
	if err != nil {
		return false, err
	}
	for m := time.Date(yearStart.Year(), yearStart.Month(), 1, 0, 0, 0, 0, yearStart.Location()); !m.After(today); m = m.AddDate(0, 1, 0) {
		name := recordName(e.School, e.Grade, e.Class, m)
		var reports v1.AttendanceReportList
		if err := c.List(ctx, &reports, client.InNamespace(namespace), client.MatchingFields{indexReportRecord: name}, client.UnsafeDisableDeepCopy); err != nil {
			return false, fmt.Errorf("listing reports of %s: %w", name, err)
		}
		days, _, _ := o.foldRecord(recorded[name], byName(reports.Items), now, today)
		if !equality.Semantic.DeepEqual(recorded[name], days) {
			return true, nil
		}
	}
	return false, nil
}
