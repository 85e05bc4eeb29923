// Package demo generates a fictional county for demonstrations and benchmarks: a registry
// extract, responsibility agreements on both lines, three weeks of class attendance with planned
// absence patterns, and the actions staff record on the resulting cases. Everything is derived
// from a seed and a date, so the output is reproducible. All names, IDs and phone numbers are
// made up (the IDs have correct check digits so that they pass validation).
package demo

import (
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

// Fixed facts of the demo county.
const (
	Namespace  = "demo-county"
	CountyCode = "520121"
	// SchoolDays of attendance generated before the given date.
	SchoolDays = 15
	// DefaultSeed makes the committed files reproducible.
	DefaultSeed = 20260901
)

// Township, village and school of the demo county.
type place struct {
	code, name string
}

var (
	townships = []place{{"520121100", "城关镇"}, {"520121101", "青山乡"}}
	villages  = map[string][]place{
		"520121100": {{"520121100201", "东风村"}, {"520121100202", "新民村"}, {"520121100203", "河坝村"}},
		"520121101": {{"520121101201", "青山村"}, {"520121101202", "石桥村"}, {"520121101203", "龙井村"}},
	}
	// groupsPerVillage: 2 or 3 village groups (村民小组) each.
	groupsPerVillage = map[string]int{
		"520121100201": 3, "520121100202": 2, "520121100203": 3,
		"520121101201": 2, "520121101202": 3, "520121101203": 2,
	}
)

// School of the demo county.
type School struct {
	Code, Name string
	Township   string // where most of its pupils live; "" for the whole county
	Grades     []int32
	Catchment  []v1.VillageCode
}

// Schools of the demo county: a central primary school, a small township primary school
// (grades 1–3; its older pupils go to the central school) and the county's junior school.
var Schools = []School{
	{"5201210001", "城关镇中心小学", "520121100", []int32{1, 2, 3, 4, 5, 6}, []v1.VillageCode{"520121100201", "520121100202", "520121100203"}},
	{"5201210002", "青山乡小学", "520121101", []int32{1, 2, 3}, []v1.VillageCode{"520121101201", "520121101202", "520121101203"}},
	{"5201210003", "示范县第二中学", "", []int32{7, 8, 9}, []v1.VillageCode{"520121100201", "520121100202", "520121100203", "520121101201", "520121101202", "520121101203"}},
}

// Class is one class of a school.
type Class struct {
	School       string
	Grade, Class int32
	Teacher      string
}

// Child is one generated child.
type Child struct {
	Spec v1.StudentSpec
	// Role says why the child is in the demo ("" for an ordinary pupil).
	Role string
}

// Name is the Student object name of the child.
func (c *Child) Name() string {
	return registry.StudentName(registry.CanonicalID(c.Spec.ResidentID, c.Spec.StudentNumber))
}

// County is the whole generated demo.
type County struct {
	Today         time.Time // local date the attendance runs up to (not included)
	SchoolYear    time.Time // first day of the school year
	Children      []*Child
	Classes       []Class
	Days          []time.Time // the school days reported, oldest first
	Absences      map[string]map[int]v1.AbsenceKind
	Actions       []Action
	Agreements    []*v1.ResponsibilityAgreement
	plannedByRole map[string]*Child
}

// Action is a row of actions.csv.
type Action struct {
	Child *Child
	v1.CaseAction
}

// Planned roles: the absence patterns the demo sets up (see plan).
const (
	RoleAtRisk2        = "at-risk-2-days"
	RoleAtRisk1        = "at-risk-1-day"
	RoleSchool4        = "school-reported-4-days"
	RoleSchool7        = "school-reported-7-days"
	RoleTownship12     = "township-reported-12-days"
	RoleTownship15     = "township-reported-15-days"
	RoleNoticeFuture   = "return-notice-deadline-ahead"
	RoleNoticePassed   = "return-notice-deadline-passed"
	RoleReturned       = "returned-after-5-days"
	RoleLeftOnce       = "left-without-leave-once"
	RoleNotEnrolled    = "not-enrolled"
	RoleTransferred    = "transferred-with-certificate"
	RoleTransferredBad = "transferred-without-certificate"
	RoleSuspended      = "suspended-for-illness"
	RoleDeferred       = "deferred"
	RoleHomeDelivered  = "home-delivered"
	RoleUnder6         = "under-6"
	RoleOver15         = "over-15"
)

var (
	surnames   = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "胡", "朱", "郭", "何", "罗", "高", "林", "龙", "潘", "田", "石", "杜"}
	boyChars   = []string{"明", "伟", "强", "军", "杰", "涛", "斌", "浩", "宇", "轩", "睿", "博", "文", "俊", "鹏", "磊", "华", "平", "勇", "志", "晨", "阳", "泽", "恒", "凯"}
	girlChars  = []string{"芳", "娜", "敏", "静", "丽", "艳", "婷", "雪", "琳", "欣", "怡", "萱", "梦", "悦", "玲", "霞", "佳", "慧", "倩", "颖", "瑶", "雨", "诗", "蕾", "蓉"}
	adultChars = []string{"国", "建", "华", "春", "秀", "德", "桂", "兰", "永", "福", "正", "红", "英", "海", "荣", "贵", "学", "光", "忠", "凤"}
)

