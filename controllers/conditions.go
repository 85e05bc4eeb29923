package controllers

import (
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"kongchuo.io/kongchuo/internal/policy"
)

// setCondition records a condition; its transition time moves only when its status changes.
func setCondition(conds *[]metav1.Condition, generation int64, now time.Time, typ string, status bool, reason, message string) {
	s := metav1.ConditionFalse
	if status {
		s = metav1.ConditionTrue
	}
	meta.SetStatusCondition(conds, metav1.Condition{
		Type: typ, Status: s, Reason: reason, Message: message,
		ObservedGeneration: generation, LastTransitionTime: metav1.NewTime(now.Truncate(time.Second)),
	})
}

// applyConditions makes conds exactly the conditions policy decided, in its order: conditions it
// no longer lists (an abnormal one that is over, or a type the API dropped) go. A condition keeps
// its transition time while its status stays. No observedGeneration per condition: the status's
// own observedGeneration says it once (a Student's size budget, docs/scaling.md).
func applyConditions(conds *[]metav1.Condition, now time.Time, want []policy.Condition) {
	out := make([]metav1.Condition, 0, len(want))
	for _, w := range want {
		c := metav1.Condition{Type: w.Type, Status: metav1.ConditionFalse, Reason: w.Reason, Message: w.Message,
			LastTransitionTime: metav1.NewTime(now.Truncate(time.Second))}
		switch {
		case w.Unknown:
			c.Status = metav1.ConditionUnknown
		case w.True:
			c.Status = metav1.ConditionTrue
		}
		if old := meta.FindStatusCondition(*conds, w.Type); old != nil && old.Status == c.Status {
			c.LastTransitionTime = old.LastTransitionTime
		}
		out = append(out, c)
	}
	*conds = out
}
