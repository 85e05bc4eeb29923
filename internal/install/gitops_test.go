package install_test

// GitOps health on real objects: each kongchuo kind is created on the API server from
// config/samples, its status written through the status subresource (so the CRD schema checks it)
// as the controller writes it in each state, read back, and judged by the Argo CD Lua health check
// that config/argocd ships (run with gopher-lua, the interpreter Argo CD embeds, the object
// converted from JSON as Argo CD does) and by kstatus, which Flux's health checks use.

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	lua "github.com/yuin/gopher-lua"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	luajson "layeh.com/gopher-json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"kongchuo.io/kongchuo/internal/install"
)

const healthNS = "gitops-health"

// argoHealthScripts are the Lua scripts by kind, from the argocd-cm that config/argocd builds.
func argoHealthScripts(t *testing.T) map[string]string {
	t.Helper()
	out, err := install.Kustomize(filepath.Join(root, "config", "argocd"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := install.Objects(out)
	if err != nil {
		t.Fatal(err)
	}
	cm := find(objs, "ConfigMap", "argocd-cm")
	if cm == nil || cm.GetNamespace() != "argocd" {
		t.Fatal("config/argocd builds no argocd-cm in namespace argocd")
	}
	data, _, _ := unstructured.NestedStringMap(cm.Object, "data")
	scripts := map[string]string{}
	for key, script := range data {
		if kind, ok := strings.CutPrefix(key, "resource.customizations.health.kongchuo.io_"); ok {
			scripts[kind] = script
		}
	}
	return scripts
}

// argoHealth runs a health script on an object as Argo CD does: the object as the global obj,
// the returned table's status and message.
func argoHealth(t *testing.T, script string, obj *unstructured.Unstructured) (string, string) {
	t.Helper()
	raw, err := json.Marshal(obj.Object)
	if err != nil {
		t.Fatal(err)
	}
	L := lua.NewState(lua.Options{SkipOpenLibs: false})
	defer L.Close()
	value, err := luajson.Decode(L, raw)
	if err != nil {
		t.Fatal(err)
	}
	L.SetGlobal("obj", value)
	if err := L.DoString(script); err != nil {
		t.Fatalf("health script of %s: %v", obj.GetKind(), err)
	}
	result, ok := L.Get(-1).(*lua.LTable)
	if !ok {
		t.Fatalf("health script of %s returned %s, not a table", obj.GetKind(), L.Get(-1).Type())
	}
	return result.RawGetString("status").String(), result.RawGetString("message").String()
}

// cond is a condition as the controller writes it.
func cond(typ string, ok bool, reason, message string) map[string]any {
	s := metav1.ConditionFalse
	if ok {
		s = metav1.ConditionTrue
	}
	return map[string]any{"type": typ, "status": string(s), "reason": reason, "message": message,
		"lastTransitionTime": time.Now().UTC().Format(time.RFC3339)}
}

// sample creates a config/samples object in the health namespace and returns it as stored.
func sample(t *testing.T, file, name string) *unstructured.Unstructured {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(root, "config", "samples", file))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := install.Objects(raw)
	if err != nil || len(objs) != 1 {
		t.Fatalf("%s: %v", file, err)
	}
	obj := objs[0]
	obj.SetNamespace(healthNS)
	obj.SetName(name)
	if err := k8s.Create(context.Background(), obj); err != nil {
		t.Fatalf("creating %s: %v", name, err)
	}
	return obj
}

// writeStatus writes a status the way the controller does (observedGeneration, conditions, the
// kind's own fields) and returns the object as read back.
func writeStatus(t *testing.T, obj *unstructured.Unstructured, fields map[string]any, conditions ...map[string]any) *unstructured.Unstructured {
	t.Helper()
	ctx := context.Background()
	st := map[string]any{"observedGeneration": obj.GetGeneration()}
	for k, v := range fields {
		st[k] = v
	}
	list := make([]any, len(conditions))
	for i, c := range conditions {
		list[i] = c
	}
	st["conditions"] = list
	obj.Object["status"] = st
	if err := k8s.Status().Update(ctx, obj); err != nil {
		t.Fatalf("writing the status of %s: %v", obj.GetName(), err)
	}
	return readBack(t, obj)
}

func readBack(t *testing.T, obj *unstructured.Unstructured) *unstructured.Unstructured {
	t.Helper()
	got := &unstructured.Unstructured{}
	got.SetGroupVersionKind(obj.GroupVersionKind())
	if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), got); err != nil {
		t.Fatal(err)
	}
	return got
}

