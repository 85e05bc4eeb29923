package policy

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
	"testing"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

var (
	teacher   = v1.Assignee{Role: v1.RoleHomeroomTeacher, Name: "Teacher Li", Agreement: "ra-class"}
	cadre     = v1.Assignee{Role: v1.RoleVillageCadre, Name: "Cadre Hu", Agreement: "ra-village"}
	bothLines = v1.Assignees{Education: []v1.Assignee{teacher}, Government: []v1.Assignee{cadre}}
	eduOnly   = v1.Assignees{Education: []v1.Assignee{teacher}}
	govOnly   = v1.Assignees{Government: []v1.Assignee{cadre}}
)

// due is a state at a stage with an action due (overdue or not) on a line.
func due(stage v1.Stage, action v1.ActionType, line v1.Line, overdue bool) CaseState {
	d := MustDate("2026-11-05")
	return CaseState{Stage: stage, Reason: "UnexcusedAbsence", RequiredAction: action, RequiredLine: line, Deadline: &d, Overdue: overdue}
}

func closedAs(reason string) CaseState {
	return CaseState{Stage: v1.StageClosed, Reason: reason, ClosedReason: reason}
}

type caseConditionCase struct {
	name string
	view CaseView
	want string // type=status/reason, in order
}

// caseConditionCases cover every condition of a followed case and every reason it can take; the
// reasons test below checks that none declared is left out.
func caseConditionCases() []caseConditionCase {
	open := "Escalated=False/SchoolReported Resolved=False/Open"
	cases := []caseConditionCase{
		{"opened, both lines on it, nothing overdue", CaseView{State: due(v1.StageSchoolReported, v1.ActionPersuasionLetter, v1.LineEducation, false), Assignees: bothLines},
			"Assigned=True/Assigned Overdue=False/OnTime " + open + " Ready=True/OnTrack"},
		{"no village agreement: the default SchoolReported step asks the village cadre for a visit",
			CaseView{State: due(v1.StageSchoolReported, v1.ActionPersuasionLetter, v1.LineEducation, false), Assignees: eduOnly},
			"Assigned=False/NoGovernmentAssignee Overdue=False/OnTime " + open + " Ready=False/NoGovernmentAssignee"},
		{"no class or school agreement", CaseView{State: due(v1.StageSchoolReported, v1.ActionPersuasionLetter, v1.LineEducation, false), Assignees: govOnly},
			"Assigned=False/NoEducationAssignee Overdue=False/OnTime " + open + " Ready=False/NoEducationAssignee"},
		{"a child who never enrolled: the government line is enough", CaseView{Type: v1.CaseNotEnrolled,
			State: due(v1.StageTownshipReported, v1.ActionReturnNotice, v1.LineGovernment, false), Assignees: govOnly},
			"Assigned=True/Assigned Overdue=False/OnTime Escalated=True/TownshipReported Resolved=False/Open Ready=True/OnTrack"},
		{"overdue and nobody on the government line: the missing assignee first",
			CaseView{State: due(v1.StageSchoolReported, v1.ActionPersuasionLetter, v1.LineEducation, true), Assignees: eduOnly},
			"Assigned=False/NoGovernmentAssignee Overdue=True/PersuasionLetterMissing " + open + " Ready=False/NoGovernmentAssignee"},
		{"actions dated ahead", CaseView{State: due(v1.StageSchoolReported, v1.ActionPersuasionLetter, v1.LineEducation, false), Assignees: bothLines, DatedAhead: 2},
			"Assigned=True/Assigned Overdue=False/OnTime " + open + " FutureDate=True/ActionDatedAhead Ready=False/ActionDatedAhead"},
		{"overdue and dated ahead: the overdue action first", CaseView{State: due(v1.StageSchoolReported, v1.ActionHomeVisit, v1.LineGovernment, true), Assignees: bothLines, DatedAhead: 1},
			"Assigned=True/Assigned Overdue=True/HomeVisitMissing " + open + " FutureDate=True/ActionDatedAhead Ready=False/HomeVisitMissing"},
		{"returned, followed up", CaseView{State: CaseState{Stage: v1.StageReturned, Reason: "AttendingAgain"}, Assignees: eduOnly},
			"Assigned=True/Assigned Overdue=False/OnTime Escalated=False/Returned Resolved=False/Open Ready=True/OnTrack"},
	}
	// Every stage past the school's own work is Escalated, with the stage as the reason.
	for _, stage := range []v1.Stage{v1.StageTownshipReported, v1.StageReturnNoticeIssued, v1.StageLegalAction} {
		cases = append(cases, caseConditionCase{"escalated to " + string(stage), CaseView{State: CaseState{Stage: stage, Reason: "X"}, Assignees: bothLines},
			"Assigned=True/Assigned Overdue=False/OnTime Escalated=True/" + string(stage) + " Resolved=False/Open Ready=True/OnTrack"})
	}
	// An overdue case is not Ready, whichever action is missing: Ready names it.
	for action, reason := range v1.MissingReasons {
		cases = append(cases, caseConditionCase{"overdue: " + string(action), CaseView{State: due(v1.StageTownshipReported, action, v1.LineGovernment, true), Assignees: bothLines},
			"Assigned=True/Assigned Overdue=True/" + reason + " Escalated=True/TownshipReported Resolved=False/Open Ready=False/" + reason})
	}
	// Struck off: Resolved with the closure reason; nobody need be on the case any more.
	for _, reason := range []string{v1.ReasonReturned, v1.ReasonEnrolled, v1.ReasonClosedByDecision, v1.ReasonNotSchoolAge, "Transferred"} {
		cases = append(cases, caseConditionCase{"closed: " + reason, CaseView{State: closedAs(reason)},
			"Assigned=True/Closed Overdue=False/OnTime Escalated=False/Closed Resolved=True/" + reason + " Ready=True/Closed"})
	}
	return cases
}

