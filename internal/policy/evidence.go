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
	birth, err := ParseDate(s.Spec.BirthDate)
	if err != nil || !rules.IsSchoolAge(birth, today) {
		if e.Status == v1.EnrolmentCompleted {
			return EnrolmentAssessment{StandingExempt, "Completed", "completed compulsory education"}
		}
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
	case v1.EnrolmentCompleted:
		// A child of school age has completed only with a certificate after grade 9: otherwise
		// "Completed" would take a dropout out of every rate (隐瞒辍学人数).
		if ev.Certificate == "" || e.Grade != 9 {
			return out("CompletedWithoutEvidence", "completed needs grade 9 and a certificate (毕业证书)")
		}
		return EnrolmentAssessment{StandingExempt, "Completed", "completed compulsory education (certificate " + ev.Certificate + ")"}
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
		// 送教上门 serves children who cannot come because of a disability or an illness
		// ("因病、因残…以及办理因病休学的学生", 000): the certificate (disability or hospital) and
		// the approval are the evidence, whatever the focus groups say.
		case ev.Certificate == "" || ev.ApprovedBy == "":
			return out("HomeDeliveryWithoutApproval", "home-delivered education needs a certificate and an approval")
		case expired(ev.Until, today):
			return out("HomeDeliveryExpired", "the home-education plan ended on "+string(ev.Until))
		}
		return EnrolmentAssessment{StandingExempt, "HomeDelivered", "receives home-delivered education (送教上门)"}
	}
	return EnrolmentAssessment{StandingOutOfSchool, "NotEnrolled", "of school age and enrolled nowhere (失学)"}
}

// MovedBetween reports whether two registrations of one child are a move (籍随人走): one side
// TransferredOut with the receiving school named, the other enrolled. Each county keeps its own
// record of the child, and only one of them counts the child as on its roll.
func MovedBetween(a, b *v1.Student) bool {
	left := func(s *v1.Student) bool {
		e := s.Spec.Enrolment
		return e.Status == v1.EnrolmentTransferredOut && e.Evidence != nil && e.Evidence.ReceivingSchool != ""
	}
	enrolled := func(s *v1.Student) bool { return s.Spec.Enrolment.Status == v1.EnrolmentEnrolled }
	return (left(a) && enrolled(b)) || (left(b) && enrolled(a))
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
