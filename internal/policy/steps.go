package policy

import (
	"fmt"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// DefaultSteps is the school plan of 002 as data: a day away, the homeroom teacher calls home and
// visits; two days, the homeroom teacher visits with the prevention group; three days, the school
// office is told (报教导处备案), the principal and the homeroom teacher visit, a persuasion letter
// goes out and the village cadre joins ("争取村委干部支持"; 000: "至少配合班主任家访1次"); three
// recorded visits or ten days, the dropout report and the township's return notice; the notice's
// deadline missed, legal action. A child who leaves without leave is followed up the same day
// ("半小时内和家长取得联系"). docs/ladder.md renders this table (make ladder-doc).
func DefaultSteps() []v1.LadderStep {
	return []v1.LadderStep{
		{Name: "left-without-leave", Description: "不经请假外出：班主任半小时内和家长取得联系，报告教导处",
			When:         v1.StepTrigger{LeftWithoutLeave: ptr(true)},
			Actions:      []v1.StepAction{{Type: v1.ActionPhoneCall, Line: v1.LineEducation, Roles: roles(v1.RoleHomeroomTeacher)}},
			DeadlineDays: ptr[int32](0)},
		{Name: "contact-guardian", Description: "一天不回校：班主任联系家长并家访",
			When: v1.StepTrigger{ConsecutiveDays: ptr[int32](1)},
			Actions: []v1.StepAction{
				{Type: v1.ActionPhoneCall, Line: v1.LineEducation, Roles: roles(v1.RoleHomeroomTeacher)},
				{Type: v1.ActionHomeVisit, Line: v1.LineEducation, Roles: roles(v1.RoleHomeroomTeacher)},
			},
			DeadlineDays: ptr[int32](1)},
		{Name: "group-visit", Description: "两天不回校：班主任与防流控辍小组一同家访",
			When:         v1.StepTrigger{ConsecutiveDays: ptr[int32](2)},
			Actions:      []v1.StepAction{{Type: v1.ActionHomeVisit, Line: v1.LineEducation, Roles: roles(v1.RoleHomeroomTeacher, v1.RoleGradeLeader)}},
			DeadlineDays: ptr[int32](1)},
		{Name: "school-report", Description: "三天不回校：上报教导处备案，校长、班主任一同家访，发劝学书；村委干部配合家访",
			When: v1.StepTrigger{ConsecutiveDays: ptr[int32](3)}, Stage: v1.StageSchoolReported,
			Actions: []v1.StepAction{
				{Type: v1.ActionPersuasionLetter, Line: v1.LineEducation, Roles: roles(v1.RolePrincipal, v1.RoleHomeroomTeacher)},
				{Type: v1.ActionHomeVisit, Line: v1.LineGovernment, Roles: roles(v1.RoleVillageCadre)},
			},
			DeadlineDays: ptr[int32](3)},
		{Name: "township-report", Description: "家访三次仍未返校或缺课十天：学校向乡镇和中心校报送辍学报告书，乡镇下发复学通知书",
			When: v1.StepTrigger{ConsecutiveDays: ptr[int32](10), VisitsRecorded: ptr[int32](3)}, Stage: v1.StageTownshipReported,
			Actions: []v1.StepAction{
				{Type: v1.ActionDropoutReport, Line: v1.LineEducation, Roles: roles(v1.RolePrincipal)},
				{Type: v1.ActionReturnNotice, Line: v1.LineGovernment, Roles: roles(v1.RoleTownshipCadre)},
			},
			DeadlineDays: ptr[int32](3)},
		{Name: "legal-action", Description: "复学通知书期限已过仍未返校：依法控辍（行政处罚或诉讼）",
			When: v1.StepTrigger{DeadlineMissed: ptr(true)}, Stage: v1.StageLegalAction,
			Actions:      []v1.StepAction{{Type: v1.ActionLegalReferral, Line: v1.LineGovernment, Roles: roles(v1.RoleTownshipCadre, v1.RoleCountyGovernment)}},
			DeadlineDays: ptr[int32](3)},
	}
}

func ptr[T any](v T) *T { return &v }

func roles(r ...v1.Role) []v1.Role { return r }

// stepsWithDays applies the ladder's day counts (the Escalation fields, set or default) to the
// steps they name, so that agreements written before steps existed keep working, and a county
// that only says "5 days, then 2 weeks" changes the default steps' counts.
func stepsWithDays(steps []v1.LadderStep, e v1.Escalation) []v1.LadderStep {
	out := make([]v1.LadderStep, len(steps))
	for i := range steps {
		out[i] = *steps[i].DeepCopy()
	}
	if s := firstBeforeCase(out); s != nil && e.AtRiskAfterDays != nil {
		s.When.ConsecutiveDays = ptr(*e.AtRiskAfterDays)
	}
	if s := stepAt(out, v1.StageSchoolReported); s != nil && e.SchoolReportAfterDays != nil {
		s.When.ConsecutiveDays = ptr(*e.SchoolReportAfterDays)
	}
	if s := stepAt(out, v1.StageTownshipReported); s != nil {
		override(&s.When.ConsecutiveDays, e.TownshipReportAfterDays)
		override(&s.When.VisitsRecorded, e.RequiredVisits)
	}
	for i := range out {
		if out[i].Stage != "" {
			override(&out[i].DeadlineDays, e.ActionDeadlineDays)
		}
	}
	return out
}

// firstBeforeCase is the first step before the case counted in consecutive days: the at-risk step.
func firstBeforeCase(steps []v1.LadderStep) *v1.LadderStep {
	for i := range steps {
		if steps[i].Stage == "" && steps[i].When.ConsecutiveDays != nil {
			return &steps[i]
		}
	}
	return nil
}

func stepAt(steps []v1.LadderStep, stage v1.Stage) *v1.LadderStep {
	for i := range steps {
		if steps[i].Stage == stage {
			return &steps[i]
		}
	}
	return nil
}

// deriveCounts reads the numbers the case engine counts with from the steps: the first step
// before the case, the SchoolReported step (which opens the case), the TownshipReported step
// (days or visits) and the deadline of the stage steps. A ladder without a SchoolReported and a
// TownshipReported step counted in consecutive days is not a ladder.
func deriveCounts(l *Ladder) error {
	school, township := stepAt(l.Steps, v1.StageSchoolReported), stepAt(l.Steps, v1.StageTownshipReported)
	if school == nil || school.When.ConsecutiveDays == nil || township == nil || township.When.ConsecutiveDays == nil {
		return fmt.Errorf("the ladder needs a SchoolReported and a TownshipReported step counted in consecutiveDays")
	}
	l.SchoolReportAfterDays, l.TownshipReportAfterDays = *school.When.ConsecutiveDays, *township.When.ConsecutiveDays
	l.AtRiskAfterDays = l.SchoolReportAfterDays
	if s := firstBeforeCase(l.Steps); s != nil {
		l.AtRiskAfterDays = *s.When.ConsecutiveDays
	}
	if v := township.When.VisitsRecorded; v != nil {
		l.RequiredVisits = *v
	}
	if d := school.DeadlineDays; d != nil {
		l.ActionDeadlineDays = *d
	}
	return nil
}

// stageActions are the actions the steps of a stage require, in order, with the step's deadline.
func stageActions(l Ladder, stage v1.Stage) ([]v1.StepAction, int32) {
	var out []v1.StepAction
	deadline := l.ActionDeadlineDays
	for _, s := range l.Steps {
		if s.Stage == stage {
			out = append(out, s.Actions...)
			if s.DeadlineDays != nil {
				deadline = *s.DeadlineDays
			}
		}
	}
	return out, deadline
}

// typesOnBothLines are the action types the steps ask of more than one line.
func typesOnBothLines(steps []v1.LadderStep) map[v1.ActionType]bool {
	lines := map[v1.ActionType]map[v1.Line]bool{}
	for _, s := range steps {
		for _, a := range s.Actions {
			if lines[a.Type] == nil {
				lines[a.Type] = map[v1.Line]bool{}
			}
			lines[a.Type][a.Line] = true
		}
	}
	out := map[v1.ActionType]bool{}
	for t, l := range lines {
		out[t] = len(l) > 1
	}
	return out
}
