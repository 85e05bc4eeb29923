package policy

import (
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Standing is how a child counts for 控辍保学.
type Standing string

const (
	// StandingInSchool: enrolled in a school of the county.
	StandingInSchool Standing = "InSchool"
	// StandingExempt: not attending here for a legitimate reason backed by valid evidence.
	StandingExempt Standing = "Exempt"
	// StandingOutOfSchool: school age, and neither in school nor validly exempt: 失学, or a claimed
	// reason without (or past) its evidence, which counts as dropping out (视同辍学).
	StandingOutOfSchool Standing = "OutOfSchool"
	// StandingNotSchoolAge: not enrolled and outside compulsory-education age.
	StandingNotSchoolAge Standing = "NotSchoolAge"
)

// EnrolmentAssessment is the verdict on a child's enrolment on a date.
type EnrolmentAssessment struct {
	Standing Standing
	// Reason is a CamelCase reason for conditions and case closure (Transferred, NotEnrolled…).
	Reason string
	// Message explains the verdict to a county officer.
	Message string
}

// AssessEnrolment applies the evidence rules: transfers and study elsewhere need a certificate and
// the receiving school; a suspension needs a certificate, an approval and an end date not yet
// passed; a deferral is allowed once, needs an approval, and must end within a year of the normal
// entry (so the child starts by age 7); home-delivered education needs a certificate and an approval.
func AssessEnrolment(s *v1.Student, today time.Time, rules SchoolAgeRules) EnrolmentAssessment {
	e := s.Spec.Enrolment
	if e.Status == v1.EnrolmentEnrolled {
		return EnrolmentAssessment{StandingInSchool, "Enrolled", "enrolled at school " + string(e.School)}
	}
	if e.Status == v1.EnrolmentCompleted {
		return EnrolmentAssessment{StandingExempt, "Completed", "completed compulsory education"}
	}
	birth, err := ParseDate(s.Spec.BirthDate)
	if err != nil || !rules.IsSchoolAge(birth, today) {
		return EnrolmentAssessment{StandingNotSchoolAge, "NotSchoolAge", "not of compulsory-education age"}
	}
	ev := e.Evidence
	if ev == nil {
		ev = &v1.Evidence{}
	}
	out := func(reason, msg string) EnrolmentAssessment {
		return EnrolmentAssessment{StandingOutOfSchool, reason, msg + "; counts as not attending (视同辍学)"}
	}
	switch e.Status {
	case v1.EnrolmentTransferredOut, v1.EnrolmentStudyingElsewhere:
		reason := map[v1.EnrolmentStatus]string{v1.EnrolmentTransferredOut: "Transferred", v1.EnrolmentStudyingElsewhere: "StudyingElsewhere"}[e.Status]
		switch {
		case ev.Certificate == "" || ev.ReceivingSchool == "":
			return out(reason+"WithoutCertificate", "no certificate from the receiving school is recorded")
		case expired(ev.Until, today):
			return out(reason+"CertificateExpired", "the certificate from "+ev.ReceivingSchool+" covered the child until "+string(ev.Until))
		}
		return EnrolmentAssessment{StandingExempt, reason, "attends " + ev.ReceivingSchool + " (certificate " + ev.Certificate + ")"}
	case v1.EnrolmentSuspendedForIllness:
		if ev.Certificate == "" || ev.ApprovedBy == "" {
			return out("SuspensionWithoutCertificate", "a suspension needs a hospital certificate and an approval")
		}
		if expired(ev.Until, today) {
			return out("SuspensionExpired", "the suspension ended on "+string(ev.Until))
		}
		return EnrolmentAssessment{StandingExempt, "Suspended", "suspended for illness until " + string(ev.Until)}
	case v1.EnrolmentDeferred:
		switch {
		case e.DeferredBefore:
			return out("DeferredTwice", "enrolment can be deferred only once")
		case ev.Certificate == "" || ev.ApprovedBy == "":
			return out("DeferralWithoutApproval", "a deferral needs a certificate and an approval")
		case expired(ev.Until, today):
			return out("DeferralExpired", "the deferral ended on "+string(ev.Until))
		case deferralTooLong(birth, ev.Until, rules):
			return out("DeferralTooLong", "a deferral lasts at most one year: the child must start school by age 7")
		}
		return EnrolmentAssessment{StandingExempt, "Deferred", "enrolment deferred until " + string(ev.Until)}
	case v1.EnrolmentHomeDelivered:
		switch {
		case !hasFocusGroup(s, v1.FocusDisability):
			return out("HomeDeliveryWithoutDisability", "home-delivered education (送教上门) is for children with disabilities: add the Disability focus group")
		case ev.Certificate == "" || ev.ApprovedBy == "":
			return out("HomeDeliveryWithoutApproval", "home-delivered education needs a certificate and an approval")
		case expired(ev.Until, today):
			return out("HomeDeliveryExpired", "the home-education plan ended on "+string(ev.Until))
		}
		return EnrolmentAssessment{StandingExempt, "HomeDelivered", "receives home-delivered education (送教上门)"}
	}
	return EnrolmentAssessment{StandingOutOfSchool, "NotEnrolled", "of school age and enrolled nowhere (失学)"}
}

func hasFocusGroup(s *v1.Student, g v1.FocusGroup) bool {
	for _, f := range s.Spec.FocusGroups {
		if f == g {
			return true
		}
	}
	return false
}

// EvidenceEnds is the day after the evidence of a legitimate non-attendance stops covering the
// child, if it has an end date: from then on the child counts as not attending.
func EvidenceEnds(s *v1.Student) (time.Time, bool) {
	ev := s.Spec.Enrolment.Evidence
	if ev == nil || ev.Until == "" {
		return time.Time{}, false
	}
	until, err := ParseDate(ev.Until)
	if err != nil {
		return time.Time{}, false
	}
	return AddDays(until, 1), true
}

func expired(until v1.Date, today time.Time) bool {
	if until == "" {
		return false
	}
	t, err := ParseDate(until)
	return err != nil || today.After(t)
}

func deferralTooLong(birth time.Time, until v1.Date, rules SchoolAgeRules) bool {
	if until == "" {
		return true
	}
	t, err := ParseDate(until)
	if err != nil {
		return true
	}
	first, _ := rules.SchoolAgeWindow(birth)
	return !t.Before(first.AddDate(1, 0, 0))
}
