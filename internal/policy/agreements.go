package policy

import (
	"fmt"
	"sort"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Level is how narrow an agreement's scope is; a higher level is narrower.
type Level int

const (
	LevelCounty Level = iota
	LevelTownship
	LevelSchool
	LevelVillage
	LevelGrade
	LevelGroup
	LevelClass
	LevelStudents
)

var levelNames = map[Level]string{
	LevelCounty: "County", LevelTownship: "Township", LevelSchool: "School", LevelVillage: "Village",
	LevelGrade: "Grade", LevelGroup: "Group", LevelClass: "Class", LevelStudents: "Students",
}

func (l Level) String() string { return levelNames[l] }

// ScopeLevel is the level of an agreement's scope.
func ScopeLevel(s v1.Scope) Level {
	switch {
	case len(s.Students) > 0:
		return LevelStudents
	case s.Class != 0:
		return LevelClass
	case s.Grade != 0:
		return LevelGrade
	case s.School != "":
		return LevelSchool
	case s.Group != "":
		return LevelGroup
	case s.Village != "":
		return LevelVillage
	case s.Township != "":
		return LevelTownship
	default:
		return LevelCounty
	}
}

// ScopeSummary renders a scope in one line for listings and messages.
func ScopeSummary(s v1.Scope) string {
	switch ScopeLevel(s) {
	case LevelStudents:
		return fmt.Sprintf("school %s: %d named students", s.School, len(s.Students))
	case LevelClass:
		return fmt.Sprintf("school %s grade %d class %d", s.School, s.Grade, s.Class)
	case LevelGrade:
		return fmt.Sprintf("school %s grade %d", s.School, s.Grade)
	case LevelSchool:
		if len(s.Catchment) > 0 {
			return fmt.Sprintf("school %s (+%d catchment villages)", s.School, len(s.Catchment))
		}
		return "school " + string(s.School)
	case LevelGroup:
		return "group " + string(s.Group)
	case LevelVillage:
		return "village " + string(s.Village)
	case LevelTownship:
		return "township " + string(s.Township)
	default:
		return "county"
	}
}

// ConflictKey identifies an agreement's line and scope: two agreements with the same key claim
// the same children (Conflicts).
func ConflictKey(a *v1.ResponsibilityAgreement) string { return scopeKey(a.Spec.Line, a.Spec.Scope) }

// WiderKeys are the ScopeIndexKeys under which every agreement whose scope could contain this
// scope is found: the county, and the township, village, school and grade the scope names.
// Contains decides among them.
func WiderKeys(s v1.Scope) []string {
	keys := []string{CountyScopeKey}
	if s.Township != "" {
		keys = append(keys, "township/"+string(s.Township))
	}
	if s.Village != "" {
		keys = append(keys, "village/"+string(s.Village))
	}
	if s.School != "" {
		keys = append(keys, "school/"+string(s.School))
	}
	if s.Grade != 0 {
		keys = append(keys, fmt.Sprintf("grade/%s/%d", s.School, s.Grade))
	}
	return keys
}

// scopeKey identifies a scope for conflict detection: two agreements with the same line and key
// claim the same children.
func scopeKey(line v1.Line, s v1.Scope) string {
	students := append([]string(nil), s.Students...)
	sort.Strings(students)
	return fmt.Sprintf("%s|%s|%d|%d|%s|%s|%s|%s", line, s.School, s.Grade, s.Class, strings.Join(students, ","), s.Township, s.Village, s.Group)
}

// IsActive reports whether an agreement is in force on a date.
func IsActive(a *v1.ResponsibilityAgreement, today time.Time) bool {
	from, err := ParseDate(a.Spec.Effective.From)
	if err != nil || today.Before(from) {
		return false
	}
	if a.Spec.Effective.Until == "" {
		return true
	}
	until, err := ParseDate(a.Spec.Effective.Until)
	return err == nil && !today.After(until)
}

// Covers reports whether an agreement's scope covers a student. A school-level agreement also
// covers children who are enrolled nowhere and live in its catchment villages.
func Covers(a *v1.ResponsibilityAgreement, s *v1.Student) bool {
	sc, e, r := a.Spec.Scope, s.Spec.Enrolment, s.Spec.Residence
	if a.Spec.Line == v1.LineGovernment {
		return (sc.Township == "" || sc.Township == r.Township) &&
			(sc.Village == "" || sc.Village == r.Village) &&
			(sc.Group == "" || sc.Group == r.Group)
	}
	switch ScopeLevel(sc) {
	case LevelCounty:
		return true
	case LevelStudents:
		return contains(sc.Students, s.Name)
	case LevelSchool:
		if e.Status != v1.EnrolmentEnrolled && e.School == "" {
			return containsVillage(sc.Catchment, r.Village)
		}
		return e.School == sc.School
	default:
		return e.School == sc.School && e.Grade == sc.Grade && (sc.Class == 0 || e.Class == sc.Class)
	}
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func containsVillage(list []v1.VillageCode, v v1.VillageCode) bool {
	for _, x := range list {
		if v != "" && x == v {
			return true
		}
	}
	return false
}

// SortNarrowestFirst orders agreements of one line, narrowest first, deterministically.
func SortNarrowestFirst(list []*v1.ResponsibilityAgreement) {
	sort.SliceStable(list, func(i, j int) bool { return narrower(list[i], list[j]) })
}

// narrower orders agreements on one line, narrowest first. Among agreements of the same level the
// one that started latest wins (a renewal replaces the agreement it renews), then the name.
func narrower(a, b *v1.ResponsibilityAgreement) bool {
	la, lb := ScopeLevel(a.Spec.Scope), ScopeLevel(b.Spec.Scope)
	if la != lb {
		return la > lb
	}
	if a.Spec.Effective.From != b.Spec.Effective.From {
		return a.Spec.Effective.From > b.Spec.Effective.From
	}
	return a.Name < b.Name
}

// Chain is the active agreements on one line that cover a child, narrowest first.
type Chain []*v1.ResponsibilityAgreement

// Narrowest is the agreement that names the responsible party, or nil.
func (c Chain) Narrowest() *v1.ResponsibilityAgreement {
	if len(c) == 0 {
		return nil
	}
	return c[0]
}

// AtLevel is the narrowest agreement of the chain at exactly one of the levels, or nil.
func (c Chain) AtLevel(levels ...Level) *v1.ResponsibilityAgreement {
	for _, a := range c {
		for _, l := range levels {
			if ScopeLevel(a.Spec.Scope) == l {
				return a
			}
		}
	}
	return nil
}

// Resolution is who answers for a child on both lines, and the terms that apply to the child.
type Resolution struct {
	Education  Chain
	Government Chain
	Terms      v1.Terms
}

// Resolve finds, for a student and each line, the active agreements covering it, narrowest
// first, and merges their terms. The education line's terms come before the government line's:
// the school line runs the ladder.
func Resolve(agreements []*v1.ResponsibilityAgreement, s *v1.Student, today time.Time) Resolution {
	var r Resolution
	for _, a := range agreements {
		if !IsActive(a, today) || !Covers(a, s) {
			continue
		}
		if a.Spec.Line == v1.LineEducation {
			r.Education = append(r.Education, a)
		} else {
			r.Government = append(r.Government, a)
		}
	}
	SortNarrowestFirst(r.Education)
	SortNarrowestFirst(r.Government)
	var terms []v1.Terms
	for _, a := range append(append(Chain{}, r.Education...), r.Government...) {
		terms = append(terms, a.Spec.Terms)
	}
	r.Terms = MergeTerms(terms...)
	return r
}

// Party turns an agreement into the responsible party it names.
func Party(a *v1.ResponsibilityAgreement) *v1.ResponsibleParty {
	if a == nil {
		return nil
	}
	return &v1.ResponsibleParty{Agreement: a.Name, Role: a.Spec.Responsible.Role, Name: a.Spec.Responsible.Name}
}

// MissingResponsibility says which level of which line has nobody for a child, or "" when both
// lines reach the level the policy expects: the class (or 包人) for an enrolled child, the
// catchment school for a child enrolled nowhere, and the village on the government line.
func MissingResponsibility(r Resolution, s *v1.Student) string {
	var missing []string
	e := s.Spec.Enrolment
	switch {
	case e.Status == v1.EnrolmentEnrolled && r.Education.AtLevel(LevelClass, LevelStudents) == nil:
		missing = append(missing, fmt.Sprintf("no class agreement for school %s grade %d class %d", e.School, e.Grade, e.Class))
	case e.Status != v1.EnrolmentEnrolled && r.Education.AtLevel(LevelSchool, LevelClass, LevelGrade, LevelStudents) == nil:
		missing = append(missing, fmt.Sprintf("no school agreement whose catchment includes village %s", s.Spec.Residence.Village))
	}
	if r.Government.AtLevel(LevelVillage, LevelGroup) == nil {
		where := string(s.Spec.Residence.Village)
		if where == "" {
			where = "(no village given) in township " + string(s.Spec.Residence.Township)
		}
		missing = append(missing, "no village agreement for village "+where)
	}
	return strings.Join(missing, "; ")
}

// Conflicts finds active agreements that claim the same scope on the same line. Each name maps
// to the sorted names it conflicts with. Resolution stays deterministic (see narrower): the one
// that started latest, then the first by name, names the responsible party.
func Conflicts(agreements []*v1.ResponsibilityAgreement, today time.Time) map[string][]string {
	byKey := map[string][]string{}
	for _, a := range agreements {
		if IsActive(a, today) {
			k := scopeKey(a.Spec.Line, a.Spec.Scope)
			byKey[k] = append(byKey[k], a.Name)
		}
	}
	out := map[string][]string{}
	for _, names := range byKey {
		if len(names) < 2 {
			continue
		}
		sort.Strings(names)
		for _, n := range names {
			for _, o := range names {
				if o != n {
					out[n] = append(out[n], o)
				}
			}
		}
	}
	return out
}

// CountyScopeKey is the scope key of the whole county: every child is counted under it.
const CountyScopeKey = "county"

// ScopeIndexKeys are the cache-index keys under which an agreement is found from a student (see
// StudentScopeKeys): one key per school/grade/class or township/village/group it names.
func ScopeIndexKeys(a *v1.ResponsibilityAgreement) []string {
	s := a.Spec.Scope
	switch ScopeLevel(s) {
	case LevelCounty:
		return []string{CountyScopeKey}
	case LevelStudents:
		keys := make([]string, 0, len(s.Students))
		for _, n := range s.Students {
			keys = append(keys, "student/"+n)
		}
		return keys
	case LevelClass:
		return []string{fmt.Sprintf("class/%s/%d/%d", s.School, s.Grade, s.Class)}
	case LevelGrade:
		return []string{fmt.Sprintf("grade/%s/%d", s.School, s.Grade)}
	case LevelSchool:
		keys := []string{"school/" + string(s.School)}
		for _, v := range s.Catchment {
			keys = append(keys, "catchment/"+string(v))
		}
		return keys
	case LevelGroup:
		return []string{"group/" + string(s.Group)}
	case LevelVillage:
		return []string{"village/" + string(s.Village)}
	default:
		return []string{"township/" + string(s.Township)}
	}
}

// StudentScopeKeys are the index keys of every agreement scope that could cover the student.
func StudentScopeKeys(s *v1.Student) []string {
	e, r := s.Spec.Enrolment, s.Spec.Residence
	keys := []string{CountyScopeKey, "student/" + s.Name, "township/" + string(r.Township)}
	if r.Village != "" {
		keys = append(keys, "village/"+string(r.Village), "catchment/"+string(r.Village))
	}
	if r.Group != "" {
		keys = append(keys, "group/"+string(r.Group))
	}
	if e.School != "" {
		keys = append(keys, "school/"+string(e.School))
		if e.Grade != 0 {
			keys = append(keys, fmt.Sprintf("grade/%s/%d", e.School, e.Grade), fmt.Sprintf("class/%s/%d/%d", e.School, e.Grade, e.Class))
		}
	}
	return keys
}

// TallyScope is what decides the scope keys a child counts in: its residence and enrolment. It is
// small and shares the Student's strings, so a rollup can keep one per child.
type TallyScope struct {
	Residence    v1.Residence
	Status       v1.EnrolmentStatus
	School       v1.SchoolCode
	Grade, Class int32
}

// TallyScopeOf is the child's tally scope.
func TallyScopeOf(s *v1.Student) TallyScope {
	e := s.Spec.Enrolment
	return TallyScope{Residence: s.Spec.Residence, Status: e.Status, School: e.School, Grade: e.Grade, Class: e.Class}
}

// TallyKeys are the scope keys whose figures the child counts in: an agreement with one of these
// keys among its ScopeIndexKeys covers the child (Covers), and the keys of one agreement never
// both hold the same child, so an agreement's figures are the sum of its keys' tallies. Named
// students (包人) are counted child by child instead.
func TallyKeys(s *v1.Student) []string { return TallyScopeOf(s).Keys() }

// Keys are the scope keys of TallyKeys.
func (t TallyScope) Keys() []string {
	r := t.Residence
	keys := []string{CountyScopeKey, "township/" + string(r.Township)}
	if r.Village != "" {
		keys = append(keys, "village/"+string(r.Village))
	}
	if r.Group != "" {
		keys = append(keys, "group/"+string(r.Group))
	}
	switch {
	case t.School != "":
		keys = append(keys, "school/"+string(t.School))
		if t.Grade != 0 {
			keys = append(keys, fmt.Sprintf("grade/%s/%d", t.School, t.Grade), fmt.Sprintf("class/%s/%d/%d", t.School, t.Grade, t.Class))
		}
	case t.Status != v1.EnrolmentEnrolled && r.Village != "":
		keys = append(keys, "catchment/"+string(r.Village))
	}
	return keys
}

// Contains reports whether scope wide strictly contains scope narrow, so that narrow inherits
// wide's terms: every field wide sets, narrow sets to the same value, and narrow is narrower.
func Contains(wide, narrow v1.Scope) bool {
	if ScopeLevel(wide) >= ScopeLevel(narrow) || len(wide.Students) > 0 {
		return false
	}
	return (wide.School == "" || wide.School == narrow.School) &&
		(wide.Grade == 0 || wide.Grade == narrow.Grade) &&
		(wide.Class == 0 || wide.Class == narrow.Class) &&
		(wide.Township == "" || wide.Township == narrow.Township) &&
		(wide.Village == "" || wide.Village == narrow.Village) &&
		(wide.Group == "" || wide.Group == narrow.Group)
}
