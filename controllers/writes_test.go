package controllers_test

import (
	"context"
	"reflect"
	"sync"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// writes counts the test manager's API writes, so benchmarks can set them against what changed.
var writes = &writeCounter{counts: map[string]map[string]int{}, refused: map[client.ObjectKey]bool{}}

// writeCounter counts writes per namespace, by kind and verb ("Student status patch"), and can
// refuse the writes of one object for a while, as an API server in trouble for that object would.
type writeCounter struct {
	mu      sync.Mutex
	counts  map[string]map[string]int
	refused map[client.ObjectKey]bool
}

// add counts a write about to be made, or refuses it with the API server's 503.
func (w *writeCounter) add(obj client.Object, what string) error {
	kind := reflect.TypeOf(obj).Elem().Name()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.refused[client.ObjectKeyFromObject(obj)] {
		return apierrors.NewServiceUnavailable("refused by the test")
	}
	w.count(obj.GetNamespace(), kind+" "+what)
	return nil
}

// refuse makes every write of the object fail until release is called.
func (w *writeCounter) refuse(key client.ObjectKey) (release func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.refused[key] = true
	return func() {
		w.mu.Lock()
		defer w.mu.Unlock()
		delete(w.refused, key)
	}
}

func (w *writeCounter) count(namespace, what string) {
	ns := w.counts[namespace]
	if ns == nil {
		ns = map[string]int{}
		w.counts[namespace] = ns
	}
	ns[what]++
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
	if err := c.w.add(obj, "create"); err != nil {
		return err
	}
	return c.Client.Create(ctx, obj, opts...)
}

func (c countingClient) Update(ctx context.Context, obj client.Object, opts ...client.UpdateOption) error {
	if err := c.w.add(obj, "update"); err != nil {
		return err
	}
	return c.Client.Update(ctx, obj, opts...)
}

func (c countingClient) Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.PatchOption) error {
	if err := c.w.add(obj, "patch"); err != nil {
		return err
	}
	return c.Client.Patch(ctx, obj, patch, opts...)
}

func (c countingClient) Delete(ctx context.Context, obj client.Object, opts ...client.DeleteOption) error {
	if err := c.w.add(obj, "delete"); err != nil {
		return err
	}
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
	if err := s.w.add(obj, "status update"); err != nil {
		return err
	}
	return s.SubResourceWriter.Update(ctx, obj, opts...)
}

func (s countingStatus) Patch(ctx context.Context, obj client.Object, patch client.Patch, opts ...client.SubResourcePatchOption) error {
	if err := s.w.add(obj, "status patch"); err != nil {
		return err
	}
	return s.SubResourceWriter.Patch(ctx, obj, patch, opts...)
}
