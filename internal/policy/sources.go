package policy

import (
	"slices"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// SourceProblems are the findings of the registry comparison (四源比对, 四查三比对) for a child of
// school age, from the registries its latest comparison did not find it in
// (spec.notListedIn). A child no school registered (created from a household or poverty
// extract) is 失学 and gets its NotEnrolled case from its enrolment; the problem here says where
// it came from. A registered pupil the household extract does not know is to be checked (人籍一致).
// Out of school age nobody needs to act, so nothing is reported.
func SourceProblems(s *v1.Student, schoolAge bool) []RegistryProblem {
	if !schoolAge {
		return nil
	}
	missing := s.Spec.NotListedIn
	switch {
	case slices.Contains(missing, v1.SourceStudentRegistry):
		return []RegistryProblem{{Reason: v1.ReasonNotInStudentRegistry,
			Message: "学籍系统无此生：由户籍或国扶数据导入，须核实是否入学（失学）"}}
	case slices.Contains(missing, v1.SourceHousehold):
		return []RegistryProblem{{Reason: v1.ReasonNotInHouseholdRegistry,
			Message: "户籍数据中无此生：请核实户籍与居住地（人籍一致）"}}
	}
	return nil
}

// ListedIn are the registries that know a child, given the registries compared for its township:
// those compared minus the ones that did not list it. The student registry is always compared
// (every Student not created from another source came from it).
func ListedIn(s *v1.Student, compared []v1.RegistrySource) []v1.RegistrySource {
	all := append([]v1.RegistrySource{v1.SourceStudentRegistry}, compared...)
	var out []v1.RegistrySource
	for _, src := range all {
		if !slices.Contains(out, src) && !slices.Contains(s.Spec.NotListedIn, src) {
			out = append(out, src)
		}
	}
	return out
}
