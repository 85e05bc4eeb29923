package demo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

func pct(s string) *v1.Percent { p := v1.Percent(s); return &p }
func i32(n int32) *int32       { return &n }
func yes() *bool               { b := true; return &b }

// fullTerms are the county's terms, which narrower agreements inherit.
func fullTerms() v1.Terms {
	return v1.Terms{
		Targets: v1.Targets{
			PrimaryEnrolment: pct("100"), JuniorEnrolment: pct("99"), Consolidation: pct("100"),
			MaxDropout: pct("1"), DisabilityEnrolment: pct("90"),
		},
		Escalation: v1.Escalation{
			AtRiskAfterDays: i32(1), SchoolReportAfterDays: i32(3), TownshipReportAfterDays: i32(10),
			RequiredVisits: i32(3), ActionDeadlineDays: i32(3), ReturnNoticeDays: i32(15), FollowUpSchoolDays: i32(20),
		},
		Assessment: v1.Assessment{RewardPoints: i32(2), PenaltyPoints: i32(5), VetoOnDropout: yes()},
	}
}

var schoolNames = map[string]string{}

func init() {
	for _, s := range Schools {
		schoolNames[s.Code] = s.Name
	}
}

func townshipName(code string) string {
	for _, t := range townships {
		if t.code == code {
			return t.name
		}
	}
	return code
}

func villageName(code string) string {
	for _, v := range villages[code[:9]] {
		if v.code == code {
			return v.name
		}
	}
	return code
}

// signing adds the agreements of one school year to a county.
type signing struct {
	c           *County
	g           *gen
	from, until v1.Date
}

func newSigning(c *County, g *gen) *signing {
	return &signing{c: c, g: g, from: v1.Date(c.SchoolYear.Format("2006-01-02")), until: v1.Date(c.SchoolYear.AddDate(1, 0, -1).Format("2006-01-02"))}
}

func (s *signing) contact() string { return fmt.Sprintf("0851-8722%04d", s.g.rng.IntN(10000)) }

// add signs one agreement and returns its responsible party, the issuer of the level below.
func (s *signing) add(name, comment string, line v1.Line, issuer, responsible v1.Party, scope v1.Scope, terms v1.Terms) v1.Party {
	a := &v1.ResponsibilityAgreement{
		TypeMeta:   metav1.TypeMeta{APIVersion: v1.GroupVersion.String(), Kind: "ResponsibilityAgreement"},
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: Namespace, Annotations: map[string]string{"kongchuo.io/title": comment}},
		Spec: v1.ResponsibilityAgreementSpec{Line: line, Issuer: issuer, Responsible: responsible, Scope: scope,
			Effective: v1.Period{From: s.from, Until: s.until}, Terms: terms},
	}
	s.c.Agreements = append(s.c.Agreements, a)
	return responsible
}

func (s *signing) party(role v1.Role, org string) v1.Party {
	return v1.Party{Role: role, Name: s.g.adultName(), Organisation: org, Contact: s.contact()}
}

// counties signs the two county-level agreements and returns the bureau and the deputy.
func (s *signing) counties() (bureau, deputy v1.Party) {
	county := s.party(v1.RoleCountyGovernment, "示范县人民政府")
	bureau = s.add("county-education", "示范县 控辍保学目标责任书（教育局）", v1.LineEducation,
		county, s.party(v1.RoleCountyBureau, "示范县教育局"), v1.Scope{}, fullTerms())
	deputy = s.add("county-government", "示范县 控辍保学目标责任书（县人民政府）", v1.LineGovernment,
		county, s.party(v1.RoleCountyGovernment, "示范县人民政府"), v1.Scope{}, fullTerms())
	return bureau, deputy
}

