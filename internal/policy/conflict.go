package policy

import (
	"fmt"
	"k8s.io/apimachinery/pkg/api/meta"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Reasons a case breaks one case per child (一生一案) and is held, not followed.
const (
	ConflictNoStudent      = v1.ReasonNoStudent
	ConflictSecondOpenCase = v1.ReasonSecondOpenCase
	ConflictOpenedAhead    = v1.ReasonOpenedInFuture
)

// Conflict says why a case must not be followed.
type Conflict struct {
	Reason  string
	Message string
}

// OpenedByManager reports whether the manager opened the case: the Student controls it and its
// name is the one the manager derives from the child and the episode (CaseName).
func OpenedByManager(dc *v1.DropoutCase, s *v1.Student) bool {
	opened, err := ParseDate(dc.Spec.Opened)
	return err == nil && metav1.IsControlledBy(dc, s) && dc.Name == CaseName(s.Name, dc.Spec.Type, opened)
}

// CaseConflict says why a case breaks 一生一案, or returns nil. s is the case's Student, nil when
// there is none; others are the child's other cases.
//
// A case the manager opened is the child's case. Any other case (made by hand before the API
// refused that, or restored from a backup) is followed only when it opens by tomorrow and no case
// of the manager's, and no earlier such case, is open for the child; otherwise it is held with a
// Conflict, never adopted. A case whose child does not exist is held too. Messages name cases,
// never children.
func CaseConflict(dc *v1.DropoutCase, s *v1.Student, others []*v1.DropoutCase, today time.Time) *Conflict {
	if s == nil {
		return &Conflict{ConflictNoStudent, "no Student " + dc.Spec.Student + " in this namespace: the case is not followed; delete it, or create the Student"}
	}
	if OpenedByManager(dc, s) {
		return nil
	}
	if opened, err := ParseDate(dc.Spec.Opened); err == nil && opened.After(AddDays(today, 1)) {
		return &Conflict{ConflictOpenedAhead, fmt.Sprintf("opened %s is after tomorrow: the case is not followed; delete it, or wait for the manager to open the child's case", dc.Spec.Opened)}
	}
	for _, other := range others {
		if other.Name == dc.Name || !Open(other.Status.Stage) {
			continue
		}
		if OpenedByManager(other, s) || precedes(other, dc) {
			return &Conflict{ConflictSecondOpenCase, "case " + other.Name + " is already open for this child (一生一案): this case is not followed; close it with a reason or delete it"}
		}
	}
	return nil
}

// precedes orders cases by opening day, then name.
func precedes(a, b *v1.DropoutCase) bool {
	if a.Spec.Opened != b.Spec.Opened {
		return a.Spec.Opened < b.Spec.Opened
	}
	return a.Name < b.Name
}

// ActionsRecorded splits a case's actions into those that count today and those dated after
// tomorrow, which the API cannot refuse (a CEL rule has no clock, and actions arrive by update):
// they count from the day before their date, and countsFrom is the first such day, or nil.
func ActionsRecorded(actions []v1.CaseAction, today time.Time) (counted []v1.CaseAction, ahead int, countsFrom *time.Time) {
	last := FormatDate(AddDays(today, 1))
	for _, a := range actions {
		if a.Date <= last {
			counted = append(counted, a)
			continue
		}
		ahead++
		if d, err := ParseDate(a.Date); err == nil {
			if from := AddDays(d, -1); countsFrom == nil || from.Before(*countsFrom) {
				countsFrom = &from
			}
		}
	}
	return counted, ahead, countsFrom
}

// Held reports whether a case is held in Conflict: it breaks 一生一案, so it is neither followed
// nor counted in a ledger or a rate.
func Held(dc *v1.DropoutCase) bool {
	return meta.IsStatusConditionTrue(dc.Status.Conditions, v1.CaseConflict)
}
