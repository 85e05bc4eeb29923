package policy

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestAssessEnrolment(t *testing.T) {
	cert := func(e v1.Evidence) *v1.Evidence { return &e }
	cases := []struct {
		name     string
		birth    v1.Date
		e        v1.Enrolment
		standing Standing
		reason   string
		focus    []v1.FocusGroup
	}{
		{"enrolled", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentEnrolled, School: "5201210001", Grade: 5, Class: 1}, StandingInSchool, "Enrolled", nil},
		{"7-year-old enrolled nowhere", "2019-05-01", v1.Enrolment{Status: v1.EnrolmentNotEnrolled}, StandingOutOfSchool, "NotEnrolled", nil},
		{"5-year-old enrolled nowhere", "2021-05-01", v1.Enrolment{Status: v1.EnrolmentNotEnrolled}, StandingNotSchoolAge, "NotSchoolAge", nil},
		{"transfer with certificate", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentTransferredOut, Evidence: cert(v1.Evidence{Certificate: "ZX-2026-17", ReceivingSchool: "Guiyang No. 3"})}, StandingExempt, "Transferred", nil},
		{"transfer without certificate", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentTransferredOut, Evidence: cert(v1.Evidence{ReceivingSchool: "Guiyang No. 3"})}, StandingOutOfSchool, "TransferredWithoutCertificate", nil},
		{"study elsewhere with certificate", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentStudyingElsewhere, Evidence: cert(v1.Evidence{Certificate: "C1", ReceivingSchool: "Zunyi No. 1"})}, StandingExempt, "StudyingElsewhere", nil},
		{"suspension valid", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Evidence: cert(v1.Evidence{Certificate: "H1", ApprovedBy: "county bureau", Until: "2027-01-31"})}, StandingExempt, "Suspended", nil},
		{"suspension expired", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Evidence: cert(v1.Evidence{Certificate: "H1", ApprovedBy: "county bureau", Until: "2026-10-31"})}, StandingOutOfSchool, "SuspensionExpired", nil},
		{"suspension without certificate", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, Evidence: cert(v1.Evidence{ApprovedBy: "county bureau", Until: "2027-01-31"})}, StandingOutOfSchool, "SuspensionWithoutCertificate", nil},
		{"deferral for one year", "2020-05-01", v1.Enrolment{Status: v1.EnrolmentDeferred, Evidence: cert(v1.Evidence{Certificate: "D1", ApprovedBy: "bureau", Until: "2027-08-31"})}, StandingExempt, "Deferred", nil},
		{"deferral past age 7", "2020-05-01", v1.Enrolment{Status: v1.EnrolmentDeferred, Evidence: cert(v1.Evidence{Certificate: "D1", ApprovedBy: "bureau", Until: "2027-09-01"})}, StandingOutOfSchool, "DeferralTooLong", nil},
		{"second deferral", "2019-05-01", v1.Enrolment{Status: v1.EnrolmentDeferred, DeferredBefore: true, Evidence: cert(v1.Evidence{Certificate: "D1", ApprovedBy: "bureau", Until: "2027-08-31"})}, StandingOutOfSchool, "DeferredTwice", nil},
		{"home-delivered education approved", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentHomeDelivered, Evidence: cert(v1.Evidence{Certificate: "S1", ApprovedBy: "bureau"})}, StandingExempt, "HomeDelivered", []v1.FocusGroup{v1.FocusDisability}},
		{"completed after grade 9 with a certificate", "2012-03-01", v1.Enrolment{Status: v1.EnrolmentCompleted, Grade: 9, Evidence: cert(v1.Evidence{Certificate: "BY-2026-1"})}, StandingExempt, "Completed", nil},
		{"completed in grade 5: not completed (隐瞒辍学)", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentCompleted, Grade: 5, Evidence: cert(v1.Evidence{Certificate: "BY-2026-1"})}, StandingOutOfSchool, "CompletedWithoutEvidence", nil},
		{"completed in grade 9 without a certificate", "2012-03-01", v1.Enrolment{Status: v1.EnrolmentCompleted, Grade: 9}, StandingOutOfSchool, "CompletedWithoutEvidence", nil},
		{"completed, past school age", "2008-03-01", v1.Enrolment{Status: v1.EnrolmentCompleted}, StandingExempt, "Completed", nil},
		{"home-delivered without approval", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentHomeDelivered, Evidence: cert(v1.Evidence{Certificate: "S1"})}, StandingOutOfSchool, "HomeDeliveryWithoutApproval", []v1.FocusGroup{v1.FocusDisability}},
		{"home-delivered for an illness, without the Disability focus group (000: 因病、因残)", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentHomeDelivered, Evidence: cert(v1.Evidence{Certificate: "S1", ApprovedBy: "bureau"})}, StandingExempt, "HomeDelivered", []v1.FocusGroup{v1.FocusLeftBehind}},
		{"home-education plan ended", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentHomeDelivered, Evidence: cert(v1.Evidence{Certificate: "S1", ApprovedBy: "bureau", Until: "2026-10-31"})}, StandingOutOfSchool, "HomeDeliveryExpired", []v1.FocusGroup{v1.FocusDisability}},
		{"transfer certificate still valid", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentTransferredOut, Evidence: cert(v1.Evidence{Certificate: "ZX-2026-17", ReceivingSchool: "Guiyang No. 3", Until: "2027-07-15"})}, StandingExempt, "Transferred", nil},
		{"study-elsewhere certificate expired", "2016-03-01", v1.Enrolment{Status: v1.EnrolmentStudyingElsewhere, Evidence: cert(v1.Evidence{Certificate: "C1", ReceivingSchool: "Zunyi No. 1", Until: "2026-07-15"})}, StandingOutOfSchool, "StudyingElsewhereCertificateExpired", nil},
		{"16-year-old transferred without certificate is past school age", "2009-03-01", v1.Enrolment{Status: v1.EnrolmentTransferredOut, Evidence: cert(v1.Evidence{ReceivingSchool: "x"})}, StandingNotSchoolAge, "NotSchoolAge", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &v1.Student{Spec: v1.StudentSpec{BirthDate: c.birth, Enrolment: c.e, FocusGroups: c.focus}}
			got := AssessEnrolment(s, today, DefaultSchoolAgeRules)
			if got.Standing != c.standing || got.Reason != c.reason {
				t.Fatalf("got %s/%s (%s), want %s/%s", got.Standing, got.Reason, got.Message, c.standing, c.reason)
			}
		})
	}
}
