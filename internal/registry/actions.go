package registry

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Actions CSV column names.
const (
	ColActStudentID = "student_id"
	ColActAction    = "action"
	ColActDate      = "date"
	ColActBy        = "by"
	ColActLine      = "line"
	ColActOutcome   = "outcome"
	ColActDeadline  = "deadline"
	ColActNote      = "note"
)

// ActionColumns are the columns of an actions file (kubectl kongchuo record-file).
var ActionColumns = []Column{
	{ColActStudentID, true, "the child's resident ID or national student number (or Student object name)"},
	{ColActAction, true, "PhoneCall, HomeVisit, PersuasionLetter, DropoutReport, ReturnNotice, LegalReferral or SupportGranted"},
	{ColActDate, true, "YYYY-MM-DD: when the action took place"},
	{ColActBy, true, "role or name of whoever acted"},
	{ColActLine, true, "Education or Government"},
	{ColActOutcome, false, "NoContact, Contacted, Refused, Promised or Returned"},
	{ColActDeadline, false, "YYYY-MM-DD after date: the deadline a ReturnNotice gives; without one, the returnNoticeDays of the child's agreements (default 15)"},
	{ColActNote, false, "at most 512 characters, no ID or phone numbers"},
}

// ActionTypes are the kinds of action that can be recorded on a case.
var ActionTypes = []v1.ActionType{
	v1.ActionPhoneCall, v1.ActionHomeVisit, v1.ActionPersuasionLetter, v1.ActionDropoutReport,
	v1.ActionReturnNotice, v1.ActionLegalReferral, v1.ActionSupportGranted,
}

// Outcomes of an action.
var Outcomes = []v1.Outcome{"NoContact", "Contacted", "Refused", "Promised", "Returned"}

// Lines of responsibility.
var Lines = []v1.Line{v1.LineEducation, v1.LineGovernment}

// ParseActionType matches an action type case-insensitively.
func ParseActionType(s string) (v1.ActionType, bool) { return matchEnum(s, ActionTypes) }

// ParseOutcome matches an outcome case-insensitively.
func ParseOutcome(s string) (v1.Outcome, bool) { return matchEnum(s, Outcomes) }

// ParseLine matches a line case-insensitively.
func ParseLine(s string) (v1.Line, bool) { return matchEnum(s, Lines) }

// ActionProblems checks an action as the API will, and that its note carries no personal data.
func ActionProblems(a v1.CaseAction) []string {
	var p []string
	if _, ok := matchEnum(string(a.Type), ActionTypes); !ok {
		p = append(p, "action: must be one of "+joinEnum(ActionTypes))
	}
	if a.Date == "" {
		p = append(p, "date: required")
	} else if d := dateProblem(string(a.Date)); d != "" {
		p = append(p, "date: "+d)
	}
	switch n := utf8.RuneCountInString(a.By); {
	case n == 0:
		p = append(p, "by: required (the role or name of whoever acted)")
	case n > 64:
		p = append(p, "by: at most 64 characters")
	}
	if t := TextProblem(a.By); t != "" {
		p = append(p, "by: "+t)
	}
	if _, ok := matchEnum(string(a.Line), Lines); !ok {
		p = append(p, "line: must be Education or Government")
	}
	if a.Outcome != "" {
		if _, ok := matchEnum(string(a.Outcome), Outcomes); !ok {
			p = append(p, "outcome: must be one of "+joinEnum(Outcomes))
		}
	}
	// As the API has it: a deadline comes after the action; a return notice without one gives
	// the returnNoticeDays of the applicable terms.
	if a.Deadline != "" {
		if d := dateProblem(string(a.Deadline)); d != "" {
			p = append(p, "deadline: "+d)
		} else if a.Date != "" && a.Deadline <= a.Date {
			p = append(p, "deadline: must come after the date of the action")
		}
	}
	if n := NoteProblem(a.Note, 512); n != "" {
		p = append(p, "note: "+n)
	}
	return p
}