type gen struct {
	rng     *rand.Rand
	seqs    map[string]int
	county  *County
	numbers map[string]bool
}

func (g *gen) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *gen) childName(boy bool) string {
	chars := girlChars
	if boy {
		chars = boyChars
	}
	name := g.pick(surnames) + g.pick(chars)
	if g.rng.IntN(3) > 0 {
		name += g.pick(chars)
	}
	return name
}

func (g *gen) adultName() string { return g.pick(surnames) + g.pick(adultChars) + g.pick(adultChars) }

// residentID makes a unique, valid resident ID: odd sequence numbers for boys, even for girls.
func (g *gen) residentID(birth time.Time, boy bool) string {
	d := birth.Format("2006-01-02")
	n := g.seqs[d]
	g.seqs[d] = n + 1
	seq := 2*n + 2
	if boy {
		seq = 2*n + 1
	}
	return registry.MakeResidentID(CountyCode, d, seq%1000)
}

// birthForAge picks a birth date so that the child is `age` on the school year's first day and
// enters the grade age-5 under the 31 August cut-off.
func (g *gen) birthForAge(age int) time.Time {
	sy := g.county.SchoolYear
	// Born between 1 September (sy.Year-age-1) and 31 August (sy.Year-age).
	from := time.Date(sy.Year()-age-1, time.September, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(sy.Year()-age, time.August, 31, 0, 0, 0, 0, time.UTC).Sub(from).Hours()/24) + 1
	return from.AddDate(0, 0, g.rng.IntN(days))
}

func (g *gen) residence(township string) v1.Residence {
	if township == "" {
		township = townships[g.rng.IntN(len(townships))].code
	}
	vs := villages[township]
	v := vs[g.rng.IntN(len(vs))].code
	grp := fmt.Sprintf("%s%03d", v, 1+g.rng.IntN(groupsPerVillage[v]))
	return v1.Residence{Township: v1.TownshipCode(township), Village: v1.VillageCode(v), Group: v1.GroupCode(grp)}
}

func (g *gen) phone() string { return fmt.Sprintf("1380000%04d", g.rng.IntN(10000)) }

// newChild makes a child of the given age living in the township ("" = anywhere).
func (g *gen) newChild(age int, township string, withNumber bool) *Child {
	boy := g.rng.IntN(2) == 0
	birth := g.birthForAge(age)
	id := g.residentID(birth, boy)
	sex := v1.SexFemale
	if boy {
		sex = v1.SexMale
	}
	spec := v1.StudentSpec{
		Name:       g.childName(boy),
		Sex:        sex,
		ResidentID: id,
		BirthDate:  v1.Date(birth.Format("2006-01-02")),
		Residence:  g.residence(township),
	}
	if withNumber {
		spec.StudentNumber = "G" + id
	}
	surname := []rune(spec.Name)[:1]
	father := string(surname) + g.pick(adultChars) + g.pick(adultChars)
	switch g.rng.IntN(10) {
	case 0, 1, 2:
		spec.Guardians = []v1.Guardian{{Name: g.adultName(), Relation: "母亲", Phone: g.phone()}}
	case 3:
		spec.Guardians = []v1.Guardian{{Name: father, Relation: "父亲"}}
	default:
		spec.Guardians = []v1.Guardian{{Name: father, Relation: "父亲", Phone: g.phone()}}
	}
	c := &Child{Spec: spec}
	g.county.Children = append(g.county.Children, c)
	return c
}

