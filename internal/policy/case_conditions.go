package policy

import (
	"fmt"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/terms"
)

// CaseView is what a case's conditions depend on once the ladder has been walked.
type CaseView struct {
	Type      v1.CaseType
	State     CaseState
	Assignees v1.Assignees
	// Ladder is the case's ladder: whether the stage's steps ask the government line for anything.
	Ladder Ladder
	// DatedAhead counts the recorded actions dated after tomorrow (ActionsRecorded).
	DatedAhead int
}

// CaseConditions is the whole set of a followed case's conditions: Assigned, Overdue, Escalated
// and Resolved always, FutureDate only while True, then Ready, which is False with the reason of
// the first thing that needs a person: a line with nobody on it, the overdue action, actions
// dated ahead. Messages say codes, roles and dates, never a child's or a guardian's name.
func CaseConditions(v CaseView) []Condition {
	st := v.State
	assigned := caseAssigned(v)
	overdue := caseOverdue(v)
	out := []Condition{
		assigned,
		overdue,
		{Type: v1.CaseEscalated, True: Escalated(st.Stage), Reason: string(st.Stage),
			Message: "阶段 " + terms.Name(st.Stage) + "：" + st.Reason + " (stage " + string(st.Stage) + ": " + st.Reason + ")"},
		caseResolved(st),
	}
	var ahead *Condition
	if v.DatedAhead > 0 {
		ahead = &Condition{Type: v1.CaseFutureDate, True: true, Reason: v1.ReasonActionDatedAhead,
			Message: fmt.Sprintf("%d 条工作记录的日期晚于明天，到其日期前一天才计入，请核对日期 (%d recorded actions are dated after tomorrow and do not count until the day before their date: check their dates)", v.DatedAhead, v.DatedAhead)}
		out = append(out, *ahead)
	}
	return append(out, caseReady(st, assigned, overdue, ahead))
}

// needsGovernment reports whether the case's stage needs someone on the government line: past
// the school's own work, a child who never enrolled (the township's from the start), or an
// stage whose steps ask the government line for an action (the village cadre's visit at
// SchoolReported: "镇政府将把任务分解到疑似辍学学生相应的村委", 000).
func needsGovernment(v CaseView) bool {
	if Escalated(v.State.Stage) || v.Type == v1.CaseNotEnrolled {
		return true
	}
	actions, _ := stageActions(v.Ladder, v.State.Stage)
	for _, a := range actions {
		if a.Line == v1.LineGovernment {
			return true
		}
	}
	return false
}

func caseAssigned(v CaseView) Condition {
	c := Condition{Type: v1.CaseAssigned}
	a := v.Assignees
	switch {
	case v.State.Stage == v1.StageClosed:
		c.True, c.Reason, c.Message = true, v1.ReasonCaseClosed, "案件已销号 (the case is closed)"
	case len(a.Education) == 0 && !(v.Type == v1.CaseNotEnrolled && len(a.Government) > 0):
		c.Reason, c.Message = v1.ReasonNoEducationAssignee, "没有学校线责任书覆盖这个孩子 (no agreement on the education line covers the child)"
	case needsGovernment(v) && len(a.Government) == 0:
		c.Reason, c.Message = v1.ReasonNoGovernmentAssignee, "没有政府线责任书覆盖孩子所在的村 (no agreement on the government line covers the child's village)"
	default:
		c.True, c.Reason = true, v1.ReasonAssigned
		c.Message = fmt.Sprintf("已分派，阶段 %s (assigned at %s)", terms.Name(v.State.Stage), v.State.Stage)
	}
	return c
}

// caseOverdue names the action not recorded in time; an action type without a declared reason
// (a newer API than this policy) still says it is missing.
func caseOverdue(v CaseView) Condition {
	st := v.State
	if !st.Overdue {
		return Condition{Type: v1.CaseOverdue, Reason: v1.ReasonOnTime, Message: "没有逾期事项 (nothing overdue)"}
	}
	reason, ok := v1.MissingReasons[st.RequiredAction]
	if !ok {
		reason = string(st.RequiredAction) + "Missing"
	}
	return Condition{Type: v1.CaseOverdue, True: true, Reason: reason, Message: OverdueMessage(st, Owner(st, v.Assignees))}
}

func caseResolved(st CaseState) Condition {
	if st.Stage == v1.StageClosed {
		return Condition{Type: v1.CaseResolved, True: true, Reason: st.ClosedReason,
			Message: "已销号：" + st.ClosedReason + " (struck off the ledger: " + st.ClosedReason + ")"}
	}
	return Condition{Type: v1.CaseResolved, Reason: v1.ReasonOpen,
		Message: "在台账上，阶段 " + terms.Name(st.Stage) + " (on the ledger at " + string(st.Stage) + ")"}
}

// caseReady summarises: an overdue case is not Ready, and neither is one without somebody on a
// line it needs, or with actions whose dates cannot be right.
func caseReady(st CaseState, assigned, overdue Condition, ahead *Condition) Condition {
	ready := Condition{Type: v1.ConditionReady}
	switch {
	case !assigned.True:
		ready.Reason, ready.Message = assigned.Reason, assigned.Message
	case overdue.True:
		ready.Reason, ready.Message = overdue.Reason, overdue.Message
	case ahead != nil:
		ready.Reason, ready.Message = ahead.Reason, ahead.Message
	case st.Stage == v1.StageClosed:
		ready.True, ready.Reason, ready.Message = true, v1.ReasonCaseClosed, "已销号，无待办事项 (struck off, nothing due)"
	default:
		ready.True, ready.Reason, ready.Message = true, v1.ReasonOnTrack, "按阶梯办理中，没有逾期事项 (on the ladder, nothing overdue)"
	}
	return ready
}

// HeldCaseConditions is the whole condition set of a case held for breaking one case per child
// (一生一案): Conflict and Stalled True (a person must close or delete it), Ready False, all with
// the conflict's reason.
func HeldCaseConditions(c Conflict) []Condition {
	return []Condition{
		{Type: v1.CaseConflict, True: true, Reason: c.Reason, Message: c.Message},
		{Type: v1.ConditionStalled, True: true, Reason: c.Reason, Message: "不予跟进：违反一生一案 (held: breaks one case per child, 一生一案)"},
		{Type: v1.ConditionReady, Reason: c.Reason, Message: c.Message},
	}
}
