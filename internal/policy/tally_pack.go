package policy

import (
	"fmt"
	"reflect"
)

// PackedTally is one child's Tally in 128 bits. Every count of a single child's contribution is
// 0 or 1, so a bit per count holds it: the rollup keeps one of these per child (16 bytes instead
// of the Tally's 250), which matters at a few hundred thousand children per manager.
type PackedTally [2]uint64

// Pack packs a child's contribution. It fails on a count other than 0 or 1 (a sum of children,
// not one child's part) and on a Tally grown past 128 counts.
func Pack(t Tally) (PackedTally, error) {
	var p PackedTally
	bit := 0
	var err error
	eachCount(reflect.ValueOf(&t).Elem(), func(name string, v reflect.Value) {
		switch {
		case err != nil:
		case bit >= 128:
			err = fmt.Errorf("a child's tally has more than 128 counts")
		case v.Int() == 1:
			p[bit/64] |= 1 << (bit % 64)
		case v.Int() != 0:
			err = fmt.Errorf("count %s is %d: a child's contribution counts 0 or 1", name, v.Int())
		}
		bit++
	})
	return p, err
}

// Unpack gives the Tally back.
func (p PackedTally) Unpack() Tally {
	var t Tally
	bit := 0
	eachCount(reflect.ValueOf(&t).Elem(), func(_ string, v reflect.Value) {
		if bit < 128 && p[bit/64]&(1<<(bit%64)) != 0 {
			v.SetInt(1)
		}
		bit++
	})
	for i := range t.Focus {
		if t.Focus[i] != (Tally{}).Focus[i] {
			t.Focus[i].Group = focusGroups[i]
		}
	}
	return t
}

// eachCount visits the int32 counts of a Tally in declaration order (nested structs and arrays
// included); labels such as a focus group's name are not counts.
func eachCount(v reflect.Value, visit func(name string, v reflect.Value)) {
	var walk func(name string, v reflect.Value)
	walk = func(name string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Int32:
			visit(name, v)
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(name+"."+v.Type().Field(i).Name, v.Field(i))
			}
		case reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(fmt.Sprintf("%s[%d]", name, i), v.Index(i))
			}
		}
	}
	walk("Tally", v)
}
