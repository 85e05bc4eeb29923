package main

import (
	"bytes"
	"context"
	"fmt"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/demo"
	"kongchuo.io/kongchuo/internal/importer"
)

// ceiling is the API server's raw write rate on this machine in this run, by as many workers as
// the benchmark uses: small ConfigMaps created, then merge-patched; and Students (a kongchuo kind:
// a custom resource with its schema and CEL rules, the size of a real child) created, then their
// status merge-patched, with nothing else running.
type ceiling struct {
	creates, patches       float64 // ConfigMaps, per second
	kindCreates, kindPatch float64 // Students, per second
}

func (c ceiling) createTime(n int) time.Duration { return perSecond(n, c.creates) }
func (c ceiling) patchTime(n int) time.Duration  { return perSecond(n, c.patches) }

// kindTime is the time the API server needs, with nothing else to do, for n creates and m status
// patches of a kongchuo kind: the ideal against which the manager's own writes are set.
func (c ceiling) kindTime(creates, patches int) time.Duration {
	return perSecond(creates, c.kindCreates) + perSecond(patches, c.kindPatch)
}

func perSecond(n int, rate float64) time.Duration {
	return time.Duration(float64(n) / rate * float64(time.Second))
}

const ceilingObjects = 5000

func (b *bench) measureCeiling(ctx context.Context) error {
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: "ceiling"}}
	if err := b.c.Create(ctx, ns); err != nil {
		return err
	}
	maps := make([]*corev1.ConfigMap, ceilingObjects)
	for i := range maps {
		maps[i] = &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Namespace: "ceiling", Name: fmt.Sprintf("cm-%05d", i)},
			Data: map[string]string{"day": "0"}}
	}
	start := time.Now()
	if err := parallel(ctx, b.o.workers, maps, func(cm *corev1.ConfigMap) error { return b.c.Create(ctx, cm) }); err != nil {
		return fmt.Errorf("creates: %w", err)
	}
	b.ceiling.creates = ceilingObjects / time.Since(start).Seconds()
	start = time.Now()
	err := parallel(ctx, b.o.workers, maps, func(cm *corev1.ConfigMap) error {
		patch := client.RawPatch("application/merge-patch+json", []byte(`{"data":{"day":"1"}}`))
		return b.c.Patch(ctx, cm, patch)
	})
	if err != nil {
		return fmt.Errorf("patches: %w", err)
	}
	b.ceiling.patches = ceilingObjects / time.Since(start).Seconds()
	b.logf("ceiling: %.0f creates/s, %.0f merge patches/s", b.ceiling.creates, b.ceiling.patches)
	if err := b.c.Delete(ctx, ns); err != nil {
		return err
	}
	return b.measureKindCeiling(ctx)
}

// ceilingStatus is a present child's status as the manager writes it, and the day's change: the
// patches of the kind ceiling are the size of the manager's.
const (
	ceilingStatus = `{"status":{"observedGeneration":1,"age":10,"schoolAge":true,"attendance":{"termStart":"2026-09-01"},` +
		`"responsible":{"education":{"agreement":"class-5201210002-3-4","role":"HomeroomTeacher","name":"罗正荣"},` +
		`"government":{"agreement":"village-520121101201","role":"VillageCadre","name":"徐红凤"}},"conditions":[` +
		`{"type":"Ready","status":"True","reason":"Reconciled","message":"在校就读","observedGeneration":1,"lastTransitionTime":"2026-12-01T00:00:00Z"},` +
		`{"type":"Enrolled","status":"True","reason":"Enrolled","message":"在学校 5201210002 就读","observedGeneration":1,"lastTransitionTime":"2026-12-01T00:00:00Z"},` +
		`{"type":"Attending","status":"True","reason":"Attending","message":"按时到校","observedGeneration":1,"lastTransitionTime":"2026-12-01T00:00:00Z"}]}}`
	ceilingChange = `{"status":{"attendance":{"consecutiveUnexcusedDays":1,"absentSince":"2026-12-01","term":{"unexcused":1}}}}`
)

// measureKindCeiling imports a small county of its own, patches each child's status once to a
// present child's, then times one more status patch per child: the day's change. The Students
// are deleted before the manager starts.
func (b *bench) measureKindCeiling(ctx context.Context) error {
	const ns = "ceiling-kind"
	if err := b.c.Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}); err != nil {
		return err
	}
	county := demo.SyntheticCounty(ceilingObjects, demo.DefaultSeed+1, time.Date(2026, time.September, 1, 0, 0, 0, 0, time.UTC))
	start := time.Now()
	im := &importer.Importer{Client: b.c, Namespace: ns}
	if _, err := im.ImportRegistry(ctx, bytes.NewReader(county.RegistryCSV())); err != nil {
		return fmt.Errorf("kind ceiling import: %w", err)
	}
	b.ceiling.kindCreates = ceilingObjects / time.Since(start).Seconds()
	var list v1.StudentList
	if err := b.c.List(ctx, &list, client.InNamespace(ns)); err != nil {
		return err
	}
	students := make([]*v1.Student, len(list.Items))
	for i := range list.Items {
		students[i] = &list.Items[i]
	}
	patchAll := func(body string) error {
		return parallel(ctx, b.o.workers, students, func(s *v1.Student) error {
			return b.c.Status().Patch(ctx, s, client.RawPatch(types.MergePatchType, []byte(body)))
		})
	}
	if err := patchAll(ceilingStatus); err != nil {
		return fmt.Errorf("kind ceiling, first status: %w", err)
	}
	start = time.Now()
	b.profileAPIServer(ctx, "Student ceiling", 10)
	if err := patchAll(ceilingChange); err != nil {
		return fmt.Errorf("kind ceiling, the day's change: %w", err)
	}
	b.ceiling.kindPatch = ceilingObjects / time.Since(start).Seconds()
	b.logf("kind ceiling: %.0f Student creates/s (server-side apply), %.0f Student status patches/s", b.ceiling.kindCreates, b.ceiling.kindPatch)
	// A busy server may time out the collection delete and go on deleting: that is fine, the
	// ceiling's Students only need to go eventually.
	if err := b.c.DeleteAllOf(ctx, &v1.Student{}, client.InNamespace(ns)); err != nil && !apierrors.IsTimeout(err) && !apierrors.IsServerTimeout(err) {
		return fmt.Errorf("deleting the ceiling's Students: %w", err)
	}
	return b.c.Delete(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}})
}
