package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Synthetic counties for benchmarks and load tests: n enrolled children, 30 to a class, four
// classes per grade, nine grades per school, living in the demo's two townships and six villages;
// agreements on both lines (the county, every school with its township's villages as catchment,
// every class, every township and village). Deterministic for a seed.

const (
	syntheticClassSize      = 30
	syntheticClassesPerGrad = 4
)

// SyntheticCounty generates the county.
func SyntheticCounty(n int, seed uint64, schoolYear time.Time) *County {
	c := &County{SchoolYear: schoolYear}
	g := &gen{rng: rand.New(rand.NewPCG(seed, seed^0x73796e746865)), seqs: map[string]int{}, county: c}
	for i := 0; i < n; i++ {
		class := i / syntheticClassSize
		grade := int32(class/syntheticClassesPerGrad%9) + 1
		school := syntheticSchool(class)
		ch := g.newChild(int(grade)+5, syntheticTownship(class).code, true)
		ch.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentEnrolled, School: v1.SchoolCode(school), Grade: grade, Class: int32(class%syntheticClassesPerGrad) + 1}
		if g.rng.IntN(8) == 0 {
			ch.Spec.FocusGroups = []v1.FocusGroup{v1.FocusLeftBehind}
		}
		if i%syntheticClassSize == 0 {
			e := ch.Spec.Enrolment
			c.Classes = append(c.Classes, Class{School: school, Grade: e.Grade, Class: e.Class, Teacher: g.adultName()})
		}
	}
	c.syntheticAgreements(g)
	return c
}

// SyntheticRegistry writes the registry extract of a synthetic county.
func SyntheticRegistry(n int, seed uint64, schoolYear time.Time) []byte {
	return SyntheticCounty(n, seed, schoolYear).RegistryCSV()
}

func syntheticSchool(class int) string { return fmt.Sprintf("52012%05d", 10001+class/36) }

func syntheticTownship(class int) place { return townships[class%2] }

func (c *County) syntheticAgreements(g *gen) {
	sg := newSigning(c, g)
	bureau, deputy := sg.counties()
	principals := map[string]v1.Party{}
	for i, cl := range c.Classes {
		if _, ok := principals[cl.School]; ok {
			continue
		}
		var catchment []v1.VillageCode
		for _, v := range villages[syntheticTownship(i).code] {
			catchment = append(catchment, v1.VillageCode(v.code))
		}
		principals[cl.School] = sg.add("school-"+cl.School, cl.School+" 校长责任书", v1.LineEducation, bureau,
			sg.party(v1.RolePrincipal, cl.School), v1.Scope{School: v1.SchoolCode(cl.School), Catchment: catchment}, v1.Terms{})
	}
	for _, cl := range c.Classes {
		teacher := v1.Party{Role: v1.RoleHomeroomTeacher, Name: cl.Teacher, Organisation: cl.School, Contact: sg.contact()}
		sg.add(fmt.Sprintf("class-%s-%d-%d", cl.School, cl.Grade, cl.Class), fmt.Sprintf("%s %d年级%d班 班主任责任书", cl.School, cl.Grade, cl.Class),
			v1.LineEducation, principals[cl.School], teacher, v1.Scope{School: v1.SchoolCode(cl.School), Grade: cl.Grade, Class: cl.Class}, v1.Terms{})
	}
	for _, t := range townships {
		cadre := sg.add("township-"+t.code, t.name+" 控辍保学责任书", v1.LineGovernment, deputy,
			sg.party(v1.RoleTownshipCadre, t.name+"人民政府"), v1.Scope{Township: v1.TownshipCode(t.code)}, v1.Terms{})
		for _, v := range villages[t.code] {
			sg.add("village-"+v.code, t.name+v.name+" 村级控辍保学责任书", v1.LineGovernment, cadre,
				sg.party(v1.RoleVillageCadre, v.name+"村民委员会"), v1.Scope{Township: v1.TownshipCode(t.code), Village: v1.VillageCode(v.code)}, v1.Terms{})
		}
	}
}
