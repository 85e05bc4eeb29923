package controllers_test

import (
	"context"
	"reflect"
	"sync"

	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// writes counts the test manager's API writes, so benchmarks can set them against what changed.
var writes = &writeCounter{counts: map[string]map[string]int{}}

// writeCounter counts writes per namespace, by kind and verb ("Student status patch").
type writeCounter struct {
	mu     sync.Mutex
	counts map[string]map[string]int
}

func (w *writeCounter) add(obj client.Object, what string) {
	kind := reflect.TypeOf(obj).Elem().Name()
	w.mu.Lock()
	defer w.mu.Unlock()
	ns := w.counts[obj.GetNamespace()]
	if ns == nil {
		ns = map[string]int{}
		w.counts[obj.GetNamespace()] = ns
	}
	ns[kind+" "+what]++
}

// take returns the namespace's counts and starts counting it afresh.
func (w *writeCounter) take(namespace string) map[string]int {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.counts[namespace]
	delete(w.counts, namespace)
	return out
}

// total is the number of writes counted in a namespace so far.
func (w *writeCounter) total(namespace string) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for _, c := range w.counts[namespace] {
		n += c
	}
	return n
}

func countingClientFunc(w *writeCounter) func(*rest.Config, client.Options) (client.Client, error) {
	return func(cfg *rest.Config, o client.Options) (client.Client, error) {
		c, err := client.New(cfg, o)
		if err != nil {
			return nil, err
		}
		return countingClient{Client: c, w: w}, nil
	}
}

// countingClient is the manager's client with every write counted.
type countingClient struct {
	client.Client
	w *writeCounter
}

func (c countingClient) Create(ctx context.Context, obj client.Object, opts ...client.CreateOption) error {
	c.w.add(obj, "create")
	return c.Client.Create(ctx, obj, opts...)
}

func (c countingClient) Update(ctx context.Context, obj client.Object, opts ...client.UpdateOption) error {
	c.w.add(obj, "update")
	return c.Client.Update(ctx, obj, opts...)
}

func (c countingClient) Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
	c.w.add(obj, "patch")
	return c.Client.Patch(ctx, obj, patch, opts...)
}

func (c countingClient) Delete(ctx context.Context, obj client.Object, opts ...client.DeleteOption) error {
	c.w.add(obj, "delete")
	return c.Client.Delete(ctx, obj, opts...)
}

func (c countingClient) Status() client.SubResourceWriter {
	return countingStatus{SubResourceWriter: c.Client.Status(), w: c.w}
}

type countingStatus struct {
	client.SubResourceWriter
	w *writeCounter
}

func (s countingStatus) Update(ctx context.Context, obj client.Object, opts ...client.SubResourceUpdateOption) error {
	s.w.add(obj, "status update")
	return s.SubResourceWriter.Update(ctx, obj, opts...)
}

func (s countingStatus) Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
	s.w.add(obj, "status patch")
	return s.SubResourceWriter.Patch(ctx, obj, patch, opts...)
}