// bumpGeneration changes the spec (a label would not move the generation) and returns the object.
func bumpGeneration(t *testing.T, obj *unstructured.Unstructured, value string, path ...string) *unstructured.Unstructured {
	t.Helper()
	if err := unstructured.SetNestedField(obj.Object, value, path...); err != nil {
		t.Fatal(err)
	}
	if err := k8s.Update(context.Background(), obj); err != nil {
		t.Fatalf("updating %s: %v", obj.GetName(), err)
	}
	got := readBack(t, obj)
	if got.GetGeneration() <= 1 {
		t.Fatalf("%s: the generation did not move", obj.GetName())
	}
	return got
}

type healthCase struct {
	state   string
	obj     *unstructured.Unstructured
	argo    string
	kstatus status.Status
}

func TestHealthChecksOnRealObjects(t *testing.T) {
	scripts := argoHealthScripts(t)
	for _, crd := range crdKinds(t) {
		if scripts[crd] == "" {
			t.Errorf("config/argocd has no health check for %s", crd)
		}
	}
	if err := install.CreateNamespaces(context.Background(), k8s, []*unstructured.Unstructured{namespaced(healthNS)}); err != nil {
		t.Fatal(err)
	}
	var cases []healthCase
	cases = append(cases, studentCases(t)...)
	cases = append(cases, reportCases(t)...)
	cases = append(cases, classAttendanceCases(t)...)
	cases = append(cases, agreementCases(t)...)
	cases = append(cases, caseCases(t)...)
	cases = append(cases, monthlyReportCases(t)...)
	cases = append(cases, healthCase{"recorded by a school", sample(t, "supportrecord.yaml", "stu-health-2026"), "Healthy", status.CurrentStatus})
	seen := map[string]map[string]bool{}
	for _, c := range cases {
		kind := c.obj.GetKind()
		argo, message := argoHealth(t, scripts[kind], c.obj)
		if argo != c.argo {
			t.Errorf("%s %s: Argo CD health %s (%s), want %s", kind, c.state, argo, message, c.argo)
		}
		res, err := status.Compute(c.obj)
		if err != nil {
			t.Fatalf("kstatus of %s %s: %v", kind, c.state, err)
		}
		if res.Status != c.kstatus {
			t.Errorf("%s %s: kstatus %s (%s), want %s", kind, c.state, res.Status, res.Message, c.kstatus)
		}
		if seen[kind] == nil {
			seen[kind] = map[string]bool{}
		}
		seen[kind][argo] = true
	}
	// Kinds without a status of their own cannot be in progress: a clean roll call, a class record.
	states := map[string][]string{"AttendanceReport": {"Healthy", "Degraded"}, "ClassAttendance": {"Healthy"}, "SupportRecord": {"Healthy"}}
	for _, kind := range crdKinds(t) {
		want := states[kind]
		if want == nil {
			want = []string{"Healthy", "Progressing", "Degraded"}
		}
		for _, want := range want {
			if !seen[kind][want] {
				t.Errorf("no %s case for %s", want, kind)
			}
		}
	}
}

func namespaced(name string) *unstructured.Unstructured {
	ns := &unstructured.Unstructured{}
	ns.SetAPIVersion("v1")
	ns.SetKind("Namespace")
	ns.SetName(name)
	return ns
}

// crdKinds are the kinds of config/crd/bases.
func crdKinds(t *testing.T) []string {
	t.Helper()
	out, err := install.Kustomize(filepath.Join(root, "config", "crd"))
	if err != nil {
		t.Fatal(err)
	}
	objs, err := install.Objects(out)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, crd := range objs {
		kind, _, _ := unstructured.NestedString(crd.Object, "spec", "names", "kind")
		kinds = append(kinds, kind)
	}
	return kinds
}

