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

// Reasons of a DropoutCase's conditions. Escalated takes the stage as its reason (the Stage
// constants) and Resolved, once closed, the closure reason (status.closedReason).
const (
	// Assigned: True with ReasonAssigned, or ReasonCaseClosed once struck off; False when a line
	// the stage needs has no agreement covering the child.
	ReasonAssigned             = "Assigned"
	ReasonCaseClosed           = "Closed"
	ReasonNoEducationAssignee  = "NoEducationAssignee"
	ReasonNoGovernmentAssignee = "NoGovernmentAssignee"
	// Overdue: False with ReasonOnTime; True with the reason naming the action not recorded in
	// time (Reason<Action>Missing), which Ready then takes.
	ReasonOnTime                  = "OnTime"
	ReasonPhoneCallMissing        = "PhoneCallMissing"
	ReasonHomeVisitMissing        = "HomeVisitMissing"
	ReasonPersuasionLetterMissing = "PersuasionLetterMissing"
	ReasonDropoutReportMissing    = "DropoutReportMissing"
	ReasonReturnNoticeMissing     = "ReturnNoticeMissing"
	ReasonLegalReferralMissing    = "LegalReferralMissing"
	ReasonSupportGrantedMissing   = "SupportGrantedMissing"
	// Resolved: False with ReasonOpen while the case is on the ledger.
	ReasonOpen = "Open"
	// FutureDate: True while actions are dated after tomorrow.
	ReasonActionDatedAhead = "ActionDatedAhead"
	// Conflict and Stalled on a case held for breaking one case per child (一生一案).
	ReasonNoStudent      = "NoStudent"
	ReasonSecondOpenCase = "SecondOpenCase"
	ReasonOpenedInFuture = "OpenedInFuture"
	// Ready True: ReasonOnTrack for an open case with nothing overdue, ReasonCaseClosed once struck
	// off. Ready False takes the reason of the first thing wrong: held in conflict, no assignee on
	// a line, an overdue action, actions dated ahead.
	ReasonOnTrack = "OnTrack"
)

// MissingReasons is the Overdue reason for each action a ladder step can require.
var MissingReasons = map[ActionType]string{
	ActionPhoneCall:        ReasonPhoneCallMissing,
	ActionHomeVisit:        ReasonHomeVisitMissing,
	ActionPersuasionLetter: ReasonPersuasionLetterMissing,
	ActionDropoutReport:    ReasonDropoutReportMissing,
	ActionReturnNotice:     ReasonReturnNoticeMissing,
	ActionLegalReferral:    ReasonLegalReferralMissing,
	ActionSupportGranted:   ReasonSupportGrantedMissing,
}

// Reasons of a case's closure (status.closedReason, and Resolved's reason once closed) that the
// ladder itself decides; the others are the enrolment verdict's (Transferred, Suspended,
// Deferred, HomeDelivered, StudyingElsewhere, Completed).
const (
	ReasonReturned         = "Returned"
	ReasonEnrolled         = "Enrolled"
	ReasonClosedByDecision = "ClosedByDecision"
	ReasonNotSchoolAge     = "NotSchoolAge"
)

// Reasons of a ResponsibilityAgreement's conditions.
const (
	// Active.
	ReasonInEffect       = "InEffect"
	ReasonNotYetInEffect = "NotYetInEffect"
	ReasonExpired        = "Expired"
	// TargetsMet (True has the reason TargetsMet).
	ReasonTargetsMet    = "TargetsMet"
	ReasonTargetsMissed = "TargetsMissed"
	// Conflict: True with ReasonSameScope, which Ready then takes.
	ReasonSameScope  = "SameScope"
	ReasonNoConflict = "NoConflict"
	// Ready False while the figures were written with children in scope whose status does not
	// describe their spec yet (a fresh import still being reconciled): they are not final.
	ReasonFiguresPending = "FiguresPending"
	// Ready True: the figures describe the scope. Targets missed or an agreement out of force are
	// the county's work or the calendar, not a fault of the object: Ready stays True.
	ReasonMeasured = "Measured"
)

// Event reasons that are not a stage or a condition.
const (
	// ReasonVillageInformed: a case opened and the village named by the government-line village
	// agreement is on it from the first day ("镇政府将把任务分解到疑似辍学学生相应的村委", 000).
	// The Event is about that agreement, with the case as the related object.
	ReasonVillageInformed = "VillageInformed"
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