// agreements signs the county's agreements on both lines, level by level.
func (c *County) agreements(g *gen) {
	sg := newSigning(c, g)
	add, party, contact := sg.add, sg.party, sg.contact
	bureau, deputy := sg.counties()

	// Education line: schools, grades of the central school, every class.
	principals := map[string]v1.Party{}
	for _, s := range Schools {
		terms := v1.Terms{}
		if s.Code == "5201210003" {
			terms.Targets.MaxDropout = pct("2") // junior secondary: the usual 2 % cap
		}
		principals[s.Code] = add("school-"+s.Code, s.Name+" 校长责任书", v1.LineEducation, bureau,
			party(v1.RolePrincipal, s.Name), v1.Scope{School: v1.SchoolCode(s.Code), Catchment: s.Catchment}, terms)
	}
	gradeLeaders := map[string]v1.Party{}
	for _, grade := range Schools[0].Grades {
		s := Schools[0]
		gradeLeaders[classKey(s.Code, grade, 0)] = add(fmt.Sprintf("grade-%s-%d", s.Code, grade), fmt.Sprintf("%s %d年级 年级组长责任书", s.Name, grade),
			v1.LineEducation, principals[s.Code], party(v1.RoleGradeLeader, s.Name), v1.Scope{School: v1.SchoolCode(s.Code), Grade: grade}, v1.Terms{})
	}
	for i := range c.Classes {
		cl := &c.Classes[i]
		issuer, ok := gradeLeaders[classKey(cl.School, cl.Grade, 0)]
		if !ok {
			issuer = principals[cl.School]
		}
		terms := v1.Terms{}
		if cl.School == "5201210003" && cl.Grade == 7 && cl.Class == 1 {
			terms.Escalation.RequiredVisits = i32(4) // this class's agreement asks for four recorded visits
		}
		teacher := v1.Party{Role: v1.RoleHomeroomTeacher, Name: cl.Teacher, Organisation: schoolNames[cl.School], Contact: contact()}
		add(fmt.Sprintf("class-%s-%d-%d", cl.School, cl.Grade, cl.Class), fmt.Sprintf("%s %d年级%d班 班主任责任书", schoolNames[cl.School], cl.Grade, cl.Class),
			v1.LineEducation, issuer, teacher, v1.Scope{School: v1.SchoolCode(cl.School), Grade: cl.Grade, Class: cl.Class}, terms)
	}

	// Government line: townships, every village, some village groups.
	groups := map[string]bool{"520121100201001": true, "520121100201002": true, "520121101202003": true, "520121101203001": true}
	for _, t := range townships {
		org := t.name + "人民政府"
		cadre := add("township-"+t.code, t.name+" 控辍保学责任书", v1.LineGovernment, deputy,
			party(v1.RoleTownshipCadre, org), v1.Scope{Township: v1.TownshipCode(t.code)}, v1.Terms{})
		for _, v := range villages[t.code] {
			vc := add("village-"+v.code, t.name+v.name+" 村级控辍保学责任书", v1.LineGovernment, cadre,
				party(v1.RoleVillageCadre, v.name+"村民委员会"), v1.Scope{Township: v1.TownshipCode(t.code), Village: v1.VillageCode(v.code)}, v1.Terms{})
			for n := 1; n <= groupsPerVillage[v.code]; n++ {
				code := fmt.Sprintf("%s%03d", v.code, n)
				if groups[code] {
					add("group-"+code, fmt.Sprintf("%s%s 第%d村民小组 责任书", t.name, v.name, n), v1.LineGovernment, vc,
						party(v1.RoleGroupLeader, v.name+"村民委员会"),
						v1.Scope{Township: v1.TownshipCode(t.code), Village: v1.VillageCode(v.code), Group: v1.GroupCode(code)}, v1.Terms{})
				}
			}
		}
	}
}

// prune removes empty maps and lists, so the YAML shows only what an agreement says.
func prune(v any) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			if p, keep := prune(x); keep {
				t[k] = p
			} else {
				delete(t, k)
			}
		}
		return t, len(t) > 0
	case []any:
		return t, len(t) > 0
	case nil:
		return nil, false
	}
	return v, true
}

// AgreementsYAML writes the agreements as a multi-document YAML file for kubectl apply or GitOps.
func (c *County) AgreementsYAML() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# Responsibility agreements (责任书) of the demo county, both lines, level by level.\n")
	b.WriteString("# Generated by: go run ./hack/demo -out config/samples/demo   (names and phone numbers are fictional)\n")
	for _, a := range c.Agreements {
		raw, err := json.Marshal(struct {
			APIVersion string                         `json:"apiVersion"`
			Kind       string                         `json:"kind"`
			Metadata   metav1.ObjectMeta              `json:"metadata"`
			Spec       v1.ResponsibilityAgreementSpec `json:"spec"`
		}{a.APIVersion, a.Kind, metav1.ObjectMeta{Name: a.Name, Namespace: a.Namespace, Annotations: a.Annotations}, a.Spec})
		if err != nil {
			return nil, err
		}
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, err
		}
		prune(m)
		y, err := yaml.Marshal(m)
		if err != nil {
			return nil, err
		}
		b.WriteString("---\n# " + a.Annotations["kongchuo.io/title"] + "\n")
		b.Write(y)
	}
	return b.Bytes(), nil
}

// NamespaceYAML is the county's namespace.
func NamespaceYAML() []byte {
	return []byte(strings.TrimLeft(`
apiVersion: v1
kind: Namespace
metadata:
  name: `+Namespace+`
  labels:
    kongchuo.io/county: "`+CountyCode+`"
`, "\n"))
}

// KustomizationYAML applies the namespace and the agreements: kubectl apply -k config/samples/demo.
func KustomizationYAML() []byte {
	return []byte(`# kubectl apply -k config/samples/demo  (the CSV files are imported with kubectl kongchuo)
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - namespace.yaml
  - agreements.yaml
`)
}
