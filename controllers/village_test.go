package controllers_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	eventsv1 "k8s.io/api/events/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// TestVillageCadreOnTheCaseAtOpening (issue 15, 3): "镇政府将把任务分解到疑似辍学学生相应的村委"
// (000). When the case opens, the village cadre of the government-line village agreement is an
// assignee in the case's first status (no change of hands recorded later), and a VillageInformed
// Event about the village agreement, related to the case, tells the village, with codes and
// roles only.
func TestVillageCadreOnTheCaseAtOpening(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, student(ns, "stu-vic", 3, village))
	days := schoolDays("2026-11-02", 3)
	for i, d := range days {
		setToday(d)
		rollCall(t, ns, 3, d, "stu-vic")
		want := int32(i + 1)
		waitStudent(t, ns, "stu-vic", fmt.Sprintf("day %d counted", want), func(s *v1.Student) error {
			if got := s.Status.Attendance.ConsecutiveUnexcusedDays; got != want {
				return fmt.Errorf("%d days, want %d", got, want)
			}
			return nil
		})
	}
	name := "stu-vic-do-20261102"
	dc := waitCase(t, ns, name, "the case opened", atStage(v1.StageSchoolReported))
	if len(dc.Status.History) != 1 || len(dc.Status.AssigneeHistory) != 0 {
		t.Errorf("history %+v, assignee history %+v: want the first status, nobody joining later", dc.Status.History, dc.Status.AssigneeHistory)
	}
	if g := dc.Status.Assignees.Government; len(g) == 0 || g[0].Role != v1.RoleVillageCadre || g[0].Agreement != "village" {
		t.Errorf("government assignees %+v: want the village cadre of agreement village", g)
	}
	eventually(t, "a VillageInformed event about the village agreement", func() error {
		var evs eventsv1.EventList
		if err := k8s.List(context.Background(), &evs, client.InNamespace(ns)); err != nil {
			return err
		}
		for _, e := range evs.Items {
			if e.Reason != v1.ReasonVillageInformed {
				continue
			}
			if e.Regarding.Name != "village" || e.Regarding.Kind != "ResponsibilityAgreement" || e.Related == nil || e.Related.Name != name {
				return fmt.Errorf("event regarding %+v related %+v", e.Regarding, e.Related)
			}
			if strings.Contains(e.Note, "Cadre Hu") || !strings.Contains(e.Note, string(village)) {
				return fmt.Errorf("note %q: want the village code and no name", e.Note)
			}
			return nil
		}
		return fmt.Errorf("no VillageInformed among %d events", len(evs.Items))
	})
}
