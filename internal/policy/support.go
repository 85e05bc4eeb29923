package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// SupportRules are the merged support terms: which measures each focus group needs while at risk,
// and what 送教上门 must deliver each week.
type SupportRules struct {
	Required     map[v1.FocusGroup][]v1.SupportMeasure
	HomeTeaching HomeTeachingRule
}

// DefaultSupportRequired is what the policy documents ask for a child at risk: registered poor
// children get their aid ("贫困资助全到位，一分不落", "对建档立卡的贫困家庭…给予相关补助", 001),
// left-behind children and pupils with learning difficulties a paired teacher ("留守儿童结对帮扶", 001;
// "一帮一，结对子", 002).
func DefaultSupportRequired() map[v1.FocusGroup][]v1.SupportMeasure {
	return map[v1.FocusGroup][]v1.SupportMeasure{
		v1.FocusRegisteredPoor:     {v1.SupportAid},
		v1.FocusLeftBehind:         {v1.SupportPairing},
		v1.FocusLearningDifficulty: {v1.SupportPairing},
	}
}

// SupportRulesFrom fills what merged terms leave unset with the defaults.
func SupportRulesFrom(t v1.SupportTerms) SupportRules {
	r := SupportRules{Required: DefaultSupportRequired(), HomeTeaching: DefaultHomeTeachingRule}
	for _, req := range t.Required {
		r.Required[req.FocusGroup] = req.Measures
	}
	if n := t.HomeTeachingSessionsPerWeek; n != nil {
		r.HomeTeaching.SessionsPerWeek = int(*n)
	}
	if h := t.HomeTeachingMinHours; h != nil {
		r.HomeTeaching.MinHours = float64(*h)
	}
	return r
}

// mergeSupportTerms overrides, from a narrower agreement's terms t, the support terms it sets;
// requirements merge per focus group.
func mergeSupportTerms(out *v1.Terms, t v1.Terms) {
	s := t.Support
	override(&out.Support.HomeTeachingSessionsPerWeek, s.HomeTeachingSessionsPerWeek)
	override(&out.Support.HomeTeachingMinHours, s.HomeTeachingMinHours)
	for _, req := range s.Required {
		i := slices.IndexFunc(out.Support.Required, func(r v1.SupportRequirement) bool { return r.FocusGroup == req.FocusGroup })
		req.Measures = slices.Clone(req.Measures)
		if i < 0 {
			out.Support.Required = append(out.Support.Required, req)
		} else {
			out.Support.Required[i] = req
		}
	}
}

// SupportFacts is what a child's support conditions depend on.
type SupportFacts struct {
	// Student is the child; nil judges nothing.
	Student *v1.Student
	// Records are the child's SupportRecords of the current school year.
	Records []*v1.SupportRecord
	Rules   SupportRules
	// From is the first day judged: the school year's start, or the enrolment's since when later.
	From  time.Time
	Today time.Time
}

// NeededSupport are the measures a child needs: those the terms require of its focus groups while
// it is at risk, and 送教上门 for a child whose enrolment is HomeDelivered, at risk or not.
func NeededSupport(s *v1.Student, atRisk bool, rules SupportRules) []v1.SupportMeasure {
	var need []v1.SupportMeasure
	add := func(m v1.SupportMeasure) {
		if !slices.Contains(need, m) {
			need = append(need, m)
		}
	}
	if s.Spec.Enrolment.Status == v1.EnrolmentHomeDelivered {
		add(v1.SupportHomeTeaching)
	}
	if atRisk {
		for _, g := range s.Spec.FocusGroups {
			for _, m := range rules.Required[g] {
				add(m)
			}
		}
	}
	slices.Sort(need) // Aid, HomeTeaching, Pairing: the condition's reason does not depend on the order of focus groups
	return need
}

// SupportConditions is the child's SupportMissing condition while a measure it needs is missing:
// no aid this school year, no pairing in force today, or a complete week of 送教上门 with fewer
// sessions of the required hours than the rule asks. Nothing when all is given: healthy children
// carry no condition for it.
func SupportConditions(atRisk bool, f SupportFacts) []Condition {
	if f.Student == nil {
		return nil
	}
	var reasons, messages []string
	for _, m := range NeededSupport(f.Student, atRisk, f.Rules) {
		reason, msg := missingMeasure(m, f)
		if reason != "" {
			reasons, messages = append(reasons, reason), append(messages, msg)
		}
	}
	if len(reasons) == 0 {
		return nil
	}
	return []Condition{{Type: v1.StudentSupportMissing, True: true, Reason: reasons[0], Message: strings.Join(messages, "；")}}
}

// missingMeasure says why a needed measure is missing, or returns "".
func missingMeasure(m v1.SupportMeasure, f SupportFacts) (string, string) {
	switch m {
	case v1.SupportAid:
		for _, r := range f.Records {
			if len(r.Spec.Aid) > 0 {
				return "", ""
			}
		}
		return v1.ReasonAidMissing, "本学年未记录资助（贫困资助全到位，一分不落）"
	case v1.SupportPairing:
		for _, r := range f.Records {
			for _, p := range r.Spec.Pairings {
				if pairingInForce(p, f.Today) {
					return "", ""
				}
			}
		}
		return v1.ReasonPairingMissing, "无在帮的结对帮扶（一帮一）"
	case v1.SupportHomeTeaching:
		short := ShortWeeks(homeSessions(f.Records), f.From, f.Today, f.Rules.HomeTeaching)
		if len(short) == 0 {
			return "", ""
		}
		rule := f.Rules.HomeTeaching
		return v1.ReasonHomeTeachingShortWeek, fmt.Sprintf("送教不足 %d 周，最近为 %s 起一周（每周不少于%d次，每次不少于%g学时）",
			len(short), FormatDate(short[len(short)-1]), rule.SessionsPerWeek, rule.MinHours)
	}
	return "", ""
}

func pairingInForce(p v1.Pairing, today time.Time) bool {
	since, err := ParseDate(p.Since)
	if err != nil || since.After(today) {
		return false
	}
	if p.Until == "" {
		return true
	}
	until, err := ParseDate(p.Until)
	return err == nil && !until.Before(today)
}

// homeSessions are the 送教上门 sessions of the records, for ShortWeeks.
func homeSessions(records []*v1.SupportRecord) []Session {
	var out []Session
	for _, r := range records {
		for _, s := range r.Spec.Sessions {
			if d, err := ParseDate(s.Date); err == nil {
				out = append(out, Session{Date: d, Hours: float64(s.Hours)})
			}
		}
	}
	return out
}

// NextSupportChange is the next day on which time alone can change the condition: the next
// Monday, when a week of 送教上门 is judged, for a child who needs it.
func NextSupportChange(s *v1.Student, atRisk bool, rules SupportRules, today time.Time) (time.Time, bool) {
	if !slices.Contains(NeededSupport(s, atRisk, rules), v1.SupportHomeTeaching) {
		return time.Time{}, false
	}
	return AddDays(monday(today), 7), true
}
