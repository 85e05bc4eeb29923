package controllers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// Cache indexes, so reconcilers look up related objects instead of listing and filtering.
const (
	indexStudentClass      = "kongchuo.io/student-class"      // school/grade/class of an enrolled child
	indexStudentScope      = "kongchuo.io/student-scope"      // township, village and school of the child (studentLookupKeys)
	indexStudentIdentity   = "kongchuo.io/student-identity"   // buckets of hashed ID numbers (一人一籍), identityBuckets
	indexStudentRunning    = "kongchuo.io/student-running"    // class of an enrolled child with a run of unexcused absence or actions due
	indexStudentOpenCase   = "kongchuo.io/student-opencase"   // class of an enrolled child with an open case
	indexReportRecord      = "kongchuo.io/report-record"      // the class-month record a report is folded into
	indexReportStudent     = "kongchuo.io/report-student"     // students named in a report's absences
	indexRecordClass       = "kongchuo.io/record-class"       // school/grade/class of a ClassAttendance record
	indexAgreementScope    = "kongchuo.io/agreement-scope"    // scope keys of an agreement
	indexAgreementLine     = "kongchuo.io/agreement-line"     // the line of an agreement
	indexAgreementConflict = "kongchuo.io/agreement-conflict" // line and scope of an agreement (policy.ConflictKey)
	indexClassAgreement    = "kongchuo.io/class-agreement"    // the school of a class-level agreement
	indexCaseStudent       = "kongchuo.io/case-student"       // the student a case is about
	indexSupportStudent    = "kongchuo.io/support-student"    // the student a SupportRecord is about
)

func classKey(school v1.SchoolCode, grade, class int32) string {
	return fmt.Sprintf("%s/%d/%d", school, grade, class)
}

// identityKeys are hashes of a child's ID numbers: the index must find duplicates without the
// numbers themselves sitting in memory maps that a debug dump could print. A national student
// number beginning with G is the resident ID with a prefix, so both map to the same key.
func identityKeys(s *v1.Student) []string {
	var ids []string
	if s.Spec.ResidentID != "" {
		ids = append(ids, s.Spec.ResidentID)
	}
	if n := s.Spec.StudentNumber; n != "" {
		if n[0] == 'G' && n[1:] != s.Spec.ResidentID {
			ids = append(ids, n[1:])
		} else if n[0] != 'G' {
			ids = append(ids, n)
		}
	}
	keys := make([]string, 0, len(ids))
	for _, id := range ids {
		sum := sha256.Sum256([]byte("kongchuo.io/identity:" + id))
		keys = append(keys, hex.EncodeToString(sum[:12]))
	}
	return keys
}

// identityBucketDigits is how much of an identity key the index keeps: 3 hex digits, 4,096
// buckets. A key per child would cost a set of its own per child in the cache's index (about
// 650 bytes a child, the largest part of the index); a bucket holds about N/4,096 children (25 in
// a county of 100,000), and a lookup compares their full keys.
const identityBucketDigits = 3

// identityBuckets are the index values of a child's identity keys.
func identityBuckets(s *v1.Student) []string {
	var buckets []string
	for _, k := range identityKeys(s) {
		if b := k[:identityBucketDigits]; !slices.Contains(buckets, b) {
			buckets = append(buckets, b)
		}
	}
	return buckets
}

// sameIdentity says whether two Students share an ID number (by its hash).
func sameIdentity(a, b *v1.Student) bool {
	theirs := identityKeys(b)
	for _, k := range identityKeys(a) {
		if slices.Contains(theirs, k) {
			return true
		}
	}
	return false
}

// enrolledClassIf is the class key of an enrolled child when cond holds.
func enrolledClassIf(s *v1.Student, cond bool) []string {
	e := s.Spec.Enrolment
	if !cond || e.Status != v1.EnrolmentEnrolled {
		return nil
	}
	return []string{classKey(e.School, e.Grade, e.Class)}
}

