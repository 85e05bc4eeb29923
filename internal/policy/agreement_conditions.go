package policy

import (
	"fmt"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/terms"
)

// AgreementView is what an agreement's conditions depend on.
type AgreementView struct {
	Agreement   *v1.ResponsibilityAgreement
	Today       time.Time
	Measurement Measurement
	// Conflicts names the other active agreements claiming the same line and scope.
	Conflicts []string
	// Pending counts the children in scope whose status does not describe their spec yet.
	Pending int32
}

// AgreementConditions is the whole set of an agreement's conditions: Active, TargetsMet,
// Conflict, then Ready. Ready is False while the agreement conflicts with another (only one of
// them names the responsible party), and while its figures count children whose status is not
// final; targets missed and an agreement out of force are the county's work and the calendar,
// shown by their own conditions, not a fault of the object.
func AgreementConditions(v AgreementView) []Condition {
	conflict := agreementConflict(v)
	ready := Condition{Type: v1.ConditionReady}
	switch {
	case conflict.True:
		ready.Reason, ready.Message = conflict.Reason, conflict.Message
	case v.Pending > 0:
		ready.Reason = v1.ReasonFiguresPending
		ready.Message = fmt.Sprintf("范围内 %d 名学生的状态尚未更新，覆盖人数和各项比率还不是最终数字 (%d children in scope are not reconciled yet: the figures are not final)", v.Pending, v.Pending)
	default:
		ready.True, ready.Reason, ready.Message = true, v1.ReasonMeasured, "覆盖人数和各项比率为最新 (coverage and rates are current)"
	}
	return []Condition{agreementActive(v), agreementTargets(v.Measurement), conflict, ready}
}

func agreementActive(v AgreementView) Condition {
	eff := v.Agreement.Spec.Effective
	switch {
	case IsActive(v.Agreement, v.Today):
		return Condition{Type: v1.AgreementActive, True: true, Reason: v1.ReasonInEffect,
			Message: fmt.Sprintf("自 %s 起生效 (in effect since %s)", eff.From, eff.From)}
	case string(FormatDate(v.Today)) < string(eff.From):
		return Condition{Type: v1.AgreementActive, Reason: v1.ReasonNotYetInEffect,
			Message: fmt.Sprintf("自 %s 起生效，尚未生效 (in effect from %s)", eff.From, eff.From)}
	}
	return Condition{Type: v1.AgreementActive, Reason: v1.ReasonExpired,
		Message: fmt.Sprintf("已于 %s 到期 (ended on %s)", eff.Until, eff.Until)}
}

func agreementTargets(m Measurement) Condition {
	if m.TargetsMet {
		return Condition{Type: v1.AgreementTargetsMet, True: true, Reason: v1.ReasonTargetsMet,
			Message: "各项目标均已达到 (every target of the terms is met)"}
	}
	return Condition{Type: v1.AgreementTargetsMet, Reason: v1.ReasonTargetsMissed, Message: strings.Join(m.Unmet, "; ")}
}

func agreementConflict(v AgreementView) Condition {
	if len(v.Conflicts) == 0 {
		return Condition{Type: v1.AgreementConflict, Reason: v1.ReasonNoConflict,
			Message: "没有其他生效的责任书声明同一范围 (no other active agreement claims this scope)"}
	}
	line, others := v.Agreement.Spec.Line, strings.Join(v.Conflicts, ", ")
	zh, _ := terms.Chinese(string(line))
	return Condition{Type: v1.AgreementConflict, True: true, Reason: v1.ReasonSameScope,
		Message: fmt.Sprintf("与 %s 在%s上声明同一范围，以生效最晚者（其次按名称）为准，请在 Git 中修正 "+
			"(claims the same scope on the %s line as %s; the one in effect latest (then first by name) names the responsible party)",
			others, zh, line, others)}
}
