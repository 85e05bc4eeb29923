package policy

import (
	"reflect"
	"strings"
	"testing"
)

// TestPackedTallyRoundTrips: every count of a child's contribution survives packing, alone and
// all together, and a focus group's name comes back with its counts.
func TestPackedTallyRoundTrips(t *testing.T) {
	var counts []string
	eachCount(reflect.ValueOf(&Tally{}).Elem(), func(name string, _ reflect.Value) { counts = append(counts, name) })
	if len(counts) > 128 {
		t.Fatalf("%d counts do not fit in a PackedTally", len(counts))
	}
	all := Tally{}
	for i, name := range counts {
		one := Tally{}
		setCount(&one, i)
		setCount(&all, i)
		checkRoundTrip(t, name, one)
	}
	checkRoundTrip(t, "every count", all)
	checkRoundTrip(t, "nothing", Tally{})
}

func TestPackRefusesSums(t *testing.T) {
	sum := Tally{Children: 2}
	if _, err := Pack(sum); err == nil || !strings.Contains(err.Error(), "Tally.Children is 2") {
		t.Errorf("Pack(%+v) = %v, want an error naming Tally.Children", sum, err)
	}
}

// setCount sets the i-th count to 1, with its focus group's name, as Contribution does.
func setCount(t *Tally, i int) {
	n := 0
	eachCount(reflect.ValueOf(t).Elem(), func(_ string, v reflect.Value) {
		if n == i {
			v.SetInt(1)
		}
		n++
	})
	for g := range t.Focus {
		if t.Focus[g].SchoolAge+t.Focus[g].Enrolled+t.Focus[g].OpenCases > 0 {
			t.Focus[g].Group = focusGroups[g]
		}
	}
}

func checkRoundTrip(t *testing.T, what string, in Tally) {
	t.Helper()
	p, err := Pack(in)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if out := p.Unpack(); out != in {
		t.Errorf("%s: packed %+v, unpacked %+v", what, in, out)
	}
}
