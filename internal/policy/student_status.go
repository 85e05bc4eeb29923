package policy

import (
	"fmt"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Condition is one condition as policy decides it; the controller adds the transition time.
type Condition struct {
	Type string
	True bool
	// Unknown: the condition's status is Unknown (True is then ignored): nobody can say.
	Unknown bool
	Reason  string
	Message string
}

// RegistryProblem is one finding of the registry cross-check (一人一籍, 在籍不在校).
type RegistryProblem struct {
	// Reason is ReasonDuplicateRegistration or ReasonNamedByAnotherClass.
	Reason  string
	Message string
}

// StudentFacts is everything a Student's conditions depend on.
type StudentFacts struct {
	Standing   EnrolmentAssessment
	Attendance ChildAttendance
	Ladder     Ladder
	// LadderErr is set when the inherited terms make no valid ladder (the default applies).
	LadderErr error
	// Missing names the line without a responsible party, empty when both are named.
	Missing  string
	Registry []RegistryProblem
	OpenCase string
	// Support is what the support measures' rules read (support.go); zero for no SupportRecords.
	Support SupportFacts
	// ClassSilentSince is the day the child's class stopped reporting while its school reported
	// (ClassSilentSince); empty while the class reports.
	ClassSilentSince v1.Date
}

// StudentVerdict is what the ladder and the registry say of a child: its conditions and the
// actions due before a case.
type StudentVerdict struct {
	Conditions []Condition
	DueActions []v1.DueAction
}

// EvaluateStudent gives a Student's conditions and the actions the steps before the case ask
// for while the child is at risk.
func EvaluateStudent(f StudentFacts) StudentVerdict {
	reached := stepsBeforeCase(f)
	return StudentVerdict{Conditions: studentConditions(f, reached), DueActions: DueActions(f.Ladder, reached)}
}

// stepsBeforeCase are the steps before the case the child reached; none once a case is open or
// due, or for a child not in school.
func stepsBeforeCase(f StudentFacts) []ReachedStep {
	if f.Standing.Standing != StandingInSchool || f.OpenCase != "" || ShouldOpenCase(f.Attendance.AttendanceSummary, f.Ladder) {
		return nil
	}
	return StepsReached(f.Ladder, f.Attendance)
}

// studentConditions is the whole set of a Student's conditions: Enrolled, Attending and Ready
// always, the abnormal ones (Stalled, RegistryInconsistent, Unassigned, AtRisk) only while True,
// so that a present, healthy child carries three conditions. Ready is False with the reason of
// the first thing that needs attention.
func studentConditions(f StudentFacts, reached []ReachedStep) []Condition {
	inSchool := f.Standing.Standing == StandingInSchool
	out := []Condition{
		{Type: v1.StudentEnrolled, True: inSchool, Reason: f.Standing.Reason, Message: enrolledMessage(f.Standing)},
		attendingCondition(f, inSchool),
	}
	var abnormal []Condition
	if f.LadderErr != nil {
		abnormal = append(abnormal, Condition{Type: v1.ConditionStalled, True: true, Reason: v1.ReasonInvalidTerms, Message: f.LadderErr.Error()})
	}
	if len(f.Registry) > 0 {
		abnormal = append(abnormal, Condition{Type: v1.StudentRegistryInconsistent, True: true, Reason: f.Registry[0].Reason, Message: joinRegistry(f.Registry)})
	}
	if f.Missing != "" {
		abnormal = append(abnormal, Condition{Type: v1.StudentUnassigned, True: true, Reason: v1.ReasonNoResponsibleParty, Message: f.Missing})
	}
	if len(reached) > 0 {
		abnormal = append(abnormal, atRiskCondition(f, reached[0]))
	}
	abnormal = append(abnormal, SupportConditions(f.OpenCase != "" || len(reached) > 0, f.Support)...)
	out = append(out, abnormal...)
	return append(out, readyCondition(f, abnormal))
}

// enrolledMessage is empty for a child in school and the verdict's explanation otherwise. The
// healthy conditions of a present child carry no message (their reasons say it all): they are in
// every Student of the county, and the size budget counts each byte twice (status and
// managedFields).
func enrolledMessage(a EnrolmentAssessment) string {
	if a.Standing == StandingInSchool {
		return ""
	}
	return a.Message
}

func attendingCondition(f StudentFacts, inSchool bool) Condition {
	days := f.Attendance.ConsecutiveUnexcusedDays
	switch {
	case !inSchool:
		return Condition{Type: v1.StudentAttending, Reason: f.Standing.Reason, Message: "不在校"}
	case days > 0:
		return Condition{Type: v1.StudentAttending, Reason: v1.ReasonUnexcusedAbsence,
			Message: fmt.Sprintf("自 %s 起连续旷课 %d 天", f.Attendance.AbsentSince, days)}
	case f.ClassSilentSince != "":
		// No roll call means no absence, not presence: a silent class's children are unknown.
		return Condition{Type: v1.StudentAttending, Unknown: true, Reason: v1.ReasonClassSilent,
			Message: fmt.Sprintf("自 %s 起班级未报考勤，出勤情况不明", f.ClassSilentSince)}
	}
	return Condition{Type: v1.StudentAttending, True: true, Reason: v1.ReasonPresent}
}

// atRiskCondition is AtRisk while the child reached a step before the case; the first step that
// fired says why.
func atRiskCondition(f StudentFacts, first ReachedStep) Condition {
	return Condition{Type: v1.StudentAtRisk, True: true, Reason: first.Reason,
		Message: fmt.Sprintf("%s（%s 起）；%d 天立案", first.Step.Name, FormatDate(first.On), f.Ladder.SchoolReportAfterDays)}
}

// readyCondition summarises: False with the first abnormal condition's reason, then an open case,
// then a child of school age out of school; True otherwise.
func readyCondition(f StudentFacts, abnormal []Condition) Condition {
	ready := Condition{Type: v1.ConditionReady}
	switch {
	case len(abnormal) > 0:
		ready.Reason, ready.Message = readyReason(abnormal[0]), abnormal[0].Message
	case f.OpenCase != "":
		ready.Reason, ready.Message = v1.ReasonCaseOpen, "案件 "+f.OpenCase
	case f.Standing.Standing == StandingOutOfSchool:
		ready.Reason, ready.Message = v1.ReasonOutOfSchool, f.Standing.Message
	default:
		ready.True, ready.Reason = true, v1.ReasonNothingDue
	}
	return ready
}

// readyReason is the reason Ready takes from an abnormal condition: AtRisk says AtRisk whatever
// rule fired (the rule is on the AtRisk condition), the others keep theirs.
func readyReason(c Condition) string {
	if c.Type == v1.StudentAtRisk {
		return v1.ReasonAtRisk
	}
	return c.Reason
}

func joinRegistry(problems []RegistryProblem) string {
	out := ""
	for i, p := range problems {
		if i > 0 {
			out += "；"
		}
		out += p.Message
	}
	return out
}
