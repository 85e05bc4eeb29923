package demo

import (
	"fmt"
	"math/rand/v2"
	"time"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// SyntheticRegistry writes a registry extract of n enrolled children, 30 to a class, four
// classes per grade, nine grades per school, for benchmarks and load tests. It is deterministic.
func SyntheticRegistry(n int, seed uint64, schoolYear time.Time) []byte {
	c := &County{SchoolYear: schoolYear}
	g := &gen{rng: rand.New(rand.NewPCG(seed, seed^0x73796e746865)), seqs: map[string]int{}, county: c}
	for i := 0; i < n; i++ {
		class := i / 30
		grade := int32(class/4%9) + 1
		school := fmt.Sprintf("52012%05d", 10001+class/36)
		ch := g.newChild(int(grade)+5, townships[class%2].code, true)
		ch.Spec.Enrolment = v1.Enrolment{Status: v1.EnrolmentEnrolled, School: v1.SchoolCode(school), Grade: grade, Class: int32(class%4) + 1}
		if g.rng.IntN(8) == 0 {
			ch.Spec.FocusGroups = []v1.FocusGroup{v1.FocusLeftBehind}
		}
	}
	return c.RegistryCSV()
}