func TestCaseConditions(t *testing.T) {
	for _, c := range caseConditionCases() {
		t.Run(c.name, func(t *testing.T) {
			c.view.Ladder = DefaultLadder
			if got := render(CaseConditions(c.view)); got != c.want {
				t.Errorf("got  %s\nwant %s", got, c.want)
			}
		})
	}
}

// TestOverdueCaseIsNeverReady: over every table row, Ready is False whenever Overdue is True.
func TestOverdueCaseIsNeverReady(t *testing.T) {
	for _, c := range caseConditionCases() {
		c.view.Ladder = DefaultLadder
		conds := CaseConditions(c.view)
		if find(conds, v1.CaseOverdue).True && find(conds, v1.ConditionReady).True {
			t.Errorf("%s: overdue and Ready", c.name)
		}
	}
}

// TestVillageOnlyNeededWhenTheStepsAskIt: a county whose SchoolReported step asks nothing of the
// government line does not need a village agreement before the township.
func TestVillageOnlyNeededWhenTheStepsAskIt(t *testing.T) {
	l := DefaultLadder
	l.Steps = nil
	for _, s := range DefaultSteps() {
		if s.Stage == v1.StageSchoolReported {
			s.Actions = s.Actions[:1] // the persuasion letter only
		}
		l.Steps = append(l.Steps, s)
	}
	v := CaseView{State: due(v1.StageSchoolReported, v1.ActionPersuasionLetter, v1.LineEducation, false), Assignees: eduOnly, Ladder: l}
	if c := find(CaseConditions(v), v1.CaseAssigned); !c.True {
		t.Errorf("Assigned %+v: want True without a government step at SchoolReported", c)
	}
}

func TestHeldCaseConditions(t *testing.T) {
	for _, reason := range []string{v1.ReasonNoStudent, v1.ReasonSecondOpenCase, v1.ReasonOpenedInFuture} {
		got := render(HeldCaseConditions(Conflict{Reason: reason, Message: "case x is already open"}))
		if want := "Conflict=True/" + reason + " Stalled=True/" + reason + " Ready=False/" + reason; got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func find(conds []Condition, typ string) Condition {
	for _, c := range conds {
		if c.Type == typ {
			return c
		}
	}
	return Condition{}
}

// TestEveryCaseAndAgreementReasonIsProduced reads the reasons api/v1alpha1/conditions.go declares
// for cases and agreements and fails on any that no table row produces: a reason nobody can get
// is either dead or untested.
func TestEveryCaseAndAgreementReasonIsProduced(t *testing.T) {
	produced := map[string]bool{}
	for _, c := range caseConditionCases() {
		c.view.Ladder = DefaultLadder
		for _, cond := range CaseConditions(c.view) {
			produced[cond.Reason] = true
		}
	}
	for _, reason := range []string{v1.ReasonNoStudent, v1.ReasonSecondOpenCase, v1.ReasonOpenedInFuture} {
		for _, cond := range HeldCaseConditions(Conflict{Reason: reason}) {
			produced[cond.Reason] = true
		}
	}
	for _, c := range agreementConditionCases() {
		for _, cond := range AgreementConditions(c.view) {
			produced[cond.Reason] = true
		}
	}
	declared := declaredReasons(t, "Reasons of a DropoutCase", "Reasons of a case's closure", "Reasons of a ResponsibilityAgreement")
	if len(declared) < 20 {
		t.Fatalf("found only %d declared reasons: %v", len(declared), declared)
	}
	for _, r := range declared {
		if !produced[r] {
			t.Errorf("reason %s is declared but no table row produces it", r)
		}
	}
}

// declaredReasons are the values of the constants in the const blocks of conditions.go whose doc
// comment starts with one of the prefixes.
func declaredReasons(t *testing.T, prefixes ...string) []string {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "../../api/v1alpha1/conditions.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST || g.Doc == nil || !hasAnyPrefix(g.Doc.Text(), prefixes) {
			continue
		}
		for _, spec := range g.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
