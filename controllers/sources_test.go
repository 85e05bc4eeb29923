package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/importer"
	"kongchuo.io/kongchuo/internal/policy"
	"kongchuo.io/kongchuo/internal/registry"
)

// TestHouseholdExtractFindsAChildUnknownToSchools: a household-registry extract (户籍) with one
// pupil of the schools, one school-age child no school registered and one adult. The unknown
// child gets a Student and a NotEnrolled case (失学); the pupil the extract does not list is
// flagged for checking; the adult never enters the cluster; the counts are per township.
func TestHouseholdExtractFindsAChildUnknownToSchools(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	setToday("2026-11-09")
	known, unlisted := registeredChild(ns, "stu-known"), registeredChild(ns, "stu-unlisted")
	create(t, known, unlisted)
	newcomer := registry.MakeResidentID("520121", "2018-06-01", 7)
	extract := "公民身份号码,姓名,性别,出生日期,户籍所在乡镇代码,村代码\n" +
		known.Spec.ResidentID + ",Test Child,,2016-03-01,520121100,520121100201\n" +
		newcomer + ",Test Newcomer,,,520121100,520121100201\n" +
		registry.MakeResidentID("520121", "1980-01-01", 8) + ",Test Adult,,,520121100,520121100201\n"
	im := &importer.Importer{Client: k8s, Namespace: ns}
	res, err := im.ImportSource(context.Background(), v1.SourceHousehold, strings.NewReader(extract), policy.MustDate("2026-11-09"))
	if err != nil {
		t.Fatal(err)
	}
	want := importer.TownshipComparison{Township: township, Listed: 2, Matched: 1, OnlyInSource: 1, OnlyInStudentRegistry: 1}
	if len(res.Rejected) != 0 || res.NotSchoolAge != 1 || res.Created != 1 || len(res.Townships) != 1 || res.Townships[0] != want {
		t.Fatalf("result %+v, want the township's counts %+v", res, want)
	}

	name := registry.StudentName(newcomer)
	waitStudent(t, ns, name, "the unknown child is 失学", func(s *v1.Student) error {
		c := condition(s.Status.Conditions, v1.StudentRegistryInconsistent)
		if s.Status.OpenCase == "" || c.Reason != v1.ReasonNotInStudentRegistry {
			return fmt.Errorf("open case %q, RegistryInconsistent %+v", s.Status.OpenCase, c)
		}
		return nil
	})
	eventually(t, "a NotEnrolled case for the unknown child", func() error {
		var cases v1.DropoutCaseList
		if err := k8s.List(context.Background(), &cases, client.InNamespace(ns), client.MatchingLabels{"kongchuo.io/student": name}); err != nil {
			return err
		}
		if len(cases.Items) != 1 || cases.Items[0].Spec.Type != v1.CaseNotEnrolled {
			return fmt.Errorf("cases of the unknown child: %+v", cases.Items)
		}
		return nil
	})
	waitStudent(t, ns, "stu-unlisted", "the pupil the household registry does not list is flagged", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentRegistryInconsistent); c.Status != metav1.ConditionTrue || c.Reason != v1.ReasonNotInHouseholdRegistry {
			return fmt.Errorf("RegistryInconsistent %+v", c)
		}
		return nil
	})
	waitStudent(t, ns, "stu-known", "the pupil in both registries is not flagged", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentRegistryInconsistent); c.Status == metav1.ConditionTrue || len(s.Spec.NotListedIn) != 0 || s.Status.ObservedGeneration == 0 {
			return fmt.Errorf("RegistryInconsistent %+v, notListedIn %v", c, s.Spec.NotListedIn)
		}
		return nil
	})

	// The student registry enrols the child: the registry import takes StudentRegistry out of
	// notListedIn and the flag goes.
	reg := "resident_id,name,birth_date,township,village,enrolment_status,school,grade,class\n" +
		newcomer + ",Test Newcomer,2018-06-01,520121100,520121100201,Enrolled," + string(school) + ",3,1\n"
	if r, err := im.ImportRegistry(context.Background(), strings.NewReader(reg)); err != nil || r.Changed != 1 {
		t.Fatalf("registry import %+v, %v", r, err)
	}
	waitStudent(t, ns, name, "the enrolled child is no longer flagged", func(s *v1.Student) error {
		if len(s.Spec.NotListedIn) != 0 || condition(s.Status.Conditions, v1.StudentRegistryInconsistent).Status == metav1.ConditionTrue {
			return fmt.Errorf("notListedIn %v, conditions %+v", s.Spec.NotListedIn, s.Status.Conditions)
		}
		return nil
	})
}

// TestHomeTeachingWeekWithOneSessionIsFlagged: a child taught at home (送教上门) with two sessions
// in the week of 2 November and one in the week of 9 November is flagged on the Monday after;
// a second session recorded for that week clears the flag.
func TestHomeTeachingWeekWithOneSessionIsFlagged(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	setToday("2026-11-13")
	child := registeredChild(ns, "stu-home")
	child.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentHomeDelivered, School: school, Grade: 5, Class: 3, Since: "2026-11-02",
		Evidence: &v1.Evidence{Certificate: "SJ-2026-01", ApprovedBy: "县教育局"}}
	child.Spec.FocusGroups = []v1.FocusGroup{v1.FocusDisability}
	session := func(d v1.Date) v1.HomeTeachingSession {
		return v1.HomeTeachingSession{Date: d, Hours: 3, Teachers: 2, By: "Teacher Zhao"}
	}
	rec := &v1.SupportRecord{ObjectMeta: metav1.ObjectMeta{Name: "stu-home-2026", Namespace: ns}, Spec: v1.SupportRecordSpec{
		Student: "stu-home", SchoolYear: "2026-09-01",
		Sessions: []v1.HomeTeachingSession{session("2026-11-03"), session("2026-11-05"), session("2026-11-10")}}}
	create(t, child, rec)
	waitStudent(t, ns, "stu-home", "the current week is not judged yet", func(s *v1.Student) error {
		if s.Status.ObservedGeneration == 0 || condition(s.Status.Conditions, v1.StudentSupportMissing).Status == metav1.ConditionTrue {
			return fmt.Errorf("conditions %+v", s.Status.Conditions)
		}
		return nil
	})
	setToday("2026-11-16") // the requeue at the next Monday (policy.NextSupportChange) judges the week of 9 November
	poke(t, child)
	waitStudent(t, ns, "stu-home", "the week with one session is flagged", func(s *v1.Student) error {
		c := condition(s.Status.Conditions, v1.StudentSupportMissing)
		if c.Status != metav1.ConditionTrue || c.Reason != v1.ReasonHomeTeachingShortWeek || !strings.Contains(c.Message, "2026-11-09") {
			return fmt.Errorf("SupportMissing %+v", c)
		}
		return nil
	})
	get(t, ns, "stu-home-2026", rec)
	rec.Spec.Sessions = append(rec.Spec.Sessions, session("2026-11-12"))
	if err := k8s.Update(context.Background(), rec); err != nil {
		t.Fatal(err)
	}
	waitStudent(t, ns, "stu-home", "a second session clears the flag", func(s *v1.Student) error {
		if c := condition(s.Status.Conditions, v1.StudentSupportMissing); c.Status == metav1.ConditionTrue {
			return fmt.Errorf("SupportMissing %+v", c)
		}
		return nil
	})
}
