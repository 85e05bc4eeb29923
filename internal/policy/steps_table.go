package policy

import (
	"fmt"
	"strings"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// StepsTable renders a ladder's steps as the Markdown table docs/ladder.md shows for the default
// terms (TestLadderDocShowsTheDefaultSteps keeps the page and DefaultSteps in step).
func StepsTable(steps []v1.LadderStep) string {
	var b strings.Builder
	b.WriteString("| # | step | when | stage | actions (line: roles → action) | deadline | what the school plan says |\n")
	b.WriteString("| ---: | --- | --- | --- | --- | --- | --- |\n")
	for i, s := range steps {
		stage := "before a case (AtRisk)"
		if s.Stage != "" {
			stage = "`" + string(s.Stage) + "`"
		}
		fmt.Fprintf(&b, "| %d | `%s` | %s | %s | %s | %s | %s |\n", i+1, s.Name, triggerText(s.When), stage,
			actionsText(s.Actions), deadlineText(s.DeadlineDays), s.Description)
	}
	return b.String()
}

// triggerText says when a step is reached; several triggers on one step are alternatives.
func triggerText(t v1.StepTrigger) string {
	var any []string
	if t.LeftWithoutLeave != nil && *t.LeftWithoutLeave {
		any = append(any, "left school without leave (离校未请假), the same day")
	}
	if t.ConsecutiveDays != nil {
		any = append(any, fmt.Sprintf("%s in a row", plural(*t.ConsecutiveDays, "unexcused school day")))
	}
	if t.UnexcusedDays != nil && t.WithinSchoolDays != nil {
		any = append(any, fmt.Sprintf("%d unexcused days within %d school days", *t.UnexcusedDays, *t.WithinSchoolDays))
	}
	if t.AttendanceBelow != nil {
		min := int32(0)
		if t.MinimumSchoolDays != nil {
			min = *t.MinimumSchoolDays
		}
		any = append(any, fmt.Sprintf("term attendance below %s (after at least %d school days)", *t.AttendanceBelow, min))
	}
	if t.VisitsRecorded != nil {
		any = append(any, fmt.Sprintf("%s recorded, the child still away", plural(*t.VisitsRecorded, "home visit")))
	}
	if t.DeadlineMissed != nil && *t.DeadlineMissed {
		any = append(any, "the return notice's deadline passed")
	}
	return strings.Join(any, "; or ")
}

func actionsText(actions []v1.StepAction) string {
	parts := make([]string, 0, len(actions))
	for _, a := range actions {
		roles := make([]string, 0, len(a.Roles))
		for _, r := range a.Roles {
			roles = append(roles, string(r))
		}
		parts = append(parts, fmt.Sprintf("%s: %s → `%s`", a.Line, strings.Join(roles, ", "), a.Type))
	}
	return strings.Join(parts, "<br>")
}

func deadlineText(days *int32) string {
	switch {
	case days == nil:
		return "–"
	case *days == 0:
		return "the same day"
	default:
		return plural(*days, "day")
	}
}

func plural(n int32, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