// running says whether a day of the class that does not name the child can change its status: a
// run of absence (a day present ends it), or actions due before a case (a child at risk by a
// cumulative or chronic rule may have no run today, and a day present can still end its risk).
// It decides the student-running index.
// A child of a silent class (Attending Unknown) is ended by its class's next roll call.
func running(st v1.StudentStatus) bool {
	return st.Attendance.ConsecutiveUnexcusedDays > 0 || len(st.DueActions) > 0 ||
		meta.IsStatusConditionPresentAndEqual(st.Conditions, v1.StudentAttending, metav1.ConditionUnknown)
}

// RegisterIndexes adds the cache indexes every reconciler relies on.
func RegisterIndexes(mgr ctrl.Manager) error {
	ctx := context.Background()
	indexes := []struct {
		obj client.Object
		key string
		fn  client.IndexerFunc
	}{
		{&v1.Student{}, indexStudentClass, func(o client.Object) []string { return enrolledClassIf(o.(*v1.Student), true) }},
		{&v1.Student{}, indexStudentScope, func(o client.Object) []string { return studentLookupKeys(o.(*v1.Student)) }},
		{&v1.Student{}, indexStudentRunning, func(o client.Object) []string {
			s := o.(*v1.Student)
			return enrolledClassIf(s, running(s.Status))
		}},
		{&v1.Student{}, indexStudentOpenCase, func(o client.Object) []string {
			s := o.(*v1.Student)
			return enrolledClassIf(s, s.Status.OpenCase != "")
		}},
		{&v1.AttendanceReport{}, indexReportRecord, func(o client.Object) []string {
			if name, ok := reportRecordName(o.(*v1.AttendanceReport)); ok {
				return []string{name}
			}
			return nil
		}},
		{&v1.ClassAttendance{}, indexRecordClass, func(o client.Object) []string {
			s := o.(*v1.ClassAttendance).Spec
			return []string{classKey(s.School, s.Grade, s.Class)}
		}},
		{&v1.AttendanceReport{}, indexReportStudent, func(o client.Object) []string {
			var names []string
			for _, a := range o.(*v1.AttendanceReport).Spec.Absences {
				names = append(names, a.Student)
			}
			return names
		}},
		{&v1.ResponsibilityAgreement{}, indexAgreementScope, func(o client.Object) []string {
			return policy.ScopeIndexKeys(o.(*v1.ResponsibilityAgreement))
		}},
		{&v1.ResponsibilityAgreement{}, indexAgreementConflict, func(o client.Object) []string {
			return []string{policy.ConflictKey(o.(*v1.ResponsibilityAgreement))}
		}},
		{&v1.ResponsibilityAgreement{}, indexAgreementLine, func(o client.Object) []string {
			return []string{string(o.(*v1.ResponsibilityAgreement).Spec.Line)}
		}},
		{&v1.ResponsibilityAgreement{}, indexClassAgreement, func(o client.Object) []string {
			if sc := o.(*v1.ResponsibilityAgreement).Spec.Scope; policy.ScopeLevel(sc) == policy.LevelClass {
				return []string{string(sc.School)}
			}
			return nil
		}},
		{&v1.DropoutCase{}, indexCaseStudent, func(o client.Object) []string { return []string{o.(*v1.DropoutCase).Spec.Student} }},
		{&v1.SupportRecord{}, indexSupportStudent, func(o client.Object) []string { return []string{o.(*v1.SupportRecord).Spec.Student} }},
	}
	for _, i := range indexes {
		if err := addFieldIndex(ctx, mgr.GetCache(), i.obj, i.key, perNamespace, i.fn); err != nil {
			return err
		}
	}
	// One child, one record (一人一籍) across the province: the identity index is looked up
	// across counties.
	return addFieldIndex(ctx, mgr.GetCache(), &v1.Student{}, indexStudentIdentity, acrossNamespaces,
		func(o client.Object) []string { return identityBuckets(o.(*v1.Student)) })
}