// monthlyReportCases: a report is the county's paperwork. kstatus has no Ready condition to read
// on it, so it is Current once the controller has seen it.
func monthlyReportCases(t *testing.T) []healthCase {
	fresh := sample(t, "monthlyreport.yaml", "school-5201210001-202610")
	waiting := writeStatus(t, sample(t, "monthlyreport.yaml", "school-5201210001-202609"), nil,
		cond("Confirmed", false, "NotConfirmed", "等待确认"), cond("Late", false, "NotDue", "未到期"))
	late := writeStatus(t, sample(t, "monthlyreport.yaml", "school-5201210001-202608"), nil,
		cond("Confirmed", false, "NotConfirmed", "等待确认"), cond("Late", true, "NotConfirmedByDue", "逾期未确认"))
	confirmed := writeStatus(t, sample(t, "monthlyreport.yaml", "school-5201210001-202607"), nil,
		cond("Confirmed", true, "Confirmed", "已确认"), cond("Late", true, "ConfirmedLate", "逾期确认"))
	return []healthCase{
		{"just written", fresh, "Progressing", status.InProgressStatus},
		{"waiting for confirmation", waiting, "Progressing", status.CurrentStatus},
		{"late", late, "Degraded", status.CurrentStatus},
		{"confirmed, even late", confirmed, "Healthy", status.CurrentStatus},
	}
}

func studentCases(t *testing.T) []healthCase {
	fresh := sample(t, "student.yaml", "stu-health-fresh")
	ready := writeStatus(t, sample(t, "student.yaml", "stu-health-ready"), nil,
		cond("Ready", true, "NothingDue", ""))
	atRisk := writeStatus(t, sample(t, "student.yaml", "stu-health-at-risk"), nil,
		cond("AtRisk", true, "UnexcusedAbsence", "连续旷课 1 天，3 天立案"),
		cond("Ready", false, "AtRisk", "连续旷课 1 天，3 天立案"))
	stalled := writeStatus(t, sample(t, "student.yaml", "stu-health-stalled"), nil,
		cond("Stalled", true, "InvalidTerms", "the inherited ladder has no step for 3 days"),
		cond("Ready", false, "InvalidTerms", "the inherited ladder has no step for 3 days"))
	edited := bumpGeneration(t, writeStatus(t, sample(t, "student.yaml", "stu-health-edited"), nil,
		cond("Ready", true, "Reconciled", "ok")), "moved house", "spec", "enrolment", "evidence", "note")
	return []healthCase{
		{"just created", fresh, "Progressing", status.InProgressStatus},
		{"ready", ready, "Healthy", status.CurrentStatus},
		// Argo CD: the county's work, not a fault. kstatus reads any Ready False as in progress
		// (checkReadyCondition); Flux applies agreements, not Students, so it does not wait on them.
		{"at risk", atRisk, "Healthy", status.InProgressStatus},
		{"stalled", stalled, "Degraded", status.FailedStatus},
		{"edited, not yet seen", edited, "Progressing", status.InProgressStatus},
	}
}

func reportCases(t *testing.T) []healthCase {
	clean := sample(t, "attendancereport.yaml", "att-health-clean")
	superseded := writeStatus(t, sample(t, "attendancereport.yaml", "att-health-superseded"), map[string]any{"supersededBy": "att-health-clean"},
		cond("Ready", true, "Superseded", "a later report for the same class and date is used instead: att-health-clean"))
	unknown := writeStatus(t, sample(t, "attendancereport.yaml", "att-health-unknown"), map[string]any{"unknownStudents": []any{"stu-ghost"}},
		cond("Ready", false, "StudentsNotOnRoster", "1 absences name children not on this class roster"))
	return []healthCase{
		// A clean roll call is folded into its class record and keeps no status: it cost no write.
		{"folded cleanly (no status)", clean, "Healthy", status.CurrentStatus},
		{"superseded", superseded, "Healthy", status.CurrentStatus},
		{"students not on the roster", unknown, "Degraded", status.InProgressStatus},
	}
}

