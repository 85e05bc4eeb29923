package controllers

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/controller/priorityqueue"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
	"kongchuo.io/kongchuo/internal/policy"
)

// affectedBy maps a class record and the days that changed in it to the requests to wake.
type affectedBy func(ctx context.Context, rec *v1.ClassAttendance, changed []v1.ClassDay) []reconcile.Request

// recordChanges is an event handler for ClassAttendance records that wakes only what the changed
// days can affect: it compares the days before and after an update instead of waking the class.
// The lookups behind it are index lookups; nothing walks a scope. Records seen as the manager
// starts are queued behind new work (low priority), like every object of the initial list.
func recordChanges(affected affectedBy) handler.EventHandler {
	return handler.Funcs{
		CreateFunc: func(ctx context.Context, e event.CreateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			rec := e.Object.(*v1.ClassAttendance)
			enqueue(q, affected(ctx, rec, rec.Spec.Days), e.IsInInitialList)
		},
		UpdateFunc: func(ctx context.Context, e event.UpdateEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			before, after := e.ObjectOld.(*v1.ClassAttendance), e.ObjectNew.(*v1.ClassAttendance)
			if changed := policy.ChangedDates(before.Spec.Days, after.Spec.Days); len(changed) > 0 {
				enqueue(q, affected(ctx, after, changed), false)
			}
		},
		DeleteFunc: func(ctx context.Context, e event.DeleteEvent, q workqueue.TypedRateLimitingInterface[reconcile.Request]) {
			if rec, ok := e.Object.(*v1.ClassAttendance); ok {
				enqueue(q, affected(ctx, rec, rec.Spec.Days), false)
			}
		},
	}
}

// enqueue adds the requests, at low priority when they come from the initial list.
func enqueue(q workqueue.TypedRateLimitingInterface[reconcile.Request], reqs []reconcile.Request, low bool) {
	pq, ok := q.(priorityqueue.PriorityQueue[reconcile.Request])
	if !ok || !low {
		for _, req := range reqs {
			q.Add(req)
		}
		return
	}
	pq.AddWithOpts(priorityqueue.AddOpts{Priority: ptr.To(handler.LowPriority)}, reqs...)
}

// namedIn lists the children the days name.
func namedIn(namespace string, days []v1.ClassDay) []reconcile.Request {
	seen := map[string]bool{}
	var reqs []reconcile.Request
	for _, d := range days {
		for _, a := range d.Absences {
			if !seen[a.Student] {
				seen[a.Student] = true
				reqs = append(reqs, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: namespace, Name: a.Student}})
			}
		}
	}
	return reqs
}