// Generate builds the demo county for attendance up to (not including) today, a local date.
func Generate(today time.Time, seed uint64) *County {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	sy := time.Date(today.Year(), time.September, 1, 0, 0, 0, 0, time.UTC)
	if today.Before(sy) {
		sy = sy.AddDate(-1, 0, 0)
	}
	c := &County{Today: today, SchoolYear: sy, Absences: map[string]map[int]v1.AbsenceKind{}, plannedByRole: map[string]*Child{}}
	g := &gen{rng: rand.New(rand.NewPCG(seed, seed^0x6b6f6e676368756f)), seqs: map[string]int{}, county: c}

	// School days: the SchoolDays weekdays before today.
	for d := today.AddDate(0, 0, -1); len(c.Days) < SchoolDays; d = d.AddDate(0, 0, -1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			c.Days = append([]time.Time{d}, c.Days...)
		}
	}

	// Pupils, class by class: 25–28 per class; one class per grade.
	rosters := map[string][]*Child{}
	for _, s := range Schools {
		for _, grade := range s.Grades {
			cl := Class{School: s.Code, Grade: grade, Class: 1, Teacher: g.adultName()}
			c.Classes = append(c.Classes, cl)
			size := 25 + g.rng.IntN(4)
			for i := 0; i < size; i++ {
				township := s.Township
				if s.Code == "5201210001" && grade >= 4 {
					township = "" // the older pupils of 青山乡 come to the central school
				}
				ch := g.newChild(int(grade)+5, township, true)
				ch.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentEnrolled, School: v1.SchoolCode(s.Code), Grade: grade, Class: 1}
				k := classKey(s.Code, grade, 1)
				rosters[k] = append(rosters[k], ch)
			}
		}
	}

	// Focus groups on about a fifth of the pupils; left-behind children live with grandparents.
	for _, ch := range c.Children {
		r := g.rng.IntN(100)
		switch {
		case r < 12:
			ch.Spec.FocusGroups = []v1.FocusGroup{v1.FocusLeftBehind}
			gp := "祖母"
			if g.rng.IntN(3) == 0 {
				gp = "祖父"
			}
			ch.Spec.Guardians = []v1.Guardian{{Name: g.adultName(), Relation: gp, Phone: g.phone()}}
			if g.rng.IntN(4) == 0 {
				ch.Spec.FocusGroups = append(ch.Spec.FocusGroups, v1.FocusRegisteredPoor)
			}
		case r < 16:
			ch.Spec.FocusGroups = []v1.FocusGroup{v1.FocusRegisteredPoor}
		case r < 18:
			ch.Spec.FocusGroups = []v1.FocusGroup{v1.FocusMigrant}
		case r < 20:
			ch.Spec.FocusGroups = []v1.FocusGroup{v1.FocusLearningDifficulty}
		}
	}

	// Children who are not ordinary pupils.
	add := func(role string, age int, withNumber bool, en v1.Enrolment, focus ...v1.FocusGroup) *Child {
		ch := g.newChild(age, "", withNumber)
		ch.Role, ch.Spec.Enrolment = role, en
		ch.Spec.FocusGroups = focus
		return ch
	}
	since := v1.Date(sy.Format("2006-01-02"))
	yearEnd := v1.Date(sy.AddDate(1, 0, -1).Format("2006-01-02"))
	for _, age := range []int{3, 4, 5, 5, 4, 5} {
		add(RoleUnder6, age, false, v1.Enrolment{Status: v1.EnrolmentNotEnrolled})
	}
	for _, age := range []int{16, 17, 16, 16} {
		add(RoleOver15, age, true, v1.Enrolment{Status: v1.EnrolmentCompleted, School: "5201210003",
			Since: v1.Date(fmt.Sprintf("%d-07-01", sy.Year()-age+15))})
	}
	for _, age := range []int{8, 11, 13} {
		add(RoleNotEnrolled, age, false, v1.Enrolment{Status: v1.EnrolmentNotEnrolled})
	}
	receiving := []string{"贵阳市南明区实验小学", "遵义市红花岗区第三小学", "贵阳市云岩区第二中学"}
	for i, age := range []int{9, 10, 12} {
		school := "5201210001"
		if age >= 12 {
			school = "5201210003"
		}
		add(RoleTransferred, age, true, v1.Enrolment{Status: v1.EnrolmentTransferredOut, School: v1.SchoolCode(school), Since: since,
			Evidence: &v1.Evidence{Certificate: fmt.Sprintf("JS-%d-%03d", sy.Year(), 11+i), IssuedBy: receiving[i],
				ReceivingSchool: receiving[i], IssuedOn: since}})
	}
	add(RoleTransferredBad, 11, true, v1.Enrolment{Status: v1.EnrolmentTransferredOut, School: "5201210001", Since: since,
		Evidence: &v1.Evidence{ReceivingSchool: "广东省东莞市长安镇某小学"}}, v1.FocusMigrant)
	add(RoleSuspended, 10, true, v1.Enrolment{Status: v1.EnrolmentSuspendedForIllness, School: "5201210001", Grade: 5, Since: since,
		Evidence: &v1.Evidence{Certificate: fmt.Sprintf("XB-%d-002", sy.Year()), IssuedBy: "示范县人民医院", ApprovedBy: "示范县教育局",
			IssuedOn: since, Until: v1.Date(sy.AddDate(0, 5, -1).Format("2006-01-02"))}})
	add(RoleDeferred, 6, false, v1.Enrolment{Status: v1.EnrolmentDeferred, Since: since,
		Evidence: &v1.Evidence{Certificate: fmt.Sprintf("HX-%d-003", sy.Year()), IssuedBy: "示范县人民医院", ApprovedBy: "示范县教育局",
			IssuedOn: since, Until: yearEnd}})
	add(RoleHomeDelivered, 12, true, v1.Enrolment{Status: v1.EnrolmentHomeDelivered, School: "5201210001", Since: since,
		Evidence: &v1.Evidence{Certificate: fmt.Sprintf("SJ-%d-001", sy.Year()), IssuedBy: "城关镇中心小学", ApprovedBy: "示范县教育局", IssuedOn: since}},
		v1.FocusDisability)

	c.plan(g, rosters)
	c.agreements(g)
	return c
}

