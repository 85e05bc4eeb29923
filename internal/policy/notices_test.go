package policy

import (
	"strings"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestVillageNotice: a case opening tells the village named by the government-line village
// agreement (000), with codes and roles, never a name; no notice on later evaluations or
// without a village agreement.
func TestVillageNotice(t *testing.T) {
	village := &v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: v1.LineGovernment,
		Responsible: v1.Party{Role: v1.RoleVillageCadre, Name: "Cadre Hu", Contact: "13900000000"},
		Scope:       v1.Scope{Township: "520121100", Village: "520121100201"}}}
	village.Name = "ra-village"
	township := &v1.ResponsibilityAgreement{Spec: v1.ResponsibilityAgreementSpec{Line: v1.LineGovernment,
		Responsible: v1.Party{Role: v1.RoleTownshipCadre, Name: "Cadre Chen"}, Scope: v1.Scope{Township: "520121100"}}}
	res := Resolution{Government: Chain{village, township}}
	st := CaseState{Stage: v1.StageSchoolReported}

	n := VillageNotice(true, "stu-dan-do-20261102", st, res, DefaultLadder)
	if n == nil || n.Regarding != village || n.Reason != v1.ReasonVillageInformed {
		t.Fatalf("notice %+v: want VillageInformed about the village agreement", n)
	}
	for _, want := range []string{"520121100201", "村干部 VillageCadre", "家访劝返 HomeVisit", "stu-dan-do-20261102"} {
		if !strings.Contains(n.Message, want) {
			t.Errorf("message %q lacks %q", n.Message, want)
		}
	}
	for _, personal := range []string{"Cadre Hu", "13900000000", "Cadre Chen"} {
		if strings.Contains(n.Message, personal) {
			t.Errorf("message %q names %q", n.Message, personal)
		}
	}
	if n := VillageNotice(false, "c", st, res, DefaultLadder); n != nil {
		t.Errorf("a later evaluation informs again: %+v", n)
	}
	if n := VillageNotice(true, "c", st, Resolution{Government: Chain{township}}, DefaultLadder); n != nil {
		t.Errorf("no village agreement, yet a notice: %+v", n)
	}
	if n := VillageNotice(true, "c", CaseState{Stage: v1.StageClosed}, res, DefaultLadder); n != nil {
		t.Errorf("a case closed at its first evaluation informs: %+v", n)
	}
}
