package controllers

import (
	"context"
	"fmt"

	toolscache "k8s.io/client-go/tools/cache"
	"sigs.k8s.io/controller-runtime/pkg/cache"

	v1 "kongchuo.io/kongchuo/api/v1alpha1"
)

// cachedStudents reads the cache's Students in place. A list through the client copies every
// Student it returns into the list's slice (about 700 bytes each, 70 MB at once for a county of
// 100,000 on a county agreement's change); the walks over a scope only read each child once and
// so take the cache's own objects.
type cachedStudents struct{ indexer toolscache.Indexer }

// newCachedStudents takes the Student informer's store; the informer starts with the cache.
func newCachedStudents(ctx context.Context, c cache.Cache) (cachedStudents, error) {
	informer, err := c.GetInformer(ctx, &v1.Student{})
	if err != nil {
		return cachedStudents{}, fmt.Errorf("getting the Student informer: %w", err)
	}
	withIndexer, ok := informer.(interface{ GetIndexer() toolscache.Indexer })
	if !ok {
		return cachedStudents{}, fmt.Errorf("the cache's Student informer (%T) has no store to read", informer)
	}
	return cachedStudents{indexer: withIndexer.GetIndexer()}, nil
}

// studentsUnder are the Students of a county under a key of the student scope index, or all of
// the county's for "". The objects are the cache's: they must not be changed.
func (c cachedStudents) studentsUnder(namespace, key string) ([]any, error) {
	if key == "" {
		return c.indexer.ByIndex(toolscache.NamespaceIndex, namespace)
	}
	return c.indexer.ByIndex("field:"+indexStudentScope, indexKey(namespace, perNamespace, key))
}