// plan sets the absence patterns and the actions recorded on the resulting cases. Day indexes
// count school days: 0 is the oldest, SchoolDays-1 the day before today.
func (c *County) plan(g *gen, rosters map[string][]*Child) {
	last := SchoolDays - 1
	type pattern struct {
		role     string
		school   string
		grade    int32
		from, to int // unexcused from..to (inclusive)
	}
	patterns := []pattern{
		{RoleAtRisk2, "5201210001", 3, last - 1, last},
		{RoleAtRisk1, "5201210003", 8, last, last},
		{RoleSchool4, "5201210001", 5, last - 3, last},
		{RoleSchool7, "5201210003", 7, last - 6, last},
		{RoleTownship12, "5201210002", 2, last - 11, last},
		{RoleTownship15, "5201210002", 2, 0, last},
		{RoleNoticeFuture, "5201210003", 8, 0, last},
		{RoleNoticePassed, "5201210001", 6, 0, last},
		{RoleReturned, "5201210001", 4, last - 7, last - 3},
		{RoleLeftOnce, "5201210002", 3, 6, 6},
	}
	used := map[*Child]bool{}
	for _, p := range patterns {
		roster := rosters[classKey(p.school, p.grade, 1)]
		var ch *Child
		for ch == nil || used[ch] {
			ch = roster[g.rng.IntN(len(roster))]
		}
		used[ch] = true
		ch.Role = p.role
		c.plannedByRole[p.role] = ch
		kind := v1.AbsenceKind("Unexcused")
		if p.role == RoleLeftOnce {
			kind = "LeftWithoutLeave"
		}
		days := map[int]v1.AbsenceKind{}
		for d := p.from; d <= p.to; d++ {
			days[d] = kind
		}
		c.Absences[ch.Name()] = days
	}
	// Excused absences of ordinary pupils: sick and personal leave now and then.
	for _, ch := range c.Children {
		if ch.Role != "" || ch.Spec.Enrolment.Status != v1.EnrolmentEnrolled {
			continue
		}
		for d := range c.Days {
			if r := g.rng.IntN(1000); r < 3 {
				if c.Absences[ch.Name()] == nil {
					c.Absences[ch.Name()] = map[int]v1.AbsenceKind{}
				}
				kind := v1.AbsenceKind("SickLeave")
				if r < 1 {
					kind = "PersonalLeave"
				}
				c.Absences[ch.Name()][d] = kind
			}
		}
	}

	day := func(i int) v1.Date { return v1.Date(c.Days[i].Format("2006-01-02")) }
	act := func(role string, t v1.ActionType, d int, by string, line v1.Line, outcome v1.Outcome, deadline v1.Date, note string) {
		c.Actions = append(c.Actions, Action{Child: c.plannedByRole[role], CaseAction: v1.CaseAction{
			Type: t, Date: day(d), By: by, Line: line, Outcome: outcome, Deadline: deadline, Note: note}})
	}
	// A persuasion letter on time for the 7-day case (its class requires 4 visits).
	act(RoleSchool7, v1.ActionPersuasionLetter, last-4, "班主任", v1.LineEducation, "Contacted", "", "劝学书已送达监护人")
	// Three home visits and a dropout report: the school files to the township.
	act(RoleTownship12, v1.ActionHomeVisit, last-9, "班主任", v1.LineEducation, "NoContact", "", "家中无人")
	act(RoleTownship12, v1.ActionPersuasionLetter, last-9, "班主任", v1.LineEducation, "", "", "")
	act(RoleTownship12, v1.ActionHomeVisit, last-7, "班主任", v1.LineEducation, "Refused", "", "监护人称孩子不愿上学")
	act(RoleTownship12, v1.ActionHomeVisit, last-5, "校长", v1.LineEducation, "Promised", "", "与村干部一同家访")
	act(RoleTownship12, v1.ActionDropoutReport, last-4, "校长", v1.LineEducation, "", "", "辍学报告书已报乡镇和中心校")
	// Fifteen days away: a call and two visits so far.
	act(RoleTownship15, v1.ActionPhoneCall, 1, "班主任", v1.LineEducation, "NoContact", "", "")
	act(RoleTownship15, v1.ActionHomeVisit, 3, "班主任", v1.LineEducation, "Contacted", "", "孩子随父母外出")
	act(RoleTownship15, v1.ActionHomeVisit, 6, "村支书", v1.LineGovernment, "Refused", "", "")
	// A return notice whose deadline is still ahead.
	noticeAhead := v1.Date(c.Today.AddDate(0, 0, 10).Format("2006-01-02"))
	act(RoleNoticeFuture, v1.ActionHomeVisit, 2, "班主任", v1.LineEducation, "Refused", "", "")
	act(RoleNoticeFuture, v1.ActionHomeVisit, 4, "校长", v1.LineEducation, "Refused", "", "")
	act(RoleNoticeFuture, v1.ActionHomeVisit, 6, "村支书", v1.LineGovernment, "Refused", "", "")
	act(RoleNoticeFuture, v1.ActionDropoutReport, 7, "校长", v1.LineEducation, "", "", "")
	act(RoleNoticeFuture, v1.ActionReturnNotice, 9, "乡镇分管领导", v1.LineGovernment, "Promised", noticeAhead, "复学通知书已送达")
	// A return notice whose deadline passed with the child still away: legal action follows.
	act(RoleNoticePassed, v1.ActionHomeVisit, 1, "班主任", v1.LineEducation, "Refused", "", "")
	act(RoleNoticePassed, v1.ActionHomeVisit, 2, "校长", v1.LineEducation, "Refused", "", "")
	act(RoleNoticePassed, v1.ActionHomeVisit, 3, "村支书", v1.LineGovernment, "Refused", "", "")
	act(RoleNoticePassed, v1.ActionDropoutReport, 4, "校长", v1.LineEducation, "", "", "")
	act(RoleNoticePassed, v1.ActionReturnNotice, 5, "乡镇分管领导", v1.LineGovernment, "Refused", day(9), "限期五日返校")
}

