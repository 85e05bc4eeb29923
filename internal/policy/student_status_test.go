package policy

import (
	"errors"
	"fmt"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

var inSchool = EnrolmentAssessment{Standing: StandingInSchool, Reason: "Enrolled", Message: "enrolled at school 5201210001"}

// TestStudentConditions covers every Student condition: which are present, their status and
// reason, and the reason Ready takes.
func TestStudentConditions(t *testing.T) {
	outOfSchool := EnrolmentAssessment{Standing: StandingOutOfSchool, Reason: "NotEnrolled", Message: "失学"}
	exempt := EnrolmentAssessment{Standing: StandingExempt, Reason: "Suspended", Message: "休学至 2027-01-31"}
	cases := []struct {
		name  string
		facts StudentFacts
		want  string // type=status/reason, in order
	}{
		{"present and healthy: three conditions", StudentFacts{Standing: inSchool, Attendance: attendance("PPP")},
			"Enrolled=True/Enrolled Attending=True/Present Ready=True/NothingDue"},
		{"one day away: at risk", StudentFacts{Standing: inSchool, Attendance: attendance("PPU")},
			"Enrolled=True/Enrolled Attending=False/UnexcusedAbsence AtRisk=True/UnexcusedAbsence Ready=False/AtRisk"},
		{"two days away: still at risk", StudentFacts{Standing: inSchool, Attendance: attendance("PUU")},
			"Enrolled=True/Enrolled Attending=False/UnexcusedAbsence AtRisk=True/UnexcusedAbsence Ready=False/AtRisk"},
		{"three days away, case open: no longer at risk", StudentFacts{Standing: inSchool, Attendance: attendance("UUU"), OpenCase: "stu-do-20261102"},
			"Enrolled=True/Enrolled Attending=False/UnexcusedAbsence Ready=False/CaseOpen"},
		{"sick leave is not absence", StudentFacts{Standing: inSchool, Attendance: attendance("PSS")},
			"Enrolled=True/Enrolled Attending=True/Present Ready=True/NothingDue"},
		{"out of school", StudentFacts{Standing: outOfSchool},
			"Enrolled=False/NotEnrolled Attending=False/NotEnrolled Ready=False/OutOfSchool"},
		{"exempt with evidence: nothing due", StudentFacts{Standing: exempt},
			"Enrolled=False/Suspended Attending=False/Suspended Ready=True/NothingDue"},
		{"no village agreement", StudentFacts{Standing: inSchool, Attendance: attendance("P"), Missing: "no village agreement for village 520121100201"},
			"Enrolled=True/Enrolled Attending=True/Present Unassigned=True/NoResponsibleParty Ready=False/NoResponsibleParty"},
		{"duplicate ID", StudentFacts{Standing: inSchool, Attendance: attendance("P"),
			Registry: []RegistryProblem{{v1.ReasonDuplicateRegistration, "与 b/x 身份证号相同"}}},
			"Enrolled=True/Enrolled Attending=True/Present RegistryInconsistent=True/DuplicateRegistration Ready=False/DuplicateRegistration"},
		{"invalid terms win over everything", StudentFacts{Standing: inSchool, Attendance: attendance("U"), LadderErr: errors.New("bad ladder"),
			Missing: "no class agreement", Registry: []RegistryProblem{{v1.ReasonNamedByAnotherClass, "在籍不在校"}}},
			"Enrolled=True/Enrolled Attending=False/UnexcusedAbsence Stalled=True/InvalidTerms RegistryInconsistent=True/NamedByAnotherClass " +
				"Unassigned=True/NoResponsibleParty AtRisk=True/UnexcusedAbsence Ready=False/InvalidTerms"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.facts.Ladder.Steps == nil {
				c.facts.Ladder = DefaultLadder
			}
			if got := render(EvaluateStudent(c.facts).Conditions); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

func render(conds []Condition) string {
	out := ""
	for i, c := range conds {
		if i > 0 {
			out += " "
		}
		out += fmt.Sprintf("%s=%s/%s", c.Type, map[bool]string{true: "True", false: "False"}[c.True], c.Reason)
	}
	return out
}
