package ledger

import (
	"strings"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Names are the names of the county's schools, townships and villages. The registry carries only
// codes; the agreements name them, because each is signed by the organisation that answers for the
// scope (Party.Organisation: the school, "…镇人民政府", "…村村民委员会"). One home per fact: the
// ledger reads names there rather than keeping a second table.
type Names struct {
	schools   map[v1.SchoolCode]string
	townships map[v1.TownshipCode]string
	villages  map[v1.VillageCode]string
}

// NamesFrom reads the names from the agreements that cover exactly one school (education line,
// no grade), one township or one village (government line, no narrower scope).
func NamesFrom(agreements []v1.ResponsibilityAgreement) Names {
	n := Names{schools: map[v1.SchoolCode]string{}, townships: map[v1.TownshipCode]string{}, villages: map[v1.VillageCode]string{}}
	for i := range agreements {
		a := &agreements[i].Spec
		org := strings.TrimSpace(a.Responsible.Organisation)
		if org == "" {
			continue
		}
		sc := a.Scope
		switch {
		case a.Line == v1.LineEducation && sc.School != "" && sc.Grade == 0 && len(sc.Students) == 0:
			n.schools[sc.School] = org
		case a.Line == v1.LineGovernment && sc.Village != "" && sc.Group == "":
			n.villages[sc.Village] = villageName(org)
		case a.Line == v1.LineGovernment && sc.Township != "" && sc.Village == "":
			n.townships[sc.Township] = strings.TrimSuffix(org, "人民政府")
		}
	}
	return n
}

// villageName is the village a village committee signs for: "红岩村村民委员会" and "红岩村委会"
// are 红岩村.
func villageName(org string) string {
	for _, suffix := range []string{"民委员会", "委会"} {
		if s, ok := strings.CutSuffix(org, suffix); ok {
			// "…村民委员会" leaves "…村": drop the doubled 村 of "红岩村村民委员会".
			if strings.HasSuffix(s, "村村") {
				s = strings.TrimSuffix(s, "村")
			}
			return s
		}
	}
	return org
}

// School is the school's name, "" when no agreement names it.
func (n Names) School(c v1.SchoolCode) string { return n.schools[c] }

// Township is the township's name, "" when no agreement names it.
func (n Names) Township(c v1.TownshipCode) string { return n.townships[c] }

// Village is the village's name, "" when no agreement names it.
func (n Names) Village(c v1.VillageCode) string { return n.villages[c] }
