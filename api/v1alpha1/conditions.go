package v1alpha1

// Condition reasons. Policy decides on these constants, never on a condition's message: the
// message is for people (short, Chinese, no personal data), the reason is for programs (kubectl
// wait, alerts, the plugin, Argo CD).

// Reasons of a Student's Ready condition, in the order they win: the first that applies is the
// reason Ready is False.
const (
	ReasonInvalidTerms          = "InvalidTerms"
	ReasonDuplicateRegistration = "DuplicateRegistration"
	ReasonNamedByAnotherClass   = "NamedByAnotherClass"
	ReasonNoResponsibleParty    = "NoResponsibleParty"
	ReasonOutOfSchool           = "OutOfSchool"
	ReasonCaseOpen              = "CaseOpen"
	ReasonAtRisk                = "AtRisk"
	// ReasonNothingDue: Ready True, nothing about the child needs anyone's attention.
	ReasonNothingDue = "NothingDue"
)

// Reasons of a Student's Attending and AtRisk conditions (Enrolled takes the enrolment verdict's
// reason: Enrolled, Transferred, SuspensionExpired…).
const (
	ReasonPresent          = "Present"
	ReasonUnexcusedAbsence = "UnexcusedAbsence"
	// ReasonCumulativeAbsence: N unexcused days within a window of M school days.
	ReasonCumulativeAbsence = "CumulativeAbsence"
	// ReasonChronicAbsence: the term's attendance fell below the ladder's percentage.
	ReasonChronicAbsence = "ChronicAbsence"
	// ReasonLeftWithoutLeave: the child left school without leave today (不经请假外出).
	ReasonLeftWithoutLeave = "LeftWithoutLeave"
)

// Reasons of the start-of-term sweep and of silent classes.
const (
	// ReasonClassSilent: the class sent no roll call on the last N days its school reported
	// (Silent True on the class agreement; Attending Unknown on its children).
	ReasonClassSilent = "ClassSilent"
	// ReasonReporting: the class reports (Silent False).
	ReasonReporting = "Reporting"
	// ReasonNotOnRoster: the sweep found the child on no roster of the new term.
	ReasonNotOnRoster = "NotOnRoster"
	// ReasonNotHandedOver: the sweep found a grade-6 child in no junior school's grade 7.
	ReasonNotHandedOver = "NotHandedOver"
	// ReasonOnRoster: a sweep case whose child is on a roster again (re-registered or named by
	// a roll call of the term) closes with it.
	ReasonOnRoster = "OnRoster"
)
