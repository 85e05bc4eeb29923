package controllers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// studentSizeBudget is what a present, healthy child may cost as stored, managedFields included:
// a county of 150,000 children must fit the API server's watch cache and etcd (docs/scaling.md).
const studentSizeBudget = 2500

// TestPresentChildFitsTheBudget reads a present child's Student as the API server stores it and
// holds it to the size budget; a reconcile that changes nothing must then write nothing.
func TestPresentChildFitsTheBudget(t *testing.T) {
	ns := newNamespace(t)
	create(t, countyAgreements(ns)...)
	create(t, registeredChild(ns, "stu-present"))
	day := v1.Date("2026-11-09")
	setToday(day)
	rollCall(t, ns, 3, day)
	waitStudent(t, ns, "stu-present", "present and ready", func(s *v1.Student) error {
		if condition(s.Status.Conditions, v1.StudentAttending).Status != metav1.ConditionTrue ||
			condition(s.Status.Conditions, v1.ConditionReady).Status != metav1.ConditionTrue || s.Status.Responsible.Government == nil {
			return fmt.Errorf("conditions %+v", s.Status.Conditions)
		}
		return nil
	})
	// Let the agreements settle, then weigh the object as stored.
	time.Sleep(time.Second)
	if size := storedSize(t, ns, "stu-present"); size > studentSizeBudget {
		t.Errorf("a present child's Student is %d bytes as stored, over the budget of %d", size, studentSizeBudget)
	} else {
		t.Logf("a present child's Student is %d bytes as stored (budget %d)", size, studentSizeBudget)
	}

	writes.take(ns)
	reconciled := reconcileCount(t, "student")
	poke(t, get(t, ns, "stu-present", &v1.Student{}))
	eventually(t, "the poked Student is reconciled", func() error {
		if n := reconcileCount(t, "student"); n <= reconciled {
			return fmt.Errorf("%v reconciles, no new one", n)
		}
		return nil
	})
	time.Sleep(500 * time.Millisecond)
	if got := writes.take(ns); got["Student status patch"]+got["Student patch"] != 0 {
		t.Errorf("a reconcile that changes nothing wrote: %v", got)
	}
}

// registeredChild is a child as a registry import leaves it (resident ID, village group, enrolment
// date, a guardian), so that its spec weighs what a county's children weigh (about 360 bytes).
func registeredChild(ns, name string) *v1.Student {
	s := student(ns, name, 3, village)
	s.Spec.ResidentID = strings.TrimPrefix(s.Spec.StudentNumber, "G")
	s.Spec.Residence.Group = v1.GroupCode(string(village) + "003")
	s.Spec.Enrolment.Since = "2026-09-01"
	s.Spec.Guardians = []v1.Guardian{{Name: "Test Guardian", Relation: "母亲"}}
	return s
}

// storedSize is the length of the object's JSON as the API server returns it, managedFields and
// all.
func storedSize(t *testing.T, ns, name string) int {
	t.Helper()
	u := &unstructured.Unstructured{}
	u.SetGroupVersionKind(v1.GroupVersion.WithKind("Student"))
	if err := k8s.Get(context.Background(), client.ObjectKey{Namespace: ns, Name: name}, u); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(u.Object)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("stored: %s", raw)
	return len(raw)
}

// reconcileCount is controller-runtime's count of a controller's reconciles.
func reconcileCount(t *testing.T, controller string) float64 {
	t.Helper()
	families, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	total := 0.0
	for _, f := range families {
		if f.GetName() == "controller_runtime_reconcile_total" {
			total += sumFor(f.GetMetric(), controller)
		}
	}
	return total
}

func sumFor(ms []*dto.Metric, controller string) float64 {
	total := 0.0
	for _, m := range ms {
		for _, l := range m.GetLabel() {
			if l.GetName() == "controller" && l.GetValue() == controller {
				total += m.GetCounter().GetValue()
			}
		}
	}
	return total
}
