package policy

import (
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func TestCaseConflict(t *testing.T) {
	yes := true
	today := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	s := &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: "stu-a", UID: "uid-a"}}
	owned := metav1.OwnerReference{APIVersion: "kongchuo.io/v1alpha1", Kind: "Student", Name: "stu-a", UID: "uid-a", Controller: &yes}
	mk := func(name, opened string, owners ...metav1.OwnerReference) *v1.DropoutCase {
		return &v1.DropoutCase{ObjectMeta: metav1.ObjectMeta{Name: name, OwnerReferences: owners},
			Spec: v1.DropoutCaseSpec{Student: "stu-a", Type: v1.CaseDroppedOut, Opened: v1.Date(opened)}}
	}
	managers := mk("stu-a-do-20261102", "2026-11-02", owned)
	closed := mk("stu-a-do-20260302", "2026-03-02", owned)
	closed.Status.Stage = v1.StageClosed
	cases := []struct {
		name   string
		dc     *v1.DropoutCase
		s      *v1.Student
		others []*v1.DropoutCase
		want   string
	}{
		{"the manager's case", managers, s, []*v1.DropoutCase{managers, mk("by-hand", "2026-10-01")}, ""},
		{"the manager's case opened ahead of a slow clock", mk("stu-a-do-20261130", "2026-11-30", owned), s, nil, ""},
		{"a hand-made second case", mk("by-hand", "2026-11-03"), s, []*v1.DropoutCase{managers}, ConflictSecondOpenCase},
		{"an earlier hand-made case beside the manager's", mk("by-hand", "2026-10-01"), s, []*v1.DropoutCase{managers}, ConflictSecondOpenCase},
		{"a case named like the manager's but not owned", mk("stu-a-do-20261102", "2026-11-02"), s, []*v1.DropoutCase{mk("older", "2026-11-01")}, ConflictSecondOpenCase},
		{"the later of two hand-made cases", mk("b", "2026-11-05"), s, []*v1.DropoutCase{mk("a", "2026-11-04")}, ConflictSecondOpenCase},
		{"the earlier of two hand-made cases", mk("a", "2026-11-04"), s, []*v1.DropoutCase{mk("b", "2026-11-05")}, ""},
		{"a restored case beside a closed one", mk("restored", "2026-11-04"), s, []*v1.DropoutCase{closed}, ""},
		{"a case opened in 2030", mk("by-hand", "2030-01-01"), s, nil, ConflictOpenedAhead},
		{"a case opened tomorrow", mk("by-hand", "2026-11-11"), s, nil, ""},
		{"a case for no Student", mk("by-hand", "2026-11-04"), nil, nil, ConflictNoStudent},
	}
	for _, c := range cases {
		got := ""
		if conflict := CaseConflict(c.dc, c.s, c.others, today); conflict != nil {
			got = conflict.Reason
		}
		if got != c.want {
			t.Errorf("%s: conflict %q, want %q", c.name, got, c.want)
		}
	}
}

func TestActionsRecorded(t *testing.T) {
	today := time.Date(2026, 11, 10, 0, 0, 0, 0, time.UTC)
	acts := []v1.CaseAction{{Date: "2026-11-09"}, {Date: "2026-11-11"}, {Date: "2027-11-10"}, {Date: "2026-11-20"}}
	counted, ahead, from := ActionsRecorded(acts, today)
	if len(counted) != 2 || ahead != 2 || from == nil || FormatDate(*from) != "2026-11-19" {
		t.Errorf("counted %v, ahead %d, counts from %v", counted, ahead, from)
	}
	if _, ahead, from := ActionsRecorded(acts[:2], today); ahead != 0 || from != nil {
		t.Errorf("nothing ahead: %d, %v", ahead, from)
	}
}
