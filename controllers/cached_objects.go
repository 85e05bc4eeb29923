package controllers

import (
	"context"
	"fmt"

	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

// inPlace reads one kind's cached objects where they lie, for lookups that only read. A list
// through the client copies every object it returns into the list's slice, even without deep
// copies: for a county of 100,000 a child's reconcile copied some ten agreements (1.4 KB each)
// twice, and a burst day of case openings allocated a gigabyte that way, which the collector
// then had to catch up with under the memory limit. The objects returned are the cache's own:
// they must not be changed (DeepCopy one first).
//
// A manager watching a list of namespaces (--watch-namespaces) has one informer per namespace
// behind an informer that exposes no store; it reads through the client instead (indexer nil).
type inPlace[T any] struct {
	indexer toolscache.Indexer
	listed  func(ctx context.Context, opts ...client.ListOption) ([]*T, error)
	got     func(ctx context.Context, key client.ObjectKey) (*T, error)
}

// objectPointer and listPointer let newInPlace name a kind by its Go types.
type objectPointer[T any] interface {
	*T
	client.Object
}

type listPointer[L any] interface {
	*L
	client.ObjectList
}

// newInPlace takes the kind's informer store; items gives a list's items, for the client path.
func newInPlace[T any, PT objectPointer[T], L any, PL listPointer[L]](ctx context.Context, c cache.Cache, reader client.Reader, items func(*L) []T) (inPlace[T], error) {
	informer, err := c.GetInformer(ctx, PT(new(T)))
	if err != nil {
		return inPlace[T]{}, fmt.Errorf("getting the informer of %T: %w", new(T), err)
	}
	out := inPlace[T]{listed: func(ctx context.Context, opts ...client.ListOption) ([]*T, error) {
		var list L
		if err := reader.List(ctx, PL(&list), append(opts, client.UnsafeDisableDeepCopy)...); err != nil {
			return nil, err
		}
		all := items(&list)
		ptrs := make([]*T, len(all))
		for i := range all {
			ptrs[i] = &all[i]
		}
		return ptrs, nil
	}, got: func(ctx context.Context, key client.ObjectKey) (*T, error) {
		obj := new(T)
		if err := reader.Get(ctx, key, PT(obj), client.UnsafeDisableDeepCopy); err != nil {
			return nil, client.IgnoreNotFound(err)
		}
		return obj, nil
	}}
	if withIndexer, ok := informer.(interface{ GetIndexer() toolscache.Indexer }); ok {
		out.indexer = withIndexer.GetIndexer()
	}
	return out, nil
}

// inNamespace is every cached object of a namespace.
func (c inPlace[T]) inNamespace(ctx context.Context, namespace string) ([]*T, error) {
	if c.indexer == nil {
		return c.listed(ctx, client.InNamespace(namespace))
	}
	objs, err := c.indexer.ByIndex(toolscache.NamespaceIndex, namespace)
	return typed[T](objs), err
}

// byField is the cached objects of a namespace with value under a field index of this package
// (registered per namespace, as every index but the identity one is).
func (c inPlace[T]) byField(ctx context.Context, namespace, field, value string) ([]*T, error) {
	if c.indexer == nil {
		return c.listed(ctx, client.InNamespace(namespace), client.MatchingFields{field: value})
	}
	objs, err := c.indexer.ByIndex("field:"+field, indexKey(namespace, perNamespace, value))
	return typed[T](objs), err
}

// get is the cached object of that name, nil when there is none.
func (c inPlace[T]) get(ctx context.Context, namespace, name string) (*T, error) {
	if c.indexer == nil {
		return c.got(ctx, client.ObjectKey{Namespace: namespace, Name: name})
	}
	obj, exists, err := c.indexer.GetByKey(namespace + "/" + name)
	if err != nil || !exists {
		return nil, err
	}
	t, _ := obj.(*T)
	return t, nil
}

// typed keeps the objects of the kind (a store holds nothing else; the check is for safety).
func typed[T any](objs []any) []*T {
	out := make([]*T, 0, len(objs))
	for _, o := range objs {
		if t, ok := o.(*T); ok {
			out = append(out, t)
		}
	}
	return out
}
