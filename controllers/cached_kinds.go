package controllers

import (
	"context"
	"fmt"

	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"
	"sigs.k8s.io/controller-runtime/pkg/client"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// cachedStudents reads the cache's Students in place. A list through the client copies every
// Student it returns into the list's slice (about 700 bytes each, 70 MB at once for a county of
// 100,000 on a county agreement's change); the walks over a scope only read each child once and
// so take the cache's own objects.
//
// A manager watching a list of namespaces (--watch-namespaces) has one informer per namespace
// behind an informer that exposes no store; it reads through the client instead (indexer nil).
type cachedStudents struct {
	indexer toolscache.Indexer
	reader  client.Reader
}

// newCachedStudents takes the Student informer's store; the informer starts with the cache.
func newCachedStudents(ctx context.Context, c cache.Cache, reader client.Reader) (cachedStudents, error) {
	informer, err := c.GetInformer(ctx, &v1.Student{})
	if err != nil {
		return cachedStudents{}, fmt.Errorf("getting the Student informer: %w", err)
	}
	out := cachedStudents{reader: reader}
	if withIndexer, ok := informer.(interface{ GetIndexer() toolscache.Indexer }); ok {
		out.indexer = withIndexer.GetIndexer()
	}
	return out, nil
}

// studentsUnder are the Students of a county under a key of the student scope index, or all of
// the county's for "". The objects are the cache's: they must not be changed.
func (c cachedStudents) studentsUnder(ctx context.Context, namespace, key string) ([]*v1.Student, error) {
	if c.indexer == nil {
		return c.listed(ctx, namespace, key)
	}
	var objs []any
	var err error
	if key == "" {
		objs, err = c.indexer.ByIndex(toolscache.NamespaceIndex, namespace)
	} else {
		objs, err = c.indexer.ByIndex("field:"+indexStudentScope, indexKey(namespace, perNamespace, key))
	}
	out := make([]*v1.Student, 0, len(objs))
	for _, o := range objs {
		if s, ok := o.(*v1.Student); ok {
			out = append(out, s)
		}
	}
	return out, err
}

// listed is the same through the client.
func (c cachedStudents) listed(ctx context.Context, namespace, key string) ([]*v1.Student, error) {
	opts := []client.ListOption{client.InNamespace(namespace), client.UnsafeDisableDeepCopy}
	if key != "" {
		opts = append(opts, client.MatchingFields{indexStudentScope: key})
	}
	var list v1.StudentList
	if err := c.reader.List(ctx, &list, opts...); err != nil {
		return nil, err
	}
	out := make([]*v1.Student, len(list.Items))
	for i := range list.Items {
		out[i] = &list.Items[i]
	}
	return out, nil
}