// Planned returns the child with a planned role, or nil.
func (c *County) Planned(role string) *Child { return c.plannedByRole[role] }

// ---- output ----

// RegistryCSV writes the registry extract.
func (c *County) RegistryCSV() []byte {
	cols := []string{}
	for _, col := range registry.RegistryColumns {
		cols = append(cols, col.Name)
	}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write(cols)
	for _, ch := range c.Children {
		_ = w.Write(registryRow(&ch.Spec))
	}
	w.Flush()
	return b.Bytes()
}

// sexName is how the registry export writes sex.
var sexName = map[v1.Sex]string{v1.SexMale: "男", v1.SexFemale: "女"}

// RegistryExportCSV is the registry extract as the national registry system exports it: Chinese
// column names, a column the importer does not use (民族), GB18030 encoding.
func (c *County) RegistryExportCSV() ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(transform.NewWriter(&b, simplifiedchinese.GB18030.NewEncoder()))
	for _, row := range c.registryExportRows() {
		if err := w.Write(row); err != nil {
			return nil, fmt.Errorf("encoding the registry export: %w", err)
		}
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// RegistryXLSX is the registry export as an Excel workbook.
func (c *County) RegistryXLSX() ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	for i, row := range c.registryExportRows() {
		cells := make([]any, len(row))
		for j, v := range row {
			cells[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &cells); err != nil {
			return nil, fmt.Errorf("writing the registry workbook: %w", err)
		}
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		return nil, fmt.Errorf("writing the registry workbook: %w", err)
	}
	return b.Bytes(), nil
}

func (c *County) registryExportRows() [][]string {
	header := []string{"民族"}
	for _, col := range registry.RegistryColumns {
		header = append(header, registry.ChineseName(col.Name))
	}
	rows := [][]string{header}
	for _, ch := range c.Children {
		rows = append(rows, append([]string{"汉族"}, registryRow(&ch.Spec)...))
	}
	return rows
}

func registryRow(s *v1.StudentSpec) []string {
	e := s.Enrolment
	ev := e.Evidence
	if ev == nil {
		ev = &v1.Evidence{}
	}
	num := func(n int32) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(int(n))
	}
	var g [2]v1.Guardian
	copy(g[:], s.Guardians)
	var focus []string
	for _, f := range s.FocusGroups {
		focus = append(focus, string(f))
	}
	deferred := ""
	if e.DeferredBefore {
		deferred = "yes"
	}
	return []string{
		s.ResidentID, s.StudentNumber, s.Name, sexName[s.Sex], string(s.BirthDate),
		string(s.Residence.Township), string(s.Residence.Village), string(s.Residence.Group),
		string(e.Status), string(e.Since), string(e.School), num(e.Grade), num(e.Class),
		ev.Certificate, ev.IssuedBy, string(ev.IssuedOn), ev.ReceivingSchool, ev.ApprovedBy, string(ev.Until), deferred,
		g[0].Name, g[0].Relation, g[0].Phone, g[1].Name, g[1].Relation, g[1].Phone,
		strings.Join(focus, ";"),
	}
}

