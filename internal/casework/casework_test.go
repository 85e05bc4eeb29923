package casework

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/registry"
)

func fixture(t *testing.T) (*Recorder, *v1.Student, *v1.DropoutCase) {
	t.Helper()
	s := runtime.NewScheme()
	if err := v1.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	id := registry.MakeResidentID("520121", "2015-05-05", 1)
	stu := &v1.Student{ObjectMeta: metav1.ObjectMeta{Name: registry.StudentName(id), Namespace: "c"},
		Spec:   v1.StudentSpec{Name: "甲", ResidentID: id},
		Status: v1.StudentStatus{OpenCase: "dc-1"}}
	dc := &v1.DropoutCase{ObjectMeta: metav1.ObjectMeta{Name: "dc-1", Namespace: "c"},
		Spec: v1.DropoutCaseSpec{Student: stu.Name, Type: v1.CaseDroppedOut, Opened: "2026-11-02"}}
	c := fake.NewClientBuilder().WithScheme(s).WithObjects(stu, dc).
		WithStatusSubresource(&v1.Student{}, &v1.DropoutCase{}).Build()
	return &Recorder{Client: c, Namespace: "c"}, stu, dc
}

func TestRecord(t *testing.T) {
	r, stu, dc := fixture(t)
	ctx := context.Background()
	a := v1.CaseAction{Type: v1.ActionHomeVisit, Date: "2026-11-05", By: "班主任", Line: v1.LineEducation}
	name, already, err := r.Record(ctx, stu.Name, a)
	if err != nil || already || name != dc.Name {
		t.Fatalf("Record = %q %v %v", name, already, err)
	}
	if _, already, _ = r.Record(ctx, dc.Name, a); !already {
		t.Error("the same action was recorded twice")
	}
	b := a
	b.Date = "2026-11-06"
	if _, already, _ = r.Record(ctx, dc.Name, b); already {
		t.Error("another visit was taken for the first")
	}
	got := &v1.DropoutCase{}
	_ = r.Client.Get(ctx, client.ObjectKeyFromObject(dc), got)
	if len(got.Spec.Actions) != 2 {
		t.Errorf("actions = %+v", got.Spec.Actions)
	}
	if _, _, err := r.Record(ctx, dc.Name, v1.CaseAction{Type: v1.ActionReturnNotice, Date: "2026-11-06", Deadline: "2026-11-06", By: "x", Line: v1.LineGovernment}); err == nil ||
		!strings.Contains(err.Error(), "deadline: must come after the date of the action") {
		t.Errorf("ReturnNotice with its deadline on the day itself: %v", err)
	}
	if _, _, err := r.Record(ctx, "stu-000000000000", a); err == nil || !strings.Contains(err.Error(), "no DropoutCase or Student") {
		t.Errorf("unknown: %v", err)
	}
	// By ID number: resident ID, or G + resident ID.
	c := a
	c.Date = "2026-11-07"
	if name, _, err := r.Record(ctx, "G"+stu.Spec.ResidentID, c); err != nil || name != dc.Name {
		t.Errorf("by student number: %q %v", name, err)
	}
	other := registry.MakeResidentID("520121", "2015-05-06", 2)
	if _, _, err := r.Record(ctx, other, c); err == nil || strings.Contains(err.Error(), other) ||
		!strings.Contains(err.Error(), "no Student with this ID number") {
		t.Errorf("unknown ID: %v", err)
	}
}

func TestNoOpenCase(t *testing.T) {
	r, stu, _ := fixture(t)
	ctx := context.Background()
	stu.Status.OpenCase = ""
	if err := r.Client.Status().Update(ctx, stu); err != nil {
		t.Fatal(err)
	}
	_, _, err := r.Record(ctx, stu.Name, v1.CaseAction{Type: v1.ActionPhoneCall, Date: "2026-11-05", By: "x", Line: v1.LineEducation})
	if !errors.Is(err, ErrNoOpenCase) {
		t.Errorf("err = %v", err)
	}
	// record-file gives up at the deadline and says why, naming the Student only.
	res, err := r.RecordFile(ctx, strings.NewReader("student_id,action,date,by,line\n"+stu.Spec.ResidentID+",PhoneCall,2026-11-05,x,Education\n"), 10*time.Millisecond, nil)
	if err != nil || len(res.Failed) != 1 || !strings.Contains(res.Failed[0].Error(), "still has no open case") ||
		strings.Contains(res.Failed[0].Error(), stu.Spec.ResidentID) {
		t.Errorf("RecordFile = %+v %v", res, err)
	}
}

// The controller writes the Student's status.openCase before it creates that case: an action
// recorded in between waits for the case instead of failing (found by the crash test of issue 12).
func TestOpenCaseNotYetCreated(t *testing.T) {
	r, stu, dc := fixture(t)
	ctx := context.Background()
	if err := r.Client.Delete(ctx, dc); err != nil {
		t.Fatal(err)
	}
	_, _, err := r.Record(ctx, stu.Name, v1.CaseAction{Type: v1.ActionPhoneCall, Date: "2026-11-05", By: "x", Line: v1.LineEducation})
	if !errors.Is(err, ErrNoOpenCase) {
		t.Errorf("err = %v, want ErrNoOpenCase so that record-file waits", err)
	}
}

func TestClose(t *testing.T) {
	r, _, dc := fixture(t)
	ctx := context.Background()
	c := v1.Closure{By: "县教育局", Reason: "核实已在外省就读", Date: "2026-11-20"}
	if _, already, err := r.Close(ctx, dc.Name, c); err != nil || already {
		t.Fatalf("Close: %v %v", already, err)
	}
	if _, already, err := r.Close(ctx, dc.Name, c); err != nil || !already {
		t.Errorf("Close again: %v %v", already, err)
	}
	other := c
	other.Reason = "另一个决定的理由"
	if _, _, err := r.Close(ctx, dc.Name, other); err == nil || !strings.Contains(err.Error(), "already closed") {
		t.Errorf("Close differently: %v", err)
	}
	if _, _, err := r.Close(ctx, dc.Name, v1.Closure{By: "x", Reason: "电话 13800000001 核实", Date: "2026-11-20"}); err == nil {
		t.Error("a closure reason with a phone number was accepted")
	}
}