func classAttendanceCases(t *testing.T) []healthCase {
	return []healthCase{{"written by the controller", sample(t, "classattendance.yaml", "5201210001-5-2-202603"), "Healthy", status.CurrentStatus}}
}

func agreementCases(t *testing.T) []healthCase {
	measured := []map[string]any{
		cond("Active", true, "InEffect", "in effect since 2026-09-01"),
		cond("Conflict", false, "NoConflict", "no other active agreement claims this scope"),
		cond("Ready", true, "Measured", "coverage and rates are current"),
	}
	fresh := sample(t, "agreement-education.yaml", "ra-health-fresh")
	ready := writeStatus(t, sample(t, "agreement-education.yaml", "ra-health-ready"), nil, measured...)
	conflict := writeStatus(t, sample(t, "agreement-education.yaml", "ra-health-conflict"), nil,
		cond("Active", true, "InEffect", "in effect since 2026-09-01"),
		cond("Conflict", true, "SameScope", "ra-health-ready claims the same class on the Education line"),
		cond("Ready", false, "SameScope", "ra-health-ready claims the same class on the Education line"))
	expired := writeStatus(t, sample(t, "agreement-government.yaml", "ra-health-expired"), nil,
		cond("Active", false, "Expired", "ended on 2026-08-31"),
		cond("Conflict", false, "NoConflict", "no other active agreement claims this scope"),
		cond("Ready", true, "Measured", "coverage and rates are current"))
	edited := bumpGeneration(t, writeStatus(t, sample(t, "agreement-government.yaml", "ra-health-edited"), nil, measured...),
		"13900000000", "spec", "responsible", "contact")
	return []healthCase{
		{"just applied", fresh, "Progressing", status.InProgressStatus},
		{"measured", ready, "Healthy", status.CurrentStatus},
		// Not Ready: Flux waits on it and reports Ready's message when its timeout runs out.
		{"conflicting", conflict, "Degraded", status.InProgressStatus},
		{"expired", expired, "Suspended", status.CurrentStatus},
		{"edited in Git, not yet measured", edited, "Progressing", status.InProgressStatus},
	}
}

func caseCases(t *testing.T) []healthCase {
	fresh := sample(t, "dropoutcase.yaml", "dc-health-fresh")
	onTime := writeStatus(t, sample(t, "dropoutcase.yaml", "dc-health-ontime"), map[string]any{"stage": "ReturnNoticeIssued"},
		cond("Overdue", false, "OnTime", "nothing overdue"),
		cond("Resolved", false, "Open", "on the ledger at ReturnNoticeIssued"),
		cond("Ready", true, "OnTrack", "on the ladder, nothing overdue"))
	overdue := writeStatus(t, sample(t, "dropoutcase.yaml", "dc-health-overdue"), map[string]any{"stage": "ReturnNoticeIssued"},
		cond("Overdue", true, "LegalReferralMissing", "the legal referral (依法控辍) was due by 2026-03-30 from the Government line and is not recorded"),
		cond("Resolved", false, "Open", "on the ledger at ReturnNoticeIssued"),
		cond("Ready", false, "LegalReferralMissing", "the legal referral (依法控辍) was due by 2026-03-30 from the Government line and is not recorded"))
	closed := writeStatus(t, sample(t, "dropoutcase.yaml", "dc-health-closed"), map[string]any{"stage": "Closed", "closedReason": "Returned"},
		cond("Overdue", false, "OnTime", "nothing overdue"),
		cond("Resolved", true, "Returned", "struck off the ledger (销号): Returned"),
		cond("Ready", true, "Closed", "struck off, nothing due"))
	return []healthCase{
		{"just opened", fresh, "Progressing", status.InProgressStatus},
		{"on time", onTime, "Healthy", status.CurrentStatus},
		{"overdue", overdue, "Degraded", status.InProgressStatus},
		{"closed", closed, "Healthy", status.CurrentStatus},
	}
}
