package policy

import (
	"fmt"
	"strings"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/terms"
)

// Notice is an Event policy decides: about an object, with a typed reason and a message of codes
// and roles only (no child's, guardian's or staff member's name).
type Notice struct {
	Regarding *v1.ResponsibilityAgreement
	Reason    string
	Message   string
}

// VillageNotice tells the village that a case opened on a child of its village: the township
// hands the task to the village committee ("镇政府将把任务分解到疑似辍学学生相应的村委", 000), and
// the village cadre is to join the visits ("至少配合班主任家访1次"). opening is true for the case's
// first status; the notice goes to the government-line agreement at village level, nil when
// there is none (the case's Assigned condition says so) or the case is not opening.
func VillageNotice(opening bool, caseName string, st CaseState, res Resolution, l Ladder) *Notice {
	village := res.Government.AtLevel(LevelVillage)
	if !opening || village == nil || !Open(st.Stage) {
		return nil
	}
	zh, en := governmentAsks(l, st.Stage)
	role := village.Spec.Responsible.Role
	code := village.Spec.Scope.Village
	return &Notice{Regarding: village, Reason: v1.ReasonVillageInformed,
		Message: fmt.Sprintf("村 %s 已知悉：案件 %s 立案，阶段 %s，%s在案；%s (village %s informed: case %s opened at %s, %s on the case; %s)",
			code, caseName, terms.Name(st.Stage), terms.Name(role), zh, code, caseName, st.Stage, role, en)}
}

// governmentAsks says what the steps of a stage ask of the government line, in Chinese and in
// English.
func governmentAsks(l Ladder, stage v1.Stage) (string, string) {
	actions, days := stageActions(l, stage)
	var zh, en []string
	for _, a := range actions {
		if a.Line != v1.LineGovernment {
			continue
		}
		roles := make([]string, 0, len(a.Roles))
		for _, r := range a.Roles {
			roles = append(roles, terms.Name(r))
		}
		zh = append(zh, strings.Join(roles, "、")+"："+terms.Name(a.Type))
		en = append(en, fmt.Sprintf("%s by %v", a.Type, a.Roles))
	}
	if len(zh) == 0 {
		return "本阶段不需政府线办理事项", "nothing asked of the government line at this stage"
	}
	return fmt.Sprintf("须在 %d 天内办理 %s", days, strings.Join(zh, "；")),
		fmt.Sprintf("within %d days: %s", days, strings.Join(en, "; "))
}