// ClosureProblems checks a closure as the API will.
func ClosureProblems(c v1.Closure) []string {
	var p []string
	switch n := utf8.RuneCountInString(c.By); {
	case n == 0:
		p = append(p, "by: required (the authorised person or role closing the case)")
	case n > 64:
		p = append(p, "by: at most 64 characters")
	}
	switch n := utf8.RuneCountInString(c.Reason); {
	case n < 5:
		p = append(p, "reason: at least 5 characters")
	case n > 512:
		p = append(p, "reason: at most 512 characters")
	}
	if t := TextProblem(c.By); t != "" {
		p = append(p, "by: "+t)
	}
	if t := TextProblem(c.Reason); t != "" {
		p = append(p, "reason: "+t)
	}
	if personalDataInText.MatchString(c.Reason) {
		p = append(p, "reason: seems to contain an ID or phone number; do not write personal data here")
	}
	if d := dateProblem(string(c.Date)); d != "" {
		p = append(p, "date: "+d)
	}
	return p
}

// ActionRow is one line of an actions file.
type ActionRow struct {
	Line int
	// StudentID is the canonical resident ID or student number, or a Student object name.
	StudentID string
	Action    v1.CaseAction
}

// ActionsFile is a parsed actions file.
type ActionsFile struct {
	// Rows that passed the checks, in file order.
	Rows []ActionRow
	// Errors of the rows that did not.
	Errors []RowError
	// Warnings about the file: columns ignored.
	Warnings []RowError
}

// actionAliases are the Chinese names of actions, lines and outcomes in action files.
var actionAliases = map[string]string{
	"电话联系": "PhoneCall", "电话": "PhoneCall", "家访": "HomeVisit", "家访劝返": "HomeVisit", "劝返": "HomeVisit",
	"劝学书": "PersuasionLetter", "辍学报告书": "DropoutReport", "辍学报告": "DropoutReport",
	"复学通知书": "ReturnNotice", "复学通知": "ReturnNotice", "依法控辍": "LegalReferral", "资助帮扶": "SupportGranted", "资助": "SupportGranted",
	"学校线": "Education", "教育线": "Education", "政府线": "Government",
	"未联系上": "NoContact", "已联系": "Contacted", "拒绝": "Refused", "承诺返校": "Promised", "已返校": "Returned",
}

// ParseActions reads an actions file (student_id, action, date, by, line, outcome, deadline, note).
func ParseActions(in io.Reader) (*ActionsFile, error) {
	t, err := newTable(in, ActionColumns, nil)
	if err != nil {
		return nil, err
	}
	var rows []ActionRow
	var errs []RowError
	for {
		rec, rowErr, err := t.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if rowErr != nil {
			errs = append(errs, *rowErr)
			continue
		}
		var reasons []string
		id, problem := studentRef(rec.get(ColActStudentID))
		if rec.get(ColActStudentID) == "" {
			reasons = append(reasons, "student_id: required")
		} else if problem != "" {
			reasons = append(reasons, "student_id: "+problem)
		}
		a := v1.CaseAction{
			Date:     v1.Date(normalizeDate(rec.get(ColActDate))),
			By:       rec.get(ColActBy),
			Deadline: v1.Date(normalizeDate(rec.get(ColActDeadline))),
			Note:     rec.get(ColActNote),
		}
		action := aliasOf(rec.get(ColActAction), actionAliases)
		a.Type, _ = ParseActionType(action)
		if a.Type == "" {
			a.Type = v1.ActionType(action)
		}
		line := aliasOf(rec.get(ColActLine), actionAliases)
		if l, ok := ParseLine(line); ok {
			a.Line = l
		} else {
			a.Line = v1.Line(line)
		}
		if o := aliasOf(rec.get(ColActOutcome), actionAliases); o != "" {
			if oc, ok := ParseOutcome(o); ok {
				a.Outcome = oc
			} else {
				a.Outcome = v1.Outcome(o)
			}
		}
		reasons = append(reasons, ActionProblems(a)...)
		if len(reasons) > 0 {
			errs = append(errs, RowError{Line: rec.line, Reasons: reasons})
			continue
		}
		rows = append(rows, ActionRow{Line: rec.line, StudentID: id, Action: a})
	}
	return &ActionsFile{Rows: rows, Errors: errs, Warnings: t.warnings}, nil
}

// DescribeAction is a one-line description of an action without its note.
func DescribeAction(a v1.CaseAction) string {
	s := fmt.Sprintf("%s on %s by %s (%s)", a.Type, a.Date, a.By, a.Line)
	if a.Outcome != "" {
		s += ", outcome " + string(a.Outcome)
	}
	if a.Deadline != "" {
		s += ", deadline " + string(a.Deadline)
	}
	return strings.TrimSpace(s)
}
