package policy

import (
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// The overdue message is read by county staff: Chinese first, then the English the tools and
// the English docs match.
func TestOverdueMessageIsChineseFirst(t *testing.T) {
	due := MustDate("2026-11-16")
	st := CaseState{RequiredAction: v1.ActionReturnNotice, RequiredLine: v1.LineGovernment, Deadline: &due}
	got := OverdueMessage(st, &v1.Assignee{Role: v1.RoleVillageCadre, Name: "杜德凤"})
	want := "复学通知书 ReturnNotice应于 2026-11-16 前由政府线 Government（村干部 VillageCadre）办理，尚未记录。" +
		"the return-to-school notice (复学通知书) was due by 2026-11-16 from the Government line (VillageCadre) and is not recorded"
	if got != want {
		t.Errorf("OverdueMessage =\n%s\nwant\n%s", got, want)
	}
	if got := OverdueMessage(st, nil); got != "复学通知书 ReturnNotice应于 2026-11-16 前由政府线 Government办理，尚未记录。"+
		"the return-to-school notice (复学通知书) was due by 2026-11-16 from the Government line and is not recorded" {
		t.Errorf("without owner: %s", got)
	}
}