// AppendSchoolDay adds the next weekday after the reported days: children away without excuse on
// the last day stay away, everyone else is present. It returns the new day's index, for
// AttendanceCSVFrom: what one more school day of roll calls looks like for the county.
func (c *County) AppendSchoolDay() int {
	last := len(c.Days) - 1
	next := c.Days[last].AddDate(0, 0, 1)
	for next.Weekday() == time.Saturday || next.Weekday() == time.Sunday {
		next = next.AddDate(0, 0, 1)
	}
	c.Days = append(c.Days, next)
	for _, days := range c.Absences {
		if kind := days[last]; kind == "Unexcused" || kind == "LeftWithoutLeave" {
			days[last+1] = kind
		}
	}
	return last + 1
}

// AttendanceCSV writes one row per absence and one empty row for each class with no absence
// that day (a zero report).
func (c *County) AttendanceCSV() []byte { return c.AttendanceCSVFrom(0) }

// AttendanceCSVFrom writes the roll calls of the school days from index first on.
func (c *County) AttendanceCSVFrom(first int) []byte {
	rows := c.attendanceRows(first, func(ch *Child) string { return ch.Spec.ResidentID }, func(k v1.AbsenceKind) string { return string(k) })
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"school", "grade", "class", "date", "reporter", "student_id", "kind", "note"})
	_ = w.WriteAll(rows)
	return b.Bytes()
}

// zhAbsence is how schools write the kinds of absence.
var zhAbsence = map[v1.AbsenceKind]string{"Unexcused": "旷课", "SickLeave": "病假", "PersonalLeave": "事假", "LeftWithoutLeave": "擅自离校"}

