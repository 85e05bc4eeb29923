package controllers

import (
	"context"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	logf "sigs.k8s.io/controller-runtime/pkg/log"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// Fanout wakes the Students an agreement covers, and their open cases, when the agreement's spec
// changes, it comes into or goes out of force, or it is deleted. The walk over the scope happens
// here, in a goroutine of its own, once per such change: never in an informer's event handler,
// and never when the manager merely starts (every Student is reconciled then anyway).
type Fanout struct {
	reader   client.Reader
	store    cachedStudents
	in       chan *v1.ResponsibilityAgreement
	students chan event.GenericEvent
	cases    chan event.GenericEvent
}

// NewFanout makes a Fanout reading from the manager's cache.
func NewFanout(reader client.Reader, store cachedStudents) *Fanout {
	return &Fanout{reader: reader, store: store, in: make(chan *v1.ResponsibilityAgreement, 1024),
		students: make(chan event.GenericEvent, 4096), cases: make(chan event.GenericEvent, 4096)}
}

// Push asks for the agreement's scope to be woken. The agreement must not change afterwards.
func (f *Fanout) Push(a *v1.ResponsibilityAgreement) { f.in <- a }

// PushAfter hands the agreement to the walks once its own status write has reached the cache
// (recheckAfterWrite): the children then read what it just wrote (a class's silence), not the
// copy from before.
func (f *Fanout) PushAfter(ctx context.Context, a *v1.ResponsibilityAgreement) {
	time.AfterFunc(recheckAfterWrite, func() {
		select {
		case f.in <- a:
		case <-ctx.Done():
		}
	})
}

// Start runs the walks until the manager stops.
func (f *Fanout) Start(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case a := <-f.in:
			if err := f.walk(ctx, a); err != nil {
				logf.FromContext(ctx).Error(err, "waking the scope of an agreement", "agreement", a.Name)
			}
		}
	}
}

// NeedLeaderElection: only the leader reconciles, so only the leader wakes.
func (f *Fanout) NeedLeaderElection() bool { return true }

func (f *Fanout) walk(ctx context.Context, a *v1.ResponsibilityAgreement) error {
	return forStudentsInScope(ctx, f.reader, f.store, a, func(s *v1.Student) error {
		if err := send(ctx, f.students, s.Namespace, s.Name); err != nil {
			return err
		}
		if s.Status.OpenCase != "" {
			return send(ctx, f.cases, s.Namespace, s.Status.OpenCase)
		}
		return nil
	})
}

func send(ctx context.Context, ch chan event.GenericEvent, namespace, name string) error {
	select {
	case ch <- event.GenericEvent{Object: &metav1.PartialObjectMetadata{ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name}}}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