// SchoolAttendanceCSV is the same roll calls as a school's attendance sheet has them: Chinese
// column names and kinds, children by national student number (学籍号, the resident ID for a
// child who has none), GB18030.
func (c *County) SchoolAttendanceCSV() ([]byte, error) {
	number := func(ch *Child) string {
		if ch.Spec.StudentNumber != "" {
			return ch.Spec.StudentNumber
		}
		return ch.Spec.ResidentID
	}
	rows := c.attendanceRows(0, number, func(k v1.AbsenceKind) string { return zhAbsence[k] })
	var b bytes.Buffer
	w := csv.NewWriter(transform.NewWriter(&b, simplifiedchinese.GB18030.NewEncoder()))
	_ = w.Write([]string{"学校标识码", "年级", "班级", "考勤日期", "填报人", "学籍号", "缺勤类型", "备注"})
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("encoding the school attendance sheet: %w", err)
	}
	return b.Bytes(), nil
}

// attendanceRows are the roll calls from school day first on: one row per absence, one row
// without a child for a class with none (零报告).
func (c *County) attendanceRows(first int, idOf func(*Child) string, kindName func(v1.AbsenceKind) string) [][]string {
	byClass := map[string][]*Child{}
	for _, ch := range c.Children {
		if ch.Spec.Enrolment.Status == v1.EnrolmentEnrolled {
			k := classKey(string(ch.Spec.Enrolment.School), ch.Spec.Enrolment.Grade, ch.Spec.Enrolment.Class)
			byClass[k] = append(byClass[k], ch)
		}
	}
	var rows [][]string
	for i := first; i < len(c.Days); i++ {
		date := c.Days[i].Format("2006-01-02")
		for _, cl := range c.Classes {
			row := []string{cl.School, strconv.Itoa(int(cl.Grade)), strconv.Itoa(int(cl.Class)), date,
				fmt.Sprintf("班主任-%d-%d", cl.Grade, cl.Class)}
			n := 0
			for _, ch := range byClass[classKey(cl.School, cl.Grade, cl.Class)] {
				kind, ok := c.Absences[ch.Name()][i]
				if !ok {
					continue
				}
				note := ""
				switch kind {
				case "SickLeave":
					note = "家长请假"
				case "LeftWithoutLeave":
					note = "午后未归"
				}
				rows = append(rows, append(append([]string{}, row...), idOf(ch), kindName(kind), note))
				n++
			}
			if n == 0 {
				rows = append(rows, append(row, "", "", ""))
			}
		}
	}
	return rows
}

func classKey(school string, grade, class int32) string {
	return fmt.Sprintf("%s-%d-%d", school, grade, class)
}

// ActionsCSV writes the actions that hack/run-local.sh records with kubectl kongchuo record-file.
func (c *County) ActionsCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	_ = w.Write([]string{"student_id", "action", "date", "by", "line", "outcome", "deadline", "note"})
	for _, a := range c.Actions {
		_ = w.Write([]string{a.Child.Spec.ResidentID, string(a.Type), string(a.Date), a.By, string(a.Line),
			string(a.Outcome), string(a.Deadline), a.Note})
	}
	w.Flush()
	return b.Bytes()
}

// Summary describes the planned situation, by object name (no personal data).
func (c *County) Summary() string {
	var b strings.Builder
	counts := map[v1.EnrolmentStatus]int{}
	for _, ch := range c.Children {
		counts[ch.Spec.Enrolment.Status]++
	}
	fmt.Fprintf(&b, "%d children, %d classes, %d school days %s to %s\n", len(c.Children), len(c.Classes), len(c.Days),
		c.Days[0].Format("2006-01-02"), c.Days[len(c.Days)-1].Format("2006-01-02"))
	var st []string
	for s, n := range counts {
		st = append(st, fmt.Sprintf("%s %d", s, n))
	}
	sort.Strings(st)
	fmt.Fprintf(&b, "enrolment: %s\n", strings.Join(st, ", "))
	var roles []string
	for r := range c.plannedByRole {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	for _, r := range roles {
		fmt.Fprintf(&b, "  %-32s %s\n", r, c.plannedByRole[r].Name())
	}
	return b.String()
}
